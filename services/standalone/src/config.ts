import path from 'node:path';
import { amqpUrlVariable, loadConfigOrExit, logLevelVariable, parseConfig, portVariable } from '@overcast/service-kit';
import { z } from 'zod';

/** The repository root: `pnpm start` keeps its data under `<root>/.overcast` whatever the working directory. */
const repositoryRoot = path.resolve(__dirname, '..', '..', '..');

/**
 * The standalone's own variables. The services it composes read theirs (the gateway's rate limits and GitHub
 * login, the broker's intervals and INSTANCE_QUOTA_PER_TENANT) from the same environment through their own
 * schemas, so each default is written once, in the service that owns it.
 */
const environment = z.object({
  /** Where the gateway listens (8080); 0 picks a free port. */
  PORT: portVariable(8080),
  /** Interface to bind (127.0.0.1: a local tool is not exposed to the network unless asked). */
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: logLevelVariable(),
  /** State kept across restarts: embedded Postgres data, local instances, the secrets key (<repo>/.overcast). */
  OVERCAST_DATA_DIR: z.string().min(1).default(path.join(repositoryRoot, '.overcast')),
  /** A real Postgres instead of the embedded one; each service uses its own schema in it. */
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/, error: 'must be a postgres:// URL' }).optional(),
  /** RabbitMQ instead of the bus on the database. */
  AMQP_URL: amqpUrlVariable().optional(),
});

export interface StandaloneConfig extends z.output<typeof environment> {
  /** The environment the composed services' own schemas read; the standalone overrides what it owns (ports, URLs, key). */
  serviceEnvironment: NodeJS.ProcessEnv;
}

/** For main.ts and overcast-admin: the config, or every problem printed and exit 1. */
export function loadStandaloneConfigOrExit(env: NodeJS.ProcessEnv = process.env): StandaloneConfig {
  return { ...loadConfigOrExit(environment, { env }), serviceEnvironment: env };
}

/** For tests: the same schema over the variables given; throws a ConfigError naming every bad variable. */
export function parseStandaloneConfig(env: NodeJS.ProcessEnv): StandaloneConfig {
  return { ...parseConfig(environment, env), serviceEnvironment: env };
}
