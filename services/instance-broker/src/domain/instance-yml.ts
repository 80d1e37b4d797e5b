import { stringify } from 'yaml';

/**
 * pudding's "meta yml" (its examples/simple/meta.yml): the operator's settings per concern, keyed by site, then env
 * (librato and papertrail by site only). config.ts parses it from INSTANCE_YML; absent values are kept as pudding's
 * Go structs had them (empty strings, zeros, a missing s3 block as null) so the YAML a build gets is the same.
 */
export interface MetaYml {
  amqp: Record<string, Record<string, AmqpSettings>>;
  build: Record<string, Record<string, { api_token: string; url: string }>>;
  librato: Record<string, { email: string; token: string }>;
  cache: Record<string, Record<string, CacheSettings>>;
  papertrail: Record<string, string>;
}

export interface AmqpSettings {
  host: string;
  port: number;
  username: string;
  password: string;
  vhost: string;
  /** Written only when set, as pudding's `omitempty`. */
  tls?: string;
}

export interface CacheSettings {
  type: string;
  s3: { access_key_id: string; secret_access_key: string; bucket: string } | null;
  fetch_timeout: number;
  push_timeout: number;
}

/** A build whose site or env the meta yml lacks: permanent, named as pudding named it, with where it looked. */
export class InstanceYmlError extends Error {
  override name = 'InstanceYmlError';
}

function pick<Value>(table: Record<string, Value>, key: string, level: 'site' | 'env', path: string): Value {
  const value = Object.hasOwn(table, key) ? table[key] : undefined;
  if (value === undefined) throw new InstanceYmlError(`missing "${level}" sub-config (${path}.${key})`);
  return value;
}

/**
 * pudding's BuildInstanceSpecificYML: the worker configuration of one build's site, env, queue and count (`vms.count`
 * is the build's VM concurrency), in its Go struct's key order, and the site's papertrail destination.
 */
export function buildInstanceYml(
  meta: MetaYml,
  build: { site: string; env: string; queue: string; count: number },
): { instanceYml: string; papertrailSite: string } {
  const { site, env } = build;
  const amqp = pick(pick(meta.amqp, site, 'site', 'amqp'), env, 'env', `amqp.${site}`);
  const settings = pick(pick(meta.build, site, 'site', 'build'), env, 'env', `build.${site}`);
  const librato = pick(meta.librato, site, 'site', 'librato');
  const cache = pick(pick(meta.cache, site, 'site', 'cache'), env, 'env', `cache.${site}`);
  const papertrailSite = pick(meta.papertrail, site, 'site', 'papertrail');
  const document = {
    env: 'linux',
    linux: {
      host: '$INSTANCE_HOST_NAME',
      log_level: 'info',
      queue: `builds.${build.queue}`,
      amqp,
      vms: { provider: 'docker', count: build.count },
      build: settings,
      docker: { private_key_path: '/home/deploy/.ssh/docker_rsa' },
      paranoid: true,
      skip_resolv_updates: true,
      skip_etc_hosts_fix: true,
      librato,
      language_mappings: { clojure: 'jvm', elixir: 'erlang', groovy: 'jvm', java: 'jvm', scala: 'jvm' },
      cache_options: cache,
      timeouts: { hard_limit: 7200 },
    },
    ...(papertrailSite === '' ? {} : { papertrail_site: papertrailSite }),
  };
  return { instanceYml: stringify(document), papertrailSite };
}
