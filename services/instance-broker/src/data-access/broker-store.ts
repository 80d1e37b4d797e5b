import { createEnvelope, type Envelope, type MessageContext, type MessageDefinition } from '@overcast/contracts';
import { addToOutbox, createPrismaAdapter, runOnce, sqlExecutor, type Database, type MessageKind } from '@overcast/db';
import type { BrokerStore, BrokerTransaction, OutboxWriter } from '../domain/ports';
import { PrismaClient } from '../generated/prisma/client';
import { createAnnouncedInstanceWriter, type AnnouncedInstance } from './announced-instance-writer';
import { createIdempotencyKeyRepository } from './idempotency-key-repository';
import { createImageRepository } from './image-repository';
import { createInstanceBuildRepository } from './instance-build-repository';
import { createInstanceRepository } from './instance-repository';
import { createInstanceTenantLookup } from './instance-tenant-lookup';
import type { BrokerPrisma, BrokerPrismaExecutor } from './prisma-client';

/** An OutboxWriter that hands each message, validated and in its envelope, to `add`. */
function outboxWriter(add: (kind: MessageKind, envelope: Envelope) => Promise<void>): OutboxWriter {
  async function write(kind: MessageKind, definition: MessageDefinition, payload: unknown, context?: MessageContext) {
    // Validated here, so a malformed message fails the write instead of the consumer.
    const parsed: unknown = definition.schema.parse(payload);
    await add(kind, createEnvelope(definition.type, definition.version, parsed, context));
  }
  return {
    command: (definition, payload, context) => write('command', definition, payload, context),
    event: (definition, payload, context) => write('event', definition, payload, context),
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
  const writeAnnounced = createAnnouncedInstanceWriter(database);
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
          outbox: outboxWriter((kind, envelope) => addToOutbox(executor, kind, envelope)),
          inbox: { markProcessed: (consumer, messageId) => runOnce(executor, consumer, messageId) },
        });
      });
    },
    async insertAnnounced(instance, announce) {
      const messages: AnnouncedInstance['messages'] = [];
      await announce(outboxWriter(async (kind, envelope) => void messages.push({ kind, envelope })));
      await writeAnnounced({ instance, messages });
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
