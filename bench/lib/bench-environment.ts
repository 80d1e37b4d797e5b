import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { deleteAmqpTopology } from '@overcast/messaging';
import { createTestDatabase, testAmqpUrl, type TestDatabase } from '@overcast/test-kit';
import type { BrokerInfo } from './broker-process';
import type { CeilingUrls } from './ceiling-process';
import { startChildService, type ChildService } from './child-service';
import type { GatewayInfo } from './gateway-process';
import { backendPidsOf } from './postgres-backends';
import { createCostMeter, type CostMeter } from './costs';
import { listenerPid, type ProcessGroups } from './process-cpu';

export interface BenchEnvironment {
  amqpUrl: string;
  namespace: string;
  ceilings: CeilingUrls;
  gateway: GatewayInfo;
  /** Set when `unauthenticatedOperations` was given: a second gateway like the first, serving those without auth. */
  unauthenticatedGateway?: GatewayInfo;
  /** The processes whose CPU time a run accounts for: this one (the load generator), each child, the Postgres
   * backends of the run's databases and the RabbitMQ node (shared with whatever else uses it). */
  processGroups(): Promise<ProcessGroups>;
  /** Measures what a piece of work cost: CPU of `processGroups`, database queries of the gateway and the broker. */
  meter: CostMeter;
  /** Stops every process, then drops the database and deletes the namespace's queues and exchanges. */
  close(): Promise<void>;
}

/**
 * Rate limits would cap the very throughput being measured: the tenant and anonymous limits are raised out of
 * reach. The failed-authentication budget per client stays at its default: it is the defence the flood run measures.
 */
const unlimited = { RATE_LIMIT_PER_TENANT: '1000000000', RATE_LIMIT_PER_ANONYMOUS_CLIENT: '1000000000' };

export interface BenchEnvironmentOptions {
  /** Adds to or overrides the gateway's configuration. */
  gatewayEnv?: Record<string, string>;
  /** Queues the benchmark itself consumes from, deleted with the rest. */
  ownQueues?: string[];
  /** operationIds a second gateway (same configuration, database and bus) serves without authentication. */
  unauthenticatedOperations?: string[];
  /**
   * More services of the run beside the instance broker, each a child process (a module calling
   * `runAsChildService`) given BENCH_DATABASE_URL, AMQP_URL and BUS_NAMESPACE; `service` names its bus service
   * and queue, deleted with the rest.
   */
  services?: { service: string; script: string }[];
}

/**
 * The processes of one run, on the real Postgres and RabbitMQ: the ceiling servers, the instance broker
 * (fake provider, zero latency) and the gateway, each a process of its own, under a fresh database and a
 * fresh bus namespace.
 */
export async function startBenchEnvironment(options: BenchEnvironmentOptions = {}): Promise<BenchEnvironment> {
  const amqpUrl = testAmqpUrl();
  const namespace = `bench-${randomBytes(4).toString('hex')}`;
  const database: TestDatabase = await createTestDatabase();
  const children: ChildService<unknown>[] = [];
  const extraServices = (options.services ?? []).map((each) => each.service);
  const extras: Record<string, ChildService<unknown>> = {};
  // Ctrl-C (or a timeout's SIGTERM) still drops the database and the queues, then exits as interrupted.
  const interrupted = () => void close().finally(() => process.exit(130));
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);
  let closing: Promise<void> | undefined;
  const close = () => (closing ??= closeOnce());
  const closeOnce = async () => {
    process.off('SIGINT', interrupted);
    process.off('SIGTERM', interrupted);
    for (const child of children.reverse()) await child.stop();
    try {
      await deleteAmqpTopology({
        url: amqpUrl,
        namespace,
        queues: ['instance-broker', ...extraServices, ...(options.ownQueues ?? [])],
        services: ['instance-broker', 'gateway-api', ...extraServices],
      });
    } finally {
      await database.drop();
    }
  };
  try {
    const ceilings = await startChildService<CeilingUrls>('ceilings', path.join(__dirname, 'ceiling-process.ts'), {});
    children.push(ceilings);
    const broker = await startChildService<BrokerInfo>('instance-broker', path.join(__dirname, 'broker-process.ts'), {
      BENCH_DATABASE_URL: database.url,
      AMQP_URL: amqpUrl,
      BUS_NAMESPACE: namespace,
    });
    children.push(broker);
    for (const extra of options.services ?? []) {
      const child = await startChildService<unknown>(extra.service, extra.script, {
        BENCH_DATABASE_URL: database.url,
        AMQP_URL: amqpUrl,
        BUS_NAMESPACE: namespace,
      });
      children.push(child);
      extras[extra.service] = child;
    }
    const startGateway = async (name: string, env: Record<string, string> = {}) => {
      const child = await startChildService<GatewayInfo>(name, path.join(__dirname, 'gateway-process.ts'), {
        PORT: '0',
        HOST: '127.0.0.1',
        // Errors still show; an access-log line per request would measure the log sink, not the gateway.
        LOG_LEVEL: 'warn',
        DATABASE_URL: database.url,
        AMQP_URL: amqpUrl,
        BUS_NAMESPACE: namespace,
        STATUS_SERVICES: 'instance-broker',
        // The load says which client it is with X-Forwarded-For, as a load balancer would.
        TRUST_PROXY: 'loopback',
        ...unlimited,
        ...options.gatewayEnv,
        ...env,
      });
      children.push(child);
      return child;
    };
    const gateway = await startGateway('gateway');
    const unauthenticated = options.unauthenticatedOperations
      ? await startGateway('gateway-without-auth', {
          BENCH_UNAUTHENTICATED_OPERATIONS: options.unauthenticatedOperations.join(','),
        })
      : undefined;
    const rabbitmq = listenerPid(Number(new URL(amqpUrl).port || 5672));
    const processGroups = async (): Promise<ProcessGroups> => ({
      load: [process.pid],
      gateway: [gateway.pid],
      ...(unauthenticated && { 'gateway-without-auth': [unauthenticated.pid] }),
      broker: [broker.pid],
      ...Object.fromEntries(Object.entries(extras).map(([name, child]) => [name, [child.pid]])),
      ceilings: [ceilings.pid],
      postgres: await backendPidsOf([database.name, ceilings.info.databaseName]),
      ...(rabbitmq && { rabbitmq: [rabbitmq] }),
    });
    const meter = createCostMeter(processGroups, {
      gateway,
      ...(unauthenticated && { 'gateway-without-auth': unauthenticated }),
      broker,
      ...extras,
    });
    return {
      amqpUrl,
      namespace,
      ceilings: ceilings.info,
      gateway: gateway.info,
      unauthenticatedGateway: unauthenticated?.info,
      processGroups,
      meter,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
