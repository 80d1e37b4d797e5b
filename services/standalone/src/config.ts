import path from 'node:path';
import { amqpUrlVariable, loadConfigOrExit, logLevelVariable, portVariable, positiveIntegerVariable } from '@overcast/service-kit';
import { z } from 'zod';

/** The repository root: `pnpm start` keeps its data under `<root>/.overcast` whatever the working directory. */
const repositoryRoot = path.resolve(__dirname, '..', '..', '..');

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
  /** Live instances a tenant may have at once (100), unless an operator set the tenant its own limit. */
  INSTANCE_QUOTA_PER_TENANT: positiveIntegerVariable(100),
  /** RabbitMQ instead of the bus on the database. */
  AMQP_URL: amqpUrlVariable().optional(),
});

export type StandaloneConfig = z.infer<typeof environment>;

export function loadStandaloneConfigOrExit(): StandaloneConfig {
  return loadConfigOrExit(environment);
}

export function parseStandaloneConfig(env: NodeJS.ProcessEnv): StandaloneConfig {
  return environment.parse(env);
}
