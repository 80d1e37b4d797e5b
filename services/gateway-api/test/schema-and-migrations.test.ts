import { randomBytes, randomUUID } from 'node:crypto';
import { applyMigrations, type Database } from '@overcast/db';
import { describeWithPostgres, type TestDatabase } from '@overcast/test-kit';
import { migrationsDirectory } from '../src';
import { createGatewayPrisma, type GatewayPrisma } from '../src/data-access/prisma-client';
import { createRateLimitRepository } from '../src/data-access/rate-limit-repository';
import { openMigratedDatabase } from './support/gateway-harness';

describeWithPostgres('the gateway schema and its migrations', () => {
  let testDatabase: TestDatabase;
  let database: Database;
  let prisma: GatewayPrisma;

  beforeAll(async () => {
    ({ testDatabase, database } = await openMigratedDatabase());
    prisma = createGatewayPrisma(database);
  });

  afterAll(async () => {
    await prisma.$disconnect();
    await database.close();
    await testDatabase.drop();
  });

  it('applies once and then finds nothing left to apply', async () => {
    const again = await applyMigrations(database, migrationsDirectory);
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied).toEqual(['20261122000000_auth']);
  });

  it('creates and reads every model of schema.prisma against the migrated tables', async () => {
    const tenant = await prisma.tenant.create({ data: { id: randomUUID(), name: 'acme' } });
    const token = await prisma.apiToken.create({
      data: { tenantId: tenant.id, description: 'ci', role: 'developer', salt: randomBytes(32), hash: randomBytes(32) },
    });
    await prisma.apiToken.update({ where: { id: token.id }, data: { revokedAt: new Date() } });
    await prisma.rateLimitCounter.create({ data: { key: 'tenant:acme', windowStart: 60n, count: 3 } });

    const read = await prisma.tenant.findUniqueOrThrow({ where: { name: 'acme' }, include: { tokens: true } });
    expect(read.tokens).toEqual([
      expect.objectContaining({ id: token.id, role: 'developer', revokedAt: expect.any(Date) }),
    ]);
    expect(read.tokens[0]?.salt).toHaveLength(32);
    await expect(prisma.rateLimitCounter.findMany()).resolves.toEqual([
      { key: 'tenant:acme', windowStart: 60n, count: 3 },
    ]);
  });

  it('refuses a token of a tenant that does not exist', async () => {
    await expect(
      prisma.apiToken.create({
        data: {
          tenantId: randomUUID(),
          description: 'orphan',
          role: 'admin',
          salt: randomBytes(32),
          hash: randomBytes(32),
        },
      }),
    ).rejects.toThrow();
  });

  it('adds counts of several replicas to one row per key and window in one statement', async () => {
    const store = createRateLimitRepository(prisma, database.schema);
    await store.addAndRead(
      120,
      new Map([
        ['ip:a', 2],
        ['ip:b', 1],
      ]),
      [],
    );
    const totals = await store.addAndRead(120, new Map([['ip:a', 3]]), ['ip:b', 'ip:unknown']);
    expect(totals).toEqual(
      new Map([
        ['ip:a', 5],
        ['ip:b', 1],
      ]),
    );
    await store.deleteWindowsBefore(121);
    await expect(store.addAndRead(120, new Map(), ['ip:a'])).resolves.toEqual(new Map());
  });
});
