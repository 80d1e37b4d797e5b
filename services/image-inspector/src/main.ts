import { connectDatabase } from '@overcast/db';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import {
  correlation,
  createLogger,
  createMetrics,
  createOpsApp,
  handleShutdownSignals,
  startHttpServer,
} from '@overcast/service-kit';
import { S3Client } from '@aws-sdk/client-s3';
import { SQSClient } from '@aws-sdk/client-sqs';
import { loadImageInspectorConfigOrExit } from './config';
import { createAwsImageSnapshots } from './data-access/aws/aws-image-snapshots';
import { createAwsAccountAccess } from './data-access/aws/register-aws-account';
import { createSqsCloudTrailNotifications } from './data-access/aws/sqs-cloudtrail-notifications';
import { createImageInspectorService } from './service';

/** Read config → database → bus → image inspector → ops HTTP; SIGTERM/SIGINT stop them in reverse. Migrated before (src/migrate.ts). */
async function main(): Promise<void> {
  const config = loadImageInspectorConfigOrExit();
  const logger = createLogger({ service: 'image-inspector', level: config.LOG_LEVEL });
  const metrics = createMetrics({ service: 'image-inspector' });
  const database = await connectDatabase({ url: config.DATABASE_URL, schema: config.DATABASE_SCHEMA, logger });
  const bus = createAmqpBus({
    url: config.AMQP_URL,
    namespace: config.BUS_NAMESPACE,
    logger,
    context: correlation,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();
  const service = createImageInspectorService({
    settings: config.settings,
    database,
    bus,
    logger,
    aws: config.CLOUDTRAIL_S3_BUCKET
      ? createAwsAccountAccess({ cloudTrailBucket: config.CLOUDTRAIL_S3_BUCKET, homeRegion: config.AWS_HOME_REGION })
      : null,
    // Where AWS accounts register, their images are read from their snapshots (EBS direct APIs) by a job.
    awsImages: config.CLOUDTRAIL_S3_BUCKET ? createAwsImageSnapshots({ homeRegion: config.AWS_HOME_REGION }) : null,
    cloudTrailNotifications: config.CLOUDTRAIL_SQS_QUEUE_URL
      ? createSqsCloudTrailNotifications({
          queueUrl: config.CLOUDTRAIL_SQS_QUEUE_URL,
          sqs: new SQSClient({ region: config.AWS_HOME_REGION }),
          s3: new S3Client({ region: config.AWS_HOME_REGION }),
        })
      : null,
  });
  await service.start();
  const ops = createOpsApp({
    logger,
    metrics,
    checks: {
      database: async () => (await service.status()).checks.database === true,
      broker: () => bus.isReady(),
    },
  });
  const server = await startHttpServer(ops, { port: config.PORT, host: config.HOST });
  logger.info({ url: server.url }, 'image-inspector ops endpoints listening');
  handleShutdownSignals(async () => {
    await server.close();
    await service.stop();
    await bus.stop();
    await database.close();
  }, logger);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `image-inspector failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
