import path from 'node:path';
import { APP_MANAGER_SERVICE, appManagerCommands, appManagerRpcs, type ServiceStatus } from '@overcast/contracts';
import { createExclusiveJob, createOutboxRelay, pruneInbox, type Database } from '@overcast/db';
import type { Bus } from '@overcast/messaging';
import type { AppManagerSettings } from './config';
import { createAppStore } from './data-access/app-store';
import { createInstanceBrokerClient } from './data-access/instance-broker-client';
import { createAppUseCases } from './domain/app-use-cases';
import type { ContainerPlatforms, CrashPoint, DomainContext, DomainLogger, InstanceBroker } from './domain/context';
import { createDeployWorkflow } from './domain/deploy-workflow';
import { createDistrictUseCases } from './domain/district-use-cases';
import { createOneoffUseCases } from './domain/oneoff-use-cases';
import { systemClock, type Clock } from './domain/ports';
import { createReleaseUseCases } from './domain/release-use-cases';
import { createCommandHandlers } from './entry-points/command-handlers';
import { createEventHandlers, followedInstanceEvents } from './entry-points/event-handlers';
import { createRpcHandlers } from './entry-points/rpc-handlers';
import { createSecretBox } from '@overcast/providers';

export interface AppManagerDeps {
  settings: AppManagerSettings;
  /** Its own database (schema `app_manager`), migrated with `appManagerMigrationsDir` before start. */
  database: Database;
  /** The caller starts and stops it. */
  bus: Bus;
  /** The container platform of each district's provider; the caller closes them. */
  platforms: ContainerPlatforms;
  logger: DomainLogger;
  clock?: Clock;
  /** The instance broker; by default its RPCs on `bus`. */
  broker?: InstanceBroker;
  /** Test-only: a deploy calls it at named points; a test throws there, as if the process died. */
  crashPoint?: CrashPoint;
}

export interface AppManagerService {
  start(): Promise<void>;
  /** Stops answering, lets in-flight jobs finish (a deploy cut short resumes on redelivery), hands the scheduler over. */
  stop(): Promise<void>;
  status(): Promise<ServiceStatus>;
  /** One scheduler pass now (tests). */
  runDueSchedules(): Promise<number>;
  /** One pass of the stale-deploy sweep now (tests): the deploys it ended `timed_out`. */
  timeOutStaleDeploys(): Promise<number>;
}

/** The app manager's work queue. */
export const appManagerQueue = APP_MANAGER_SERVICE;
/** Its subscription to the instance broker's instance events (one queue per subscriber). */
export const followedInstanceEventsQueue = `${APP_MANAGER_SERVICE}.instance-events`;
export const appManagerMigrationsDir = path.join(__dirname, '..', 'prisma', 'migrations');
const inboxRetentionMs = 7 * 24 * 60 * 60 * 1000;
const staleDeploySweepMs = 60_000;

export function createAppManagerService(deps: AppManagerDeps): AppManagerService {
  const { settings, database, bus, logger } = deps;
  const secrets = createSecretBox(settings.secretsKey);
  const store = createAppStore(database, secrets, settings.quotas);
  const context: DomainContext = {
    store,
    platforms: deps.platforms,
    secrets,
    clock: deps.clock ?? systemClock,
    logger,
    settings,
    broker: deps.broker ?? createInstanceBrokerClient(bus),
    crashPoint: deps.crashPoint ?? (() => undefined),
  };
  const districts = createDistrictUseCases(context);
  const apps = createAppUseCases(context);
  const releases = createReleaseUseCases(context, apps);
  const oneoffs = createOneoffUseCases(context, apps);
  const workflow = createDeployWorkflow(context);
  const startedAt = Date.now();
  const stoppers: (() => Promise<void>)[] = [];

  async function status(): Promise<ServiceStatus> {
    const databaseUp = await store.ping().then(
      () => true,
      () => false,
    );
    const checks = { database: databaseUp, broker: bus.isReady() };
    return {
      service: APP_MANAGER_SERVICE,
      ready: checks.database && checks.broker,
      uptimeSeconds: (Date.now() - startedAt) / 1000,
      checks,
    };
  }

  async function start(): Promise<void> {
    const retry = { maxAttempts: settings.jobMaxAttempts, baseDelayMs: settings.jobRetryBaseMs, maxDelayMs: 30_000 };
    const commands = await bus.consume(
      appManagerQueue,
      appManagerCommands,
      createCommandHandlers(workflow, oneoffs, districts, retry),
      {
        retry,
        prefetch: 32,
      },
    );
    stoppers.push(() => commands.stop());
    const instanceEvents = await bus.consume(
      followedInstanceEventsQueue,
      followedInstanceEvents,
      createEventHandlers(districts),
    );
    stoppers.push(() => instanceEvents.stop());
    // After the work queue exists: the broker refuses commands that no queue takes.
    const relay = createOutboxRelay({ database, bus, logger });
    await relay.start();
    stoppers.push(() => relay.stop());
    const scheduler = createExclusiveJob({
      database,
      logger,
      name: 'app-manager.scheduler',
      intervalMs: settings.schedulerIntervalMs,
      leaseMs: settings.jobLeaseMs,
      run: async () => {
        await oneoffs.runDueSchedules();
        await pruneInbox(database, { olderThanMs: inboxRetentionMs });
      },
    });
    await scheduler.start();
    stoppers.push(() => scheduler.stop());
    // The backstop of a deploy whose job is gone (see timeOutStaleDeploys): a minute late is soon enough for a
    // deploy already past its ≈1000 s timeout, and a look at the deploys table once a minute costs nothing.
    const staleDeploys = createExclusiveJob({
      database,
      logger,
      name: 'app-manager.stale-deploys',
      intervalMs: staleDeploySweepMs,
      leaseMs: settings.jobLeaseMs,
      run: async () => {
        await workflow.timeOutStaleDeploys();
      },
    });
    await staleDeploys.start();
    stoppers.push(() => staleDeploys.stop());
    const rpc = await bus.serve(
      APP_MANAGER_SERVICE,
      appManagerRpcs,
      createRpcHandlers({ districts, apps, releases, oneoffs }, status),
    );
    stoppers.push(() => rpc.stop());
    logger.info({}, 'app manager started');
  }

  async function stop(): Promise<void> {
    while (stoppers.length > 0) {
      const stopOne = stoppers.pop();
      await stopOne?.().catch((error: unknown) => logger.error({ err: error }, 'stopping a part failed'));
    }
    await store.close();
  }

  return {
    start,
    stop,
    status,
    runDueSchedules: () => oneoffs.runDueSchedules(),
    timeOutStaleDeploys: () => workflow.timeOutStaleDeploys(),
  };
}
