import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { REGISTRY_SERVICE, registryRpcs, type ServiceStatus } from '@overcast/contracts';
import { createExclusiveJob, createOutboxRelay, pruneInbox, type Database } from '@overcast/db';
import { createDeploymentConfigParser, createIncludeLoader } from '@overcast/deployment-config';
import type { Bus } from '@overcast/messaging';
import { createSecretBox } from '@overcast/providers';
import type { RegistrySettings } from './config';
import { createRegistryStore } from './data-access/registry-store';
import { openRegistryAuthority } from './domain/certificate-authority-port';
import { createDatacenterUseCases } from './domain/datacenter-use-cases';
import { createDeploymentUseCases } from './domain/deployment-use-cases';
import { systemClock, type Clock } from './domain/ports';
import { createConfigReader } from './domain/read-config';
import { createReconcileUseCases } from './domain/reconcile';
import { startAgentServer } from './entry-points/agent-server';
import { createRpcHandlers } from './entry-points/rpc-handlers';
import { createAgentHeartbeat } from './domain/agent-heartbeat';
import { createAgentAuthentication } from './domain/authenticate-agent';
import { createMissedHeartbeatTimers } from './entry-points/missed-heartbeat-timers';
import { createPlacementWatchers } from './entry-points/placement-watchers';
import { exportPrivateKeyPem, generateKeyPair } from './ca/keys';
import { createNotificationStore } from './data-access/notification-store';
import { createNotifier, type Notifier } from './domain/notifications/deliver-notifications';
import { deriveWebhookSecret } from './domain/notifications/webhook-secret';
import { createEmailSender } from './notifications/email-sender';
import { createWebhookSender } from './notifications/webhook-sender';

export interface RegistryLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface RegistryDeps {
  settings: RegistrySettings;
  /** Its own database (schema `registry`), migrated with `registryMigrationsDir` before start. */
  database: Database;
  /** The caller starts and stops it. */
  bus: Bus;
  logger: RegistryLogger;
  clock?: Clock;
}

export interface RegistryService {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ServiceStatus>;
  /** The port the agent endpoint listens on (mutual TLS), once started with AGENT_PORT set. */
  agentPort(): number | undefined;
  /** One reconcile pass now (tests, and whoever wants placement without waiting for the job). */
  reconcileNow(): Promise<{ changed: boolean }>;
  /** One notifier pass now: events fanned out to deliveries, due deliveries tried (tests). */
  notifyNow(): Promise<{ planned: number; tried: number }>;
}

export const registryMigrationsDir = path.join(__dirname, '..', 'prisma', 'migrations');

/** Remote includes: https from public addresses only, bounded (the operator's allow-list is a later setting). */
const httpsIncludes = { maxBytes: 1_048_576, timeoutMs: 5_000 };
const inboxRetentionMs = 7 * 24 * 60 * 60 * 1000;

export function createRegistryService(deps: RegistryDeps): RegistryService {
  const { settings, database, bus, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const startedAt = Date.now();
  const store = createRegistryStore(database, clock);
  const parser = createDeploymentConfigParser();
  const configs = createConfigReader(parser, createIncludeLoader({ https: httpsIncludes }));
  const reconcile = createReconcileUseCases({ store, clock, settings });
  const stoppers: (() => Promise<void>)[] = [];
  let agentPort: number | undefined;
  let notifier: Notifier | undefined;
  const webhookSecret = (deploymentId: string) => deriveWebhookSecret(settings.secretsKey, deploymentId);

  async function status(): Promise<ServiceStatus> {
    const databaseUp = await store.ping().then(
      () => true,
      () => false,
    );
    const checks = { database: databaseUp, broker: bus.isReady() };
    return {
      service: REGISTRY_SERVICE,
      ready: checks.database && checks.broker,
      uptimeSeconds: (Date.now() - startedAt) / 1000,
      checks,
    };
  }

  async function start(): Promise<void> {
    const secretBox = createSecretBox(settings.secretsKey);
    const ca = await openRegistryAuthority(store, secretBox);
    const datacenters = createDatacenterUseCases({ store, ca, configs, clock });
    const deployments = createDeploymentUseCases({
      store,
      ca,
      secretBox,
      configs,
      clock,
      failbackAfterMs: settings.failbackAfterMs,
      webhookSecret,
    });

    const relay = createOutboxRelay({ database, bus, logger });
    await relay.start();
    stoppers.push(() => relay.stop());

    const job = createExclusiveJob({
      database,
      logger,
      name: 'registry.reconcile',
      intervalMs: settings.reconcileIntervalMs,
      leaseMs: settings.jobLeaseMs,
      run: async () => {
        await reconcile.reconcile();
        await pruneInbox(database, { olderThanMs: inboxRetentionMs });
      },
    });
    await job.start();
    stoppers.push(() => job.stop());

    notifier = await startNotifier(webhookSecret);

    const rpc = await bus.serve(
      REGISTRY_SERVICE,
      registryRpcs,
      createRpcHandlers({ datacenters, deployments, reconcile }, status),
    );
    stoppers.push(() => rpc.stop());

    if (settings.agentEndpoint) {
      // A fresh key and certificate each start: nothing to keep or rotate, and agents trust the root, not this leaf.
      const keys = await generateKeyPair();
      const { host, port, serverNames } = settings.agentEndpoint;
      // Placement changes committed by any replica reach the agents whose streams this one holds.
      const watchers = createPlacementWatchers();
      const unwatch = await store.watchPlacementChanges((datacenterId) => watchers.signal(datacenterId));
      stoppers.push(unwatch);
      const authenticateAgent = createAgentAuthentication({ store });
      // A datacenter whose heartbeats stop is seen down when the last one is due, not at the job's next tick.
      const missedHeartbeats = createMissedHeartbeatTimers({
        timeoutMs: settings.heartbeatTimeoutMs,
        missed: () =>
          void reconcile.reconcile().catch((error: unknown) => logger.warn({ err: error }, 'reconcile pass failed')),
      });
      stoppers.push(async () => missedHeartbeats.stopAll());
      const agents = await startAgentServer({
        host,
        port,
        caBundle: ca.caBundle(),
        certificate: await ca.issueRegistryServer('registry', keys.publicKey, serverNames),
        privateKey: await exportPrivateKeyPem(keys.privateKey),
        heartbeat: createAgentHeartbeat({ store, reconcile, authenticateAgent }),
        authenticateAgent,
        watchers,
        answered: (datacenterId) => missedHeartbeats.heartbeat(datacenterId),
        logger,
      });
      agentPort = agents.port;
      stoppers.push(() => agents.stop());
      logger.info({ port: agents.port }, 'registry agent endpoint listening (mutual TLS)');
    }
    logger.info({}, 'registry started');
  }

  /** Deployment events to webhooks and email, from the events table through the deliveries outbox. */
  async function startNotifier(secretFor: (deploymentId: string) => string): Promise<Notifier> {
    const options = settings.notifications;
    const notificationStore = createNotificationStore(database);
    const email = createEmailSender({
      smtpUrl: options.smtpUrl,
      from: options.emailFrom,
      timeoutMs: options.timeoutMs,
    });
    const webhook = createWebhookSender({
      allowedHosts: options.allowedHosts,
      allowedNetworks: options.allowedNetworks,
      ...(options.caFile ? { ca: await readFile(options.caFile, 'utf8') } : {}),
      timeoutMs: options.timeoutMs,
      secretFor,
    });
    const created = createNotifier({
      store: notificationStore,
      senders: { webhook, email },
      clock,
      settings: { maxAttempts: options.maxAttempts, retry: options.retry, batchSize: 20 },
    });
    stoppers.push(async () => {
      email.close();
      await notificationStore.close();
    });
    const job = createExclusiveJob({
      database,
      logger,
      name: 'registry.notifications',
      intervalMs: options.intervalMs,
      leaseMs: settings.jobLeaseMs,
      run: async () => {
        await created.run();
      },
    });
    await job.start();
    stoppers.push(() => job.stop());
    return created;
  }

  async function stop(): Promise<void> {
    while (stoppers.length > 0) {
      const stopOne = stoppers.pop();
      await stopOne?.().catch((error: unknown) => logger.error({ err: error }, 'stopping a part failed'));
    }
    await parser.close();
    await store.close();
  }

  return {
    start,
    stop,
    status,
    agentPort: () => agentPort,
    reconcileNow: () => reconcile.reconcile(),
    notifyNow: () => {
      if (!notifier) throw new Error('the registry is not started');
      return notifier.run();
    },
  };
}
