import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase } from '@overcast/test-kit';
import { connectDatabase, startEmbeddedPostgres, type ConnectDatabaseOptions, type Database } from '../../src';

/** Where a suite runs: a fresh database on the machine's Postgres, or an embedded server of the test's own. */
export interface DatabaseTarget {
  kind: 'postgres' | 'embedded';
  url: string;
  connect(schema: string, options?: Partial<ConnectDatabaseOptions>): Promise<Database>;
  close(): Promise<void>;
}

function trackingConnections(url: string, poolSize: number) {
  const opened: Database[] = [];
  return {
    opened,
    async connect(schema: string, options: Partial<ConnectDatabaseOptions> = {}): Promise<Database> {
      const database = await connectDatabase({ url, schema, maxConnections: poolSize, ...options });
      opened.push(database);
      return database;
    },
    closeAll: () => Promise.all(opened.map((database) => database.close())),
  };
}

export async function realPostgresTarget(): Promise<DatabaseTarget> {
  const testDatabase = await createTestDatabase();
  const connections = trackingConnections(testDatabase.url, 10);
  return {
    kind: 'postgres',
    url: testDatabase.url,
    connect: connections.connect,
    async close() {
      await connections.closeAll();
      await testDatabase.drop();
    },
  };
}

export interface EmbeddedTarget extends DatabaseTarget {
  dataDir: string;
  /** Stops the server (closing every connection opened through `connect`) and starts it again on the same directory. */
  restart(): Promise<void>;
  /** The two halves of restart, for tests that do something to the directory in between. */
  stopOnly(): Promise<void>;
  start(): Promise<void>;
}

/** One embedded server per test file: initialising a cluster costs about a second. */
export async function embeddedTarget(): Promise<EmbeddedTarget> {
  const parent = await mkdtemp(join(tmpdir(), 'overcast-db-test-'));
  const dataDir = join(parent, 'pgdata');
  let embedded = await startEmbeddedPostgres({ dataDir });
  let connections = trackingConnections(embedded.url, 10);
  const stopOnly = async () => {
    await connections.closeAll();
    await embedded.stop();
  };
  const start = async () => {
    embedded = await startEmbeddedPostgres({ dataDir });
    connections = trackingConnections(embedded.url, 10);
  };
  return {
    kind: 'embedded',
    dataDir,
    get url() {
      return embedded.url;
    },
    connect: (schema, options) => connections.connect(schema, options),
    stopOnly,
    start,
    async restart() {
      await stopOnly();
      await start();
    },
    async close() {
      await connections.closeAll();
      await embedded.stop();
      await rm(parent, { recursive: true, force: true });
    },
  };
}

/** A schema name no other test in this database uses. */
let schemaCounter = 0;
export function uniqueSchema(prefix: string): string {
  schemaCounter += 1;
  return `${prefix}_${process.pid}_${schemaCounter}`;
}
