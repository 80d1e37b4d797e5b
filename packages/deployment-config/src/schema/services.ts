import { z } from 'zod';
import { namedMap, optionalList } from './names';

/** Photon writes `depends-on: [{ service: db-master }]`; a bare name is accepted too. */
const ServiceReference = z
  .union([z.string(), z.strictObject({ service: z.string() })], {
    error: 'must be a service name or { service: name }',
  })
  .transform((reference) => (typeof reference === 'string' ? reference : reference.service));

const EnvironmentValue = z.union([z.string(), z.number(), z.boolean()], {
  error: 'must be a string, number or boolean',
});

/** `env` as a map (`KEY: value`) or as a list of `KEY=value`, always a map of strings once parsed. */
const Environment = z
  .union(
    [
      z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a variable name'), EnvironmentValue),
      z.array(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*=/, 'must be KEY=value')),
    ],
    { error: 'must be a map of variables or a list of KEY=value' },
  )
  .nullish()
  .transform((env): Record<string, string> => {
    if (!env) return {};
    if (Array.isArray(env)) {
      return Object.fromEntries(
        env.map((entry) => [entry.slice(0, entry.indexOf('=')), entry.slice(entry.indexOf('=') + 1)]),
      );
    }
    return Object.fromEntries(Object.entries(env).map(([key, value]) => [key, String(value)]));
  });

export const Protocol = z.enum(['tcp', 'http', 'https']);
export type Protocol = z.infer<typeof Protocol>;

/** README: 80 → http, 443 → https, every other port → tcp. */
export function defaultProtocol(port: number): Protocol {
  if (port === 80) return 'http';
  if (port === 443) return 'https';
  return 'tcp';
}

const ExposeTarget = z.strictObject({
  /** A service of this deployment allowed to connect. */
  service: z.string().optional(),
  /** From outside the datacenter (with a service: that service in other datacenters). */
  global: z.boolean().default(false),
});

const Expose = z
  .strictObject({
    port: z.int().min(1).max(65535),
    proto: Protocol.optional(),
    to: optionalList(ExposeTarget),
  })
  .transform(({ port, proto, to }) => ({ port, proto: proto ?? defaultProtocol(port), to }));

export const Service = z
  .strictObject({
    image: z.string().min(1),
    'depends-on': optionalList(ServiceReference),
    args: optionalList(z.union([z.string(), z.number()]).transform(String)),
    env: Environment,
    expose: optionalList(Expose),
  })
  .transform(({ 'depends-on': dependsOn, ...service }) => ({ ...service, dependsOn }));

export type Service = z.infer<typeof Service>;

export const Services = namedMap(Service).refine((services) => Object.keys(services).length > 0, {
  message: 'a deployment needs at least one service',
});
