import { connectDatabase, migrateDatabase } from '@overcast/db';
import { createAmqpBus, createMemoryBroker, createMemoryBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { createTestDatabase, hasRabbitMq, testAmqpUrl, uniqueName } from '@overcast/test-kit';
import { parseImageInspectorSettings, type ImageInspectorSettingsEnvironment } from '../../src/config';
import type { AwsAccountAccess } from '../../src/domain/aws-account-access';
import type { AwsImageSnapshots } from '../../src/domain/inspection/aws-image-snapshots';
import type { CloudTrailNotifications } from '../../src/domain/cloudtrail-notifications';
import {
  createImageInspectorService,
  followedInstanceEventsQueue,
  imageInspectorMigrationsDir,
} from '../../src/service';

const silent = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: (o: object, m?: string) => {
    if (process.env.IMAGE_INSPECTOR_TEST_LOG === '1')
      process.stderr.write(`${m} ${String((o as { err?: Error }).err?.stack ?? JSON.stringify(o))}\n`);
  },
};

function defaultTransport(): 'amqp' | 'memory' {
  if (hasRabbitMq()) return 'amqp';
  process.stderr.write('*** image-inspector tests: RabbitMQ unreachable, running on the in-memory bus\n');
  return 'memory';
}

/** One test file's world: its own database and bus namespace, a client bus playing the gateway, one service. */
export async function createImageInspectorEnvironment(
  options: {
    settings?: ImageInspectorSettingsEnvironment;
    aws?: AwsAccountAccess;
    cloudTrailNotifications?: CloudTrailNotifications;
    awsImages?: AwsImageSnapshots;
    clock?: { now(): Date };
  } = {},
  transport: 'amqp' | 'memory' = defaultTransport(),
) {
  const testDatabase = await createTestDatabase();
  await migrateDatabase({
    url: testDatabase.url,
    schema: 'image_inspector',
    migrationsDir: imageInspectorMigrationsDir,
  });
  const namespace = uniqueName('image-inspector-test');
  const broker = createMemoryBroker();
  const retry = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 100 };
  const newBus = (): Bus =>
    transport === 'amqp'
      ? createAmqpBus({ url: testAmqpUrl(), namespace, retry, rpcTimeoutMs: 30_000, logger: silent })
      : createMemoryBus({ namespace, retry, broker, logger: silent });
  const client = newBus();
  await client.start();
  const database = await connectDatabase({ url: testDatabase.url, schema: 'image_inspector', maxConnections: 5 });
  const bus = newBus();
  await bus.start();
  const service = createImageInspectorService({
    settings: parseImageInspectorSettings({
      CLOUDIGRADE_AWS_ACCOUNT_ID: '123456789012',
      // The tests poll CloudTrail and run the AWS inspection job and the image triage themselves (pollCloudTrailNow,
      // inspectAwsImagesNow, triageImagesNow).
      CLOUDTRAIL_POLL_INTERVAL_MS: '600000',
      AWS_INSPECTION_INTERVAL_MS: '600000',
      IMAGE_TRIAGE_INTERVAL_MS: '600000',
      ...options.settings,
    }),
    database,
    bus,
    logger: silent,
    aws: options.aws ?? null,
    cloudTrailNotifications: options.cloudTrailNotifications ?? null,
    awsImages: options.awsImages ?? null,
    clock: options.clock,
  });
  await service.start();

  return {
    client,
    database,
    service,
    async close() {
      await service.stop();
      await bus.stop();
      await database.close();
      await client.stop();
      await testDatabase.drop();
      if (transport === 'amqp') {
        await deleteAmqpTopology({
          url: testAmqpUrl(),
          namespace,
          queues: [followedInstanceEventsQueue],
          services: ['image-inspector'],
        });
      }
    },
  };
}
