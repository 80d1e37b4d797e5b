import path from 'node:path';
import { IMAGE_INSPECTOR_SERVICE, imageInspectorRpcs, type ServiceStatus } from '@overcast/contracts';
import { createExclusiveJob, type Database, type ExclusiveJobOptions } from '@overcast/db';
import type { Bus } from '@overcast/messaging';
import type { ImageInspectorSettings } from './config';
import { startHttpServer, type RunningHttpServer } from '@overcast/service-kit';
import { createInspectionStore } from './data-access/inspection-store';
import { createLocalAccounts } from './data-access/local-accounts';
import { createLocalCatalogDisks } from './data-access/local-catalog-disks';
import { createUsageStore } from './data-access/usage-store';
import { createAccountUseCases } from './domain/account-use-cases';
import { createIngestCloudTrailNotifications, type CloudTrailNotifications } from './domain/cloudtrail-notifications';
import type { AwsAccountAccess } from './domain/aws-account-access';
import { createImageUseCases } from './domain/image-use-cases';
import type { AwsImageSnapshots } from './domain/inspection/aws-image-snapshots';
import { createInspectAwsImages } from './domain/inspection/inspect-aws-images';
import { createImageInspectionUploads } from './domain/inspection/inspect-uploaded-image';
import { createTriageImages } from './domain/inspection/triage-images';
import { createIngestActivityLog } from './domain/ingest-activity-log';
import { systemClock, type Clock } from './domain/ports';
import { createReportUseCases } from './domain/report-use-cases';
import { createTrackOvercastInstance } from './domain/track-overcast-instances';
import { createEventHandlers, followedInstanceEvents } from './entry-points/event-handlers';
import { createInspectionUploadEndpoint, inspectionUploadPath } from './entry-points/inspection-upload-endpoint';
import { createRpcHandlers } from './entry-points/rpc-handlers';
import { createWatchedDirectory } from './entry-points/watched-directory';

export interface ImageInspectorLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface ImageInspectorDeps {
  settings: ImageInspectorSettings;
  /** Its own database (schema `image_inspector`), migrated with `imageInspectorMigrationsDir` before start. */
  database: Database;
  /** The caller starts and stops it. */
  bus: Bus;
  logger: ImageInspectorLogger;
  /** AWS account registration; null where no AWS credentials are configured (local accounts only). */
  aws?: AwsAccountAccess | null;
  /** CloudTrail's notifications (SQS → S3); null where none is configured (uploads and local accounts only). */
  cloudTrailNotifications?: CloudTrailNotifications | null;
  /** AWS images read from their snapshots (EBS direct APIs); null where AWS is not configured (no AWS job). */
  awsImages?: AwsImageSnapshots | null;
  clock?: Clock;
}

export interface ImageInspectorService {
  start(): Promise<void>;
  stop(): Promise<void>;
  status(): Promise<ServiceStatus>;
  /** One pass over CloudTrail's notifications now (tests; the job runs it every CLOUDTRAIL_POLL_INTERVAL_MS). */
  pollCloudTrailNow(): Promise<{ notifications: number; eventsAdded: number }>;
  /** One pass over the watched directory now (tests; the job looks every ACTIVITY_LOG_WATCH_INTERVAL_MS). */
  ingestWatchedDirectoryNow(): Promise<{ ingested: number; setAside: number }>;
  /** One pass of the AWS inspection job now (tests; the job runs every AWS_INSPECTION_INTERVAL_MS). */
  inspectAwsImagesNow(): Promise<number>;
  /** One pass of the image triage now (tests; the job runs every IMAGE_TRIAGE_INTERVAL_MS): how many it triaged. */
  triageImagesNow(): Promise<number>;
  /** The disk image upload endpoint's URL, once started with INSPECTION_UPLOAD_PORT set. */
  uploadUrl(): string | null;
}

export const imageInspectorMigrationsDir = path.join(__dirname, '..', 'prisma', 'migrations');

/** The durable queue on which the image inspector follows the instance broker's state changes. */
export const followedInstanceEventsQueue = `${IMAGE_INSPECTOR_SERVICE}.instance-events`;

export function createImageInspectorService(deps: ImageInspectorDeps): ImageInspectorService {
  const { settings, database, bus, logger } = deps;
  const clock = deps.clock ?? systemClock;
  const startedAt = Date.now();
  const store = createUsageStore(database);
  const inspectionStore = createInspectionStore(database);
  let uploadServer: RunningHttpServer | null = null;
  const uploadUrl = (): string | null => {
    const endpoint = settings.inspectionUpload.endpoint;
    if (!endpoint || !uploadServer) return null;
    return `${(endpoint.url ?? uploadServer.url).replace(/\/+$/, '')}${inspectionUploadPath}`;
  };
  const limits = { maxDecompressedBytes: settings.activityLogMaxBytes };
  const localAccounts = createLocalAccounts(database);
  const ingestActivityLog = createIngestActivityLog({ store, limits });
  const ingestWatchedDirectory = settings.watchedDirectory
    ? createWatchedDirectory({
        directory: settings.watchedDirectory.path,
        accounts: localAccounts,
        ingest: ingestActivityLog,
        logger,
      })
    : async () => ({ ingested: 0, setAside: 0 });
  const { awsInspection } = settings;
  const inspectAwsImages = deps.awsImages
    ? createInspectAwsImages({
        store: inspectionStore,
        aws: deps.awsImages,
        clock,
        retry: awsInspection,
        batchSize: awsInspection.batchSize,
      })
    : async () => 0;
  const triageImages = createTriageImages({
    store: inspectionStore,
    clock,
    awsInspection: Boolean(deps.awsImages),
    localDisks: createLocalCatalogDisks(settings.localImagesFile),
    batchSize: 500,
    onCatalogError: (error) =>
      logger.warn({ err: error }, 'LOCAL_IMAGES_FILE could not be read: its images are triaged once it can'),
  });
  const uploads = createImageInspectionUploads({
    store: inspectionStore,
    clock,
    maxBytes: settings.inspectionUpload.maxBytes,
    uploadUrl,
  });
  const stoppers: (() => Promise<void>)[] = [];
  const pollCloudTrail = deps.cloudTrailNotifications
    ? createIngestCloudTrailNotifications({ notifications: deps.cloudTrailNotifications, store, limits, logger })
    : async () => ({ notifications: 0, eventsAdded: 0 });

  async function status(): Promise<ServiceStatus> {
    const databaseUp = await store.ping().then(
      () => true,
      () => false,
    );
    const checks = { database: databaseUp, broker: bus.isReady() };
    return {
      service: IMAGE_INSPECTOR_SERVICE,
      ready: checks.database && checks.broker,
      uptimeSeconds: (Date.now() - startedAt) / 1000,
      checks,
    };
  }

  async function start(): Promise<void> {
    const useCases = {
      accounts: createAccountUseCases({ store, aws: deps.aws ?? null, clock }),
      images: createImageUseCases({ store }),
      uploads,
      reports: createReportUseCases({ store, clock }),
      ingestActivityLog,
      store,
      awsAccountId: settings.awsAccountId,
    };
    const events = await bus.consume(
      followedInstanceEventsQueue,
      followedInstanceEvents,
      createEventHandlers(createTrackOvercastInstance({ store })),
    );
    stoppers.push(() => events.stop());
    const startJob = async (job: Omit<ExclusiveJobOptions, 'database' | 'logger'>): Promise<void> => {
      const started = createExclusiveJob({ database, logger, ...job });
      await started.start();
      stoppers.push(() => started.stop());
    };
    if (deps.cloudTrailNotifications) {
      await startJob({
        name: 'image-inspector.cloudtrail',
        intervalMs: settings.cloudTrailPollIntervalMs,
        leaseMs: settings.cloudTrailPollIntervalMs * 2,
        run: async () => {
          await pollCloudTrail();
        },
      });
    }
    if (settings.watchedDirectory) {
      await startJob({
        name: 'image-inspector.watched-directory',
        intervalMs: settings.watchedDirectory.intervalMs,
        run: async ({ signal }) => {
          await ingestWatchedDirectory(signal);
        },
      });
    }
    await startJob({
      name: 'image-inspector.image-triage',
      intervalMs: settings.imageTriageIntervalMs,
      run: async ({ signal }) => {
        await triageImages(signal);
      },
    });
    if (deps.awsImages) {
      await startJob({
        name: 'image-inspector.aws-inspection',
        intervalMs: awsInspection.intervalMs,
        run: async ({ signal }) => {
          await inspectAwsImages(signal);
        },
      });
    }
    const endpoint = settings.inspectionUpload.endpoint;
    if (endpoint) {
      const server = await startHttpServer(createInspectionUploadEndpoint({ uploads, logger }), endpoint);
      uploadServer = server;
      stoppers.push(async () => {
        uploadServer = null;
        await server.close();
      });
      logger.info({ url: uploadUrl() }, 'image inspector upload endpoint listening');
    }
    const rpc = await bus.serve(IMAGE_INSPECTOR_SERVICE, imageInspectorRpcs, createRpcHandlers(useCases, status));
    stoppers.push(() => rpc.stop());
    logger.info({}, 'image inspector started');
  }

  async function stop(): Promise<void> {
    while (stoppers.length > 0) {
      const stopOne = stoppers.pop();
      await stopOne?.().catch((error: unknown) => logger.error({ err: error }, 'stopping a part failed'));
    }
    await store.close();
    await inspectionStore.close();
    await localAccounts.close();
  }

  return {
    start,
    stop,
    status,
    pollCloudTrailNow: pollCloudTrail,
    inspectAwsImagesNow: () => inspectAwsImages(),
    triageImagesNow: () => triageImages(),
    ingestWatchedDirectoryNow: () => ingestWatchedDirectory(),
    uploadUrl,
  };
}
