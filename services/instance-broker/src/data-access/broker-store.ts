import { createEnvelope, type MessageDefinition } from '@overcast/contracts';
import { addToOutbox, createPrismaAdapter, runOnce, sqlExecutor, type Database } from '@overcast/db';
import type { BrokerStore, BrokerTransaction, OutboxWriter } from '../domain/ports';
import { PrismaClient } from '../generated/prisma/client';
import { createIdempotencyKeyRepository } from './idempotency-key-repository';
import { createImageRepository } from './image-repository';
import { createInstanceBuildRepository } from './instance-build-repository';
import { createInstanceRepository } from './instance-repository';
import { createInstanceTenantLookup } from './instance-tenant-lookup';
import type { BrokerPrisma, BrokerPrismaExecutor, BrokerPrismaTransaction } from './prisma-client';

function createOutboxWriter(tx: BrokerPrismaTransaction, schema: string): OutboxWriter {
  const executor = sqlExecutor(tx, schema);
  async function add(kind: 'command' | 'event', definition: MessageDefinition, payload: unknown, context?: Parameters<OutboxWriter['event']>[2]) {
    // Validated here, so a malformed message fails the transaction instead of the consumer.
    const parsed: unknown = definition.schema.parse(payload);
    await addToOutbox(executor, kind, createEnvelope(definition.type, definition.version, parsed, context));
  }
  return {
    command: (definition, payload, context) => add('command', definition, payload, context),
    event: (definition, payload, context) => add('event', definition, payload, context),
  };
}

function repositories(db: BrokerPrismaExecutor) {
  return {
    instances: createInstanceRepository(db),
    builds: createInstanceBuildRepository(db),
    images: createImageRepository(db),
    idempotencyKeys: createIdempotencyKeyRepository(db),
  };
}

export interface BrokerStoreHandle extends BrokerStore {
  prisma: BrokerPrisma;
  close(): Promise<void>;
}

/** The broker's repositories over the service's Database (its pool and schema), with outbox and inbox. */
export function createBrokerStore(database: Database): BrokerStoreHandle {
  // Generous transaction limits: a 100-instance build commits in one transaction on a busy machine.
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
  const outside = repositories(prisma);
  return {
    prisma,
    ...outside,
    // Outside transactions the hot tenant-scoped read skips Prisma (inside one it must use the transaction).
    instances: { ...outside.instances, findForTenant: createInstanceTenantLookup(database) },
    transaction<T>(work: (tx: BrokerTransaction) => Promise<T>): Promise<T> {
      return prisma.$transaction(async (tx) => {
        const executor = sqlExecutor(tx, database.schema);
        return work({
          ...repositories(tx),
          outbox: createOutboxWriter(tx, database.schema),
          inbox: { markProcessed: (consumer, messageId) => runOnce(executor, consumer, messageId) },
        });
      });
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
