import { z } from 'zod';
import { namedMap } from './names';

const sizeUnits: Record<string, number> = {
  B: 1,
  KB: 1e3,
  MB: 1e6,
  GB: 1e9,
  TB: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  KiB: 2 ** 10,
  MiB: 2 ** 20,
  GiB: 2 ** 30,
  TiB: 2 ** 40,
};

/** `3GB`, `512Mi`, `128MiB` or a number of bytes; parsed to bytes. */
const MemorySize = z
  .union(
    [
      z.number().positive(),
      z
        .string()
        .regex(
          /^\d+(\.\d+)?\s*(B|KB|MB|GB|TB|Ki|Mi|Gi|Ti|KiB|MiB|GiB|TiB)$/,
          'must be a size such as 512MB, 3GB or 2Gi',
        ),
    ],
    {
      error: 'must be a size such as 512MB, 3GB or 2Gi',
    },
  )
  .transform((size) => {
    if (typeof size === 'number') return size;
    const [, amount = '0', unit = 'B'] = /^(\d+(?:\.\d+)?)\s*(\w+)$/.exec(size) ?? [];
    return Math.round(Number(amount) * (sizeUnits[unit] ?? 1));
  });

/** Photon's collateral durations: `1h`, `30d` (a day is 24 × the hourly max-price). */
const Duration = z.string().regex(/^\d+[mhd]$/, 'must be a duration such as 30m, 1h or 30d');

export const Lifetime = z.enum(['short', 'medium', 'long']);

const Qos = z
  .strictObject({
    lifetime: Lifetime.optional(),
    memory: MemorySize.optional(),
    cpu: z.number().positive().optional(),
  })
  .nullish()
  .transform((qos) => ({ lifetime: qos?.lifetime, memoryBytes: qos?.memory, cpu: qos?.cpu }));

/** The README leaves `pricing:` empty; `max-price` and `collateral` are Photon's later (Jan 2018) fields. */
const Pricing = z
  .strictObject({
    'max-price': z.number().nonnegative().optional(),
    collateral: Duration.optional(),
  })
  .nullish()
  .transform((pricing) => ({ maxPrice: pricing?.['max-price'], collateral: pricing?.collateral }));

const Profile = z.strictObject({ qos: Qos, pricing: Pricing });

const Datacenter = z.strictObject({
  /** One of the regions the registry knows; offline, only its form is checked. */
  region: z.string().regex(/^[a-z]+(-[a-z0-9]+)*$/, 'must be a region name such as us-west'),
  profiles: namedMap(Profile).refine((profiles) => Object.keys(profiles).length > 0, {
    message: 'a datacenter needs at least one profile',
  }),
});

const Placement = z.strictObject({
  profile: z.string(),
  nodes: z.int().min(1),
});

export const Deployment = z.strictObject({
  datacenters: namedMap(Datacenter),
  /** service → datacenter → placement; the names are checked against the definitions as cross-references. */
  services: z.record(z.string(), z.record(z.string(), Placement)),
});

export type Deployment = z.infer<typeof Deployment>;
