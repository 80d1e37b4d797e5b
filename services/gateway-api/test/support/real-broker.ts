import { randomBytes } from 'node:crypto';
import { applyMigrations, connectDatabase, type Database } from '@overcast/db';
import {
  createInstanceBrokerService,
  instanceBrokerMigrationsDir,
  instanceBrokerQueue,
  parseBrokerSettings,
  type BrokerSettingsEnvironment,
  type InstanceBrokerService,
} from '@overcast/instance-broker';
import type { SendNotification } from '@overcast/contracts';
import { createAmqpBus, deleteAmqpTopology, type Bus, type BusMetrics } from '@overcast/messaging';
import {
  createFakeAutoscalingGroups,
  createFakeComputeProvider,
  type FakeAutoscalingState,
  createProviderRegistry,
  type ComputeProvider,
  type CreateInstanceInput,
} from '@overcast/providers';
import { testAmqpUrl, uniqueName } from '@overcast/test-kit';
import type { Registry } from 'prom-client';

// The one place a gateway test runs the real instance broker (a test-only dependency; services never import each
// other at run time): what the gateway answers must hold against the real broker's validation and database, not a stub.

export interface RealBroker {
  service: InstanceBrokerService;
  /** The bus namespace: the gateway's bus must use the same one. */
  namespace: string;
  /** A bus of the gateway's own, started, on the broker's namespace. */
  gatewayBus: Bus;
  /** What the broker asked the fake provider to create, user data included (what a booting instance would fetch). */
  created: CreateInstanceInput[];
  /** The chat notices the broker sent (its notifier records them here). */
  notifications: SendNotification[];
  /** The fake cloud's autoscaling groups, policies, alarms, hooks, completed actions and confirmed subscriptions. */
  autoscaling: FakeAutoscalingState;
  stop(): Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** The instance broker on the fake provider (instant boot), in `databaseUrl`'s `instance_broker` schema, over the real RabbitMQ. */
export interface RealBrokerMetrics {
  /** The broker's registry (what its /metrics would serve) and its bus's counters. */
  brokerRegistry?: Registry;
  brokerBus?: BusMetrics;
  /** The counters of the gateway's bus. */
  gatewayBus?: BusMetrics;
}

export async function startRealBroker(
  databaseUrl: string,
  settings: BrokerSettingsEnvironment = {},
  metrics: RealBrokerMetrics = {},
): Promise<RealBroker> {
  const namespace = uniqueName('gateway-broker-test');
  const database: Database = await connectDatabase({ url: databaseUrl, schema: 'instance_broker', maxConnections: 5 });
  await applyMigrations(database, instanceBrokerMigrationsDir);
  const brokerBus = createAmqpBus({ url: testAmqpUrl(), namespace, metrics: metrics.brokerBus });
  const gatewayBus = createAmqpBus({ url: testAmqpUrl(), namespace, metrics: metrics.gatewayBus });
  const created: CreateInstanceInput[] = [];
  const notifications: SendNotification[] = [];
  const autoscaling = createFakeAutoscalingGroups();
  const fake = createFakeComputeProvider({ name: 'fake', latencyMs: 0, bootMs: 0, autoscalingGroups: autoscaling });
  const observed: ComputeProvider = Object.assign(Object.create(fake) as ComputeProvider, {
    createInstance: (input: CreateInstanceInput) => {
      created.push(input);
      return fake.createInstance(input);
    },
  });
  const service = createInstanceBrokerService({
    settings: parseBrokerSettings({
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      REFRESH_INTERVAL_MS: '1000',
      ...settings,
    }),
    database,
    bus: brokerBus,
    providers: createProviderRegistry([observed]),
    logger: silent,
    notifier: { send: async (message) => void notifications.push(message) },
    metricsRegistry: metrics.brokerRegistry,
  });
  await brokerBus.start();
  await gatewayBus.start();
  await service.start();
  return {
    service,
    namespace,
    gatewayBus,
    created,
    notifications,
    autoscaling: autoscaling.state,
    async stop() {
      await service.stop();
      await brokerBus.stop();
      await gatewayBus.stop();
      await database.close();
      // Quorum queues left behind slow the shared RabbitMQ down for every later run.
      await deleteAmqpTopology({
        url: testAmqpUrl(),
        namespace,
        queues: [instanceBrokerQueue],
        services: ['instance-broker', 'gateway-api', 'registry'],
      });
    },
  };
}
