import { openApiDocument } from '@overcast/api-spec';
import { applyMigrations, connectDatabase } from '@overcast/db';
import {
  createGatewayAdmin,
  createGatewayService,
  migrationsDirectory,
  parseGatewayConfig,
} from '@overcast/gateway-api';
import { createAmqpBus, createBusMetrics } from '@overcast/messaging';
import { correlation, createLogger, createMetrics } from '@overcast/service-kit';
import { runAsChildService } from './child-service';
import { countDatabaseQueries } from './query-counter';
import { withoutAuthentication } from './without-authentication';

export interface GatewayInfo {
  url: string;
  /** A developer token of the default tenant, minted like `overcast-admin tokens create` does. */
  token: string;
  tokenId: number;
  /** An admin token of the same tenant, for what only admins may do (creating a district). */
  adminToken: string;
}

/**
 * The real gateway as main.ts wires it (migrated database, RabbitMQ bus, config parsed from the environment
 * the parent passed), in a process of its own. Only the wiring differs: no signal handling, the parent
 * stops it, it mints the token the load uses, and `BENCH_UNAUTHENTICATED_OPERATIONS` (operationIds, comma-separated)
 * serves those operations without authentication.
 */
runAsChildService<GatewayInfo>(async () => {
  const databaseQueries = countDatabaseQueries();
  const config = parseGatewayConfig(process.env);
  const logger = createLogger({ service: 'gateway-api', level: config.logLevel });
  const database = await connectDatabase({ url: config.databaseUrl, schema: config.databaseSchema, logger });
  await applyMigrations(database, migrationsDirectory, { logger });
  // Metrics as main.ts counts them (tracing stays off: no OTEL_EXPORTER_OTLP_ENDPOINT, the default).
  const metrics = createMetrics({ service: 'gateway-api' });
  const bus = createAmqpBus({
    url: config.amqpUrl ?? '',
    namespace: config.busNamespace,
    logger,
    context: correlation,
    rpcTimeoutMs: config.rpcTimeoutMs,
    metrics: createBusMetrics(metrics.registry),
  });
  await bus.start();
  const unauthenticated = (process.env.BENCH_UNAUTHENTICATED_OPERATIONS ?? '').split(',').filter(Boolean);
  const document = withoutAuthentication(openApiDocument, unauthenticated);
  const service = createGatewayService({ config, database, bus, logger, document, metrics });
  await service.start();
  const admin = createGatewayAdmin(database);
  const created = await admin.createToken({ description: 'benchmark load', role: 'developer' });
  const administrator = await admin.createToken({ description: 'benchmark set-up', role: 'admin' });
  await admin.close();
  return {
    info: { url: service.url ?? '', token: created.token, tokenId: created.record.id, adminToken: administrator.token },
    counters: () => ({ databaseQueries: databaseQueries() }),
    async stop() {
      await service.stop();
      await bus.stop();
      await database.close();
    },
  };
});
