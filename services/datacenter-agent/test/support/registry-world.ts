import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createDatacenterRpc, createDeploymentRpc, getDeploymentRpc, type Deployment } from '@overcast/contracts';
import { connectDatabase, migrateDatabase, type Database } from '@overcast/db';
import { createMemoryBus, type Bus } from '@overcast/messaging';
import {
  createRegistryService,
  parseRegistrySettings,
  registryMigrationsDir,
  type RegistryService,
  type RegistrySettingsEnvironment,
} from '@overcast/registry';
import { createTestDatabase, type TestDatabase } from '@overcast/test-kit';

// The real registry (a test-only dependency; services never import each other at run time) in its own database, on
// an in-memory bus: the agent talks to it only over its mutual-TLS endpoint, as in production.

const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
export const tenantId = 'operator';

export interface RegisteredDatacenter {
  id: string;
  certificate: string;
  privateKey: string;
  caBundle: string;
}

export interface RegistryWorld {
  registry: RegistryService;
  bus: Bus;
  agentAddress(): string;
  registerDatacenter(name: string, price: number, region?: string): Promise<RegisteredDatacenter>;
  deploy(nodes: number, region?: string): Promise<string>;
  deployment(id: string): Promise<Deployment>;
  close(): Promise<void>;
}

export async function startRegistryWorld(config: RegistrySettingsEnvironment = {}): Promise<RegistryWorld> {
  const testDatabase: TestDatabase = await createTestDatabase();
  await migrateDatabase({ url: testDatabase.url, schema: 'registry', migrationsDir: registryMigrationsDir });
  const database: Database = await connectDatabase({ url: testDatabase.url, schema: 'registry', maxConnections: 5 });
  const bus = createMemoryBus();
  await bus.start();
  const registry = createRegistryService({
    settings: parseRegistrySettings({
      OVERCAST_ENCRYPTION_KEY: randomBytes(32).toString('hex'),
      // The tests run reconcile passes themselves.
      RECONCILE_INTERVAL_MS: '600000',
      // No notifications here: the events the tests read are the placement's only.
      NOTIFY_INTERVAL_MS: '600000',
      AGENT_PORT: '0',
      ...config,
    }),
    database,
    bus,
    logger: silent,
  });
  await registry.start();

  return {
    registry,
    bus,
    agentAddress: () => `127.0.0.1:${registry.agentPort() ?? 0}`,
    async registerDatacenter(name, price, region = 'us-west') {
      const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const issued = await bus.call(createDatacenterRpc, {
        tenantId,
        name,
        region,
        endpoint: 'agent',
        key: { publicKey: keys.publicKey.export({ type: 'spki', format: 'pem' }).toString() },
        profiles: [{ name: 'standard', cpu: 2, memoryBytes: 4e9, lifetime: 'medium', price, capacity: 10 }],
      });
      return {
        id: issued.datacenter.id,
        certificate: issued.certificate,
        privateKey: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        caBundle: issued.caBundle,
      };
    },
    async deploy(nodes, region = 'us-west') {
      const source = `version: "0.1"
services:
  web: { image: hello-web }
deployment:
  datacenters:
    west:
      region: ${region}
      profiles:
        small: { qos: { cpu: 1, memory: 1GB, lifetime: medium }, pricing: { max-price: 5 } }
  services:
    web:
      west: { profile: small, nodes: ${nodes} }
`;
      return (await bus.call(createDeploymentRpc, { tenantId, source })).id;
    },
    deployment: (id) => bus.call(getDeploymentRpc, { tenantId, id }),
    async close() {
      await registry.stop();
      await bus.stop();
      await database.close();
      await testDatabase.drop();
    },
  };
}
