import type { DatacenterProfile } from '@overcast/sdk';
import { UsageError } from '../cli-io';

const memoryUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  ki: 2 ** 10,
  mi: 2 ** 20,
  gi: 2 ** 30,
  ti: 2 ** 40,
};

function parseMemory(value: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(value.trim());
  const unit =
    memoryUnits[(match?.[2] ?? '').toLowerCase().replace(/b$/, (b, offset: number) => (offset > 1 ? '' : b))];
  if (!match || unit === undefined) throw new UsageError(`--profile memory: "${value}" is no size (e.g. 4GiB, 512MB)`);
  return Math.round(Number(match[1]) * unit);
}

/** `name=standard,cpu=2,memory=4GiB,lifetime=medium,price=1,capacity=10` → a profile (commander collects repeats). */
export function parseProfile(value: string, previous: DatacenterProfile[] = []): DatacenterProfile[] {
  const fields = new Map(
    value.split(',').map((pair) => {
      const [key = '', ...rest] = pair.split('=');
      return [key.trim(), rest.join('=').trim()] as const;
    }),
  );
  const required = (key: string) => {
    const found = fields.get(key);
    if (found === undefined || found === '') throw new UsageError(`--profile needs ${key}= (in "${value}")`);
    return found;
  };
  const number = (key: string) => {
    const parsed = Number(required(key));
    if (!Number.isFinite(parsed)) throw new UsageError(`--profile ${key}: "${fields.get(key)}" is no number`);
    return parsed;
  };
  const lifetime = required('lifetime');
  if (lifetime !== 'short' && lifetime !== 'medium' && lifetime !== 'long')
    throw new UsageError('--profile lifetime: one of short, medium, long');
  return [
    ...previous,
    {
      name: required('name'),
      cpu: number('cpu'),
      memory_bytes: parseMemory(required('memory')),
      lifetime,
      price: number('price'),
      capacity: number('capacity'),
    },
  ];
}
