import { InvalidArgumentError } from 'commander';
import type { AppServiceInput } from '@overcast/sdk';

/**
 * A comma separates two fields only when the next one starts with `key=`: a value keeps its own commas, so a cron
 * schedule's list (`schedule=0 9 * * 1,3,5`) or a command's arguments survive.
 */
const fieldSeparator = /,(?=\s*[A-Za-z_][\w-]*=)/;

/**
 * `--service name=web,scale=3,public=true,ports=80:8080+443:8443,cpu=256,memory=512,command=…,schedule=…`:
 * one app service per flag (repeatable). `ports` lists lb_port:container_port pairs joined by `+`.
 */
export function parseServiceSpec(value: string, previous: AppServiceInput[] = []): AppServiceInput[] {
  const fields = new Map<string, string>();
  for (const part of value.split(fieldSeparator)) {
    const at = part.indexOf('=');
    if (at <= 0) throw new InvalidArgumentError(`"${part}" is not key=value`);
    fields.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  const name = fields.get('name');
  if (!name) throw new InvalidArgumentError('a service needs name=<name>');
  const integer = (key: string) => {
    const text = fields.get(key);
    if (text === undefined) return undefined;
    const number = Number(text);
    if (!Number.isInteger(number)) throw new InvalidArgumentError(`${key} must be a whole number, got "${text}"`);
    return number;
  };
  const ports = fields.get('ports');
  const service: AppServiceInput = {
    name,
    ...(integer('cpu') === undefined ? {} : { cpu: integer('cpu') }),
    ...(integer('memory') === undefined ? {} : { memory: integer('memory') }),
    ...(integer('scale') === undefined ? {} : { scale: integer('scale') }),
    ...(fields.has('public') ? { public: fields.get('public') === 'true' } : {}),
    ...(fields.has('command') ? { command: fields.get('command') } : {}),
    ...(fields.has('schedule') ? { schedule: fields.get('schedule') } : {}),
    ...(ports
      ? {
          port_mappings: ports.split('+').map((pair) => {
            const [lb, container] = pair.split(':').map(Number);
            if (!Number.isInteger(lb) || !Number.isInteger(container))
              throw new InvalidArgumentError(`ports must be lb_port:container_port, got "${pair}"`);
            return { lb_port: lb as number, container_port: container as number };
          }),
        }
      : {}),
  };
  return [...previous, service];
}

/** `--env KEY=VALUE`, repeatable. */
export function parseEnvPair(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=');
  if (at <= 0) throw new InvalidArgumentError(`"${value}" is not KEY=VALUE`);
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) };
}
