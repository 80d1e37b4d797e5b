import { createTestDatabase, uniqueName } from '@overcast/test-kit';
import type { TestDatabase } from '@overcast/test-kit';
import { Pool } from 'pg';
import { createPostgresBus } from '../src';
import type { Bus, PostgresBusOptions } from '../src';
import { busNames } from '../src/postgres/bus-names';
import { MessageStore } from '../src/postgres/message-store';
import type { BusHarness } from './contract/harness';
import { stopAll } from './contract/harness';
import { startTcpProxy } from './support/tcp-proxy';

export const testSchema = 'overcast_bus';

export interface PostgresHarness extends BusHarness {
  /** Any option of the Postgres bus, e.g. a short lease; the URL is the proxy's. */
  createBus(options?: Omit<Partial<PostgresBusOptions>, 'url'>): Promise<Bus>;
  namespace: string;
  /** The buses' way to the database: cut it to make them lose every connection. */
  proxy: Awaited<ReturnType<typeof startTcpProxy>>;
  /** Straight to the test database, not through the proxy: for setup and inspection. */
  directPool: Pool;
}

/** One database per test file (creating one per test would cost more than the tests); a namespace per test. */
export function postgresTestDatabase(): { url(): string; setUp(): Promise<void>; tearDown(): Promise<void> } {
  let database: TestDatabase | undefined;
  return {
    url: () => {
      if (!database) throw new Error('the test database is not set up');
      return database.url;
    },
    setUp: async () => {
      database = await createTestDatabase();
    },
    tearDown: async () => {
      await database?.drop();
    },
  };
}

/** Buses talk to the database through a loopback proxy of their own, so a test can cut them off without touching others. */
export async function setUpPostgresHarness(
  databaseUrl: string,
  extra: Partial<PostgresBusOptions> = {},
): Promise<PostgresHarness> {
  const target = new URL(databaseUrl);
  const proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const proxiedUrl = new URL(target);
  proxiedUrl.hostname = '127.0.0.1';
  proxiedUrl.port = String(proxy.port);
  const namespace = uniqueName('test');
  const directPool = new Pool({ connectionString: databaseUrl, max: 2 });
  // The file's DROP DATABASE … WITH (FORCE) can reach a connection pool.end() is still closing; pg-pool re-emits its
  // FATAL 57P01 on the pool, which without a listener is an uncaught error failing whichever test is running.
  directPool.on('error', () => undefined);
  const buses: Bus[] = [];

  return {
    namespace,
    proxy,
    directPool,
    async createBus(options = {}) {
      const bus = createPostgresBus({
        url: proxiedUrl.toString(),
        namespace,
        schema: testSchema,
        ...extra,
        ...options,
      });
      await bus.start();
      buses.push(bus);
      return bus;
    },
    async publishRaw(kind, type, body) {
      const names = busNames(testSchema, namespace);
      await new MessageStore({ durable: directPool, asyncCommit: directPool }, names).publish([
        { exchange: names.exchange(kind), routingKey: type, body },
      ]);
    },
    async restartBroker(downForMs) {
      await proxy.cut();
      await new Promise((resolve) => setTimeout(resolve, downForMs));
      await proxy.restore();
    },
    async cleanup() {
      await stopAll(buses);
      await proxy.close();
      await directPool.end();
    },
  };
}
