import path from 'node:path';
import {
  instanceBrokerCommands,
  instanceBrokerRpcs,
  INSTANCE_BROKER_SERVICE,
  type ServiceStatus,
} from '@overcast/contracts';
import { createOutboxRelay, registerOutboxMetrics, type Database } from '@overcast/db';
import type { Bus, Consumer } from '@overcast/messaging';
import { Registry } from 'prom-client';
import { createBrokerStore, type BrokerStoreHandle } from './data-access/broker-store';
import { registerInstanceCounts } from './data-access/instance-counts';
import { traceStoreWrites } from './data-access/traced-store';
import type { DomainLogger } from './domain/logger';
import { createConvergenceFollowUp } from './domain/follow-up-convergence';
import { systemClock, type Clock } from './domain/ports';
import type { ProviderDirectory } from './domain/provider-directory';
import type { ProviderRegistry } from '@overcast/providers';
import type { Notifier } from './domain/send-notification';
import { createUseCases } from './domain/use-cases';
import { noCrashPoints, type CrashPoints } from './domain/worker-context';
import { createCommandHandlers } from './entry-points/command-handlers';
import { createPeriodicJobs } from './entry-points/periodic-jobs';
import { createRpcHandlers } from './entry-points/rpc-handlers';
import { createSecretBox } from './secret-box';
import type { BrokerSettings } from './settings';
import { observeProviders } from './telemetry/observed-providers';

export interface InstanceBrokerDeps {
  /** From `parseBrokerConfig(env).settings` or `parseBrokerSettings(variables)`: the schema's defaults applied. */
  settings: BrokerSettings;
  /**
   * The service's own database (schema `instance_broker`), migrated with `instanceBrokerMigrationsDir` before
   * start (src/migrate.ts when deployed); the caller connects and closes it.
   */
  database: Database;
  /** The caller starts and stops it. */
  bus: Bus;
  /** The enabled providers; the caller closes them. */
  providers: ProviderRegistry;
  logger: DomainLogger;
  /** Slack-compatible webhook; without one notifications are skipped. */
  notifier?: Notifier;
  clock?: Clock;
  /**
   * The service's metrics registry (`createMetrics(…).registry`): instances by provider and state, outbox depth
   * and age, provider calls. Without one they are counted where nobody scrapes.
   */
  metricsRegistry?: Registry;
  /** Test-only: stop the create path at a chosen point, as if the process died there. */
  crashPoints?: CrashPoints;
}

export interface InstanceBrokerService {
  start(): Promise<void>;
  /** Stops taking work, lets in-flight work finish, and hands the periodic jobs over. */
  stop(): Promise<void>;
  status(): Promise<ServiceStatus>;
}

/** The work queue of the broker's own commands. */
export const instanceBrokerQueue = INSTANCE_BROKER_SERVICE;

/**
 * The broker's migrations, for @overcast/db's `applyMigrations`. Applied before `start()`, never by it, as for every
 * service: deployed, by the migrate entry point (an initContainer, a compose job), so a failed migration stops a
 * rollout before any replica starts; in one process (standalone, tests), by the composition, first.
 */
export const instanceBrokerMigrationsDir = path.join(__dirname, '..', 'prisma', 'migrations');

/** Prompt convergence after a create: the first look, then doubling up to the refresh interval. */
const followUpFirstDelayMs = 50;
const followUpMaxLooks = 8;

/** How long one database ping answers the readiness of status RPCs. */
const databaseCheckTtlMs = 1_000;

/** The registry answers unknown names with an error; the use cases ask and decide what an absence means. */
function directoryOf(registry: ProviderRegistry): ProviderDirectory {
  return { names: () => registry.names(), find: (name) => (registry.has(name) ? registry.get(name) : undefined) };
}

export function createInstanceBrokerService(deps: InstanceBrokerDeps): InstanceBrokerService {
  const { settings, database, bus, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const metricsRegistry = deps.metricsRegistry ?? new Registry();
  const providers = observeProviders(directoryOf(deps.providers), metricsRegistry);
  registerInstanceCounts(metricsRegistry, database);
  registerOutboxMetrics(metricsRegistry, database);
  const startedAt = Date.now();
  let store: BrokerStoreHandle | null = null;
  const stoppers: (() => Promise<void>)[] = [];

  // Readiness need not cost a database round trip per status RPC: one ping answers for a second.
  let databaseCheck: { up: Promise<boolean>; at: number } | null = null;
  function databaseUp(): Promise<boolean> {
    const now = Date.now();
    if (!store) return Promise.resolve(false);
    if (!databaseCheck || now - databaseCheck.at >= databaseCheckTtlMs) {
      databaseCheck = {
        up: store.ping().then(
          () => true,
          () => false,
        ),
        at: now,
      };
    }
    return databaseCheck.up;
  }

  async function status(): Promise<ServiceStatus> {
    const checks = { database: await databaseUp(), broker: bus.isReady() };
    return {
      service: INSTANCE_BROKER_SERVICE,
      ready: checks.database && checks.broker,
      uptimeSeconds: (Date.now() - startedAt) / 1000,
      checks,
    };
  }

  async function start(): Promise<void> {
    const opened = traceStoreWrites(
      createBrokerStore(database, { instanceQuota: { defaultLimit: settings.instanceQuotaPerTenant } }),
      database.schema,
    );
    store = opened;
    stoppers.push(() => opened.close());
    const followUp = createConvergenceFollowUp({
      store: opened,
      providers,
      clock,
      logger,
      firstDelayMs: followUpFirstDelayMs,
      maxDelayMs: settings.refreshIntervalMs,
      maxLooks: followUpMaxLooks,
    });
    // Stopped after the workers that schedule looks, before the store the looks use.
    stoppers.push(() => followUp.stop());
    const useCases = createUseCases({
      store: opened,
      providers,
      secretBox: createSecretBox(settings.secretsKey),
      clock,
      logger,
      notifier: deps.notifier,
      crashPoints: deps.crashPoints ?? noCrashPoints,
      settings: {
        ...settings,
        defaultProvider: settings.defaultProvider ?? providers.names()[0] ?? 'local',
        initScriptTemplate: {
          text: settings.initScriptTemplate,
          environment: settings.initScriptEnvironment ?? {},
          instanceRsa: settings.initScriptInstanceRsa,
          metaYml: settings.initScriptMetaYml,
        },
      },
      followUp,
    });

    const commands: Consumer = await bus.consume(
      instanceBrokerQueue,
      instanceBrokerCommands,
      createCommandHandlers(useCases, settings.retry.maxAttempts),
      { retry: settings.retry, prefetch: settings.prefetch },
    );
    stoppers.push(() => commands.stop());

    // After the work queue exists: the broker refuses commands that no queue takes.
    const relay = createOutboxRelay({ database, bus, logger });
    await relay.start();
    stoppers.push(() => relay.stop());

    const jobs = createPeriodicJobs({
      database,
      store: opened,
      providers,
      useCases,
      clock,
      logger,
      settings: { ...settings, leaseMs: settings.jobLeaseMs },
    });
    for (const job of jobs) {
      await job.start();
      stoppers.push(() => job.stop());
    }

    const rpc = await bus.serve(INSTANCE_BROKER_SERVICE, instanceBrokerRpcs, createRpcHandlers(useCases, { status }));
    stoppers.push(() => rpc.stop());
    logger.info({ providers: providers.names() }, 'instance broker started');
  }

  async function stop(): Promise<void> {
    // Reverse order: stop answering, then stop jobs and workers (draining), then the relay, then the store.
    while (stoppers.length > 0) {
      const stopOne = stoppers.pop();
      await stopOne?.().catch((error: unknown) => logger.error({ err: error }, 'stopping a part failed'));
    }
    store = null;
    databaseCheck = null;
  }

  return { start, stop, status };
}
