import { z } from 'zod';

/**
 * Service, datacenter and profile names: what a DNS label allows (they name nodes and endpoints), so
 * `db-master`, `westcoast`, `web`.
 */
export const Name = z
  .string()
  .regex(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/, 'names are 1–63 lowercase letters, digits and dashes');

/** A map keyed by names that is written as a YAML mapping. */
export function namedMap<T extends z.ZodType>(value: T) {
  return z.record(Name, value);
}

/** A list that may be left out, or written empty (`args:` alone is null in YAML). */
export function optionalList<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((list) => list ?? []);
}
