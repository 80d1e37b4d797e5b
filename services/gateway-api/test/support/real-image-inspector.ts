import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import {
  createImageInspectorService,
  followedInstanceEventsQueue,
  imageInspectorMigrationsDir,
  parseImageInspectorSettings,
  type ImageInspectorService,
} from '@overcast/image-inspector';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { testAmqpUrl, uniqueName } from '@overcast/test-kit';

// A gateway test runs the real image inspector (a test-only dependency; services never import each other at run
// time): cloudigrade's routes must hold against its real validation, SQL and database, not a stub.

export interface RealImageInspector {
  service: ImageInspectorService;
  /** A bus of the gateway's own, started, on the image inspector's namespace. */
  gatewayBus: Bus;
  stop(): Promise<void>;
}

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/**
 * The image inspector in `databaseUrl`'s `image_inspector` schema, over the real RabbitMQ: on a namespace of its own,
 * or on another real service's (`namespace`, which that service's stop cleans up but for the image inspector's queues).
 */
export async function startRealImageInspector(
  databaseUrl: string,
  options: { namespace?: string; settings?: Record<string, string> } = {},
): Promise<RealImageInspector> {
  const namespace = options.namespace ?? uniqueName('gateway-usage-test');
  await migrateDatabase({ url: databaseUrl, schema: 'image_inspector', migrationsDir: imageInspectorMigrationsDir });
  const database: Database = await connectDatabase({ url: databaseUrl, schema: 'image_inspector', maxConnections: 5 });
  const serviceBus = createAmqpBus({ url: testAmqpUrl(), namespace, logger: silent });
  const gatewayBus = createAmqpBus({ url: testAmqpUrl(), namespace, logger: silent });
  const service = createImageInspectorService({
    settings: parseImageInspectorSettings({
      CLOUDIGRADE_AWS_ACCOUNT_ID: '123456789012',
      ACTIVITY_LOG_MAX_BYTES: String(4 * 1024 * 1024),
      // Disk images for inspection are streamed to its upload endpoint, on a free loopback port.
      INSPECTION_UPLOAD_PORT: '0',
      // Tests triage images when they mean to (service.triageImagesNow), not when a timer fires.
      IMAGE_TRIAGE_INTERVAL_MS: '600000',
      ...options.settings,
    }),
    database,
    bus: serviceBus,
    logger: silent,
  });
  await serviceBus.start();
  await gatewayBus.start();
  await service.start();
  return {
    service,
    gatewayBus,
    async stop() {
      await service.stop();
      await serviceBus.stop();
      await gatewayBus.stop();
      await database.close();
      await deleteAmqpTopology({
        url: testAmqpUrl(),
        namespace,
        queues: [followedInstanceEventsQueue],
        services: options.namespace ? ['image-inspector'] : ['image-inspector', 'gateway-api'],
      });
    },
  };
}
