import { createEnvelope, type Envelope, type MessageContext, type MessageDefinition } from '@overcast/contracts';
import { addToOutbox, createPrismaAdapter, runOnce, sqlExecutor, type Database, type MessageKind } from '@overcast/db';
import { instanceQuotaExceeded } from '../domain/instance-quota';
import type { BrokerStore, BrokerTransaction, OutboxWriter } from '../domain/ports';
import type { InstanceRecord } from '../domain/records';
import { PrismaClient } from '../generated/prisma/client';
import { createAnnouncedInstanceWriter } from './announced-instance-writer';
import { createIdempotencyKeyRepository } from './idempotency-key-repository';
import { createImageRepository } from './image-repository';
import { createInstanceBuildRepository } from './instance-build-repository';
import { createInstanceRepository } from './instance-repository';
import { createInstanceLookup } from './instance-lookup';
import { createInstanceTransition } from './instance-transition';
import type { BrokerPrisma, BrokerPrismaExecutor } from './prisma-client';
import { createQuotaRepository, instanceQuotaExcessOf, type InstanceQuotaSettings } from './quota-repository';

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

/** The messages `write` writes, in their envelopes, for a statement that adds them with what they announce. */
async function collectMessages(
  write: (outbox: OutboxWriter) => Promise<void>,
): Promise<{ kind: MessageKind; envelope: Envelope }[]> {
  const messages: { kind: MessageKind; envelope: Envelope }[] = [];
  await write(outboxWriter(async (kind, envelope) => void messages.push({ kind, envelope })));
  return messages;
}

function repositories(db: BrokerPrismaExecutor, schema: string, quota: InstanceQuotaSettings) {
  return {
    instances: createInstanceRepository(db),
    builds: createInstanceBuildRepository(db),
    images: createImageRepository(db),
    idempotencyKeys: createIdempotencyKeyRepository(db),
    quotas: createQuotaRepository(db, schema, quota),
  };
}

export interface BrokerStoreHandle extends BrokerStore {
  prisma: BrokerPrisma;
  close(): Promise<void>;
}

export interface BrokerStoreOptions {
  /** The instance quota every write of instances takes (the default limit; tenants may have their own). */
  instanceQuota: InstanceQuotaSettings;
}

/** The broker's repositories over the service's Database (its pool and schema), with outbox and inbox. */
export function createBrokerStore(database: Database, options: BrokerStoreOptions): BrokerStoreHandle {
  // Generous transaction limits: a 100-instance build commits in one transaction on a busy machine.
  const prisma = new PrismaClient({
    adapter: createPrismaAdapter(database),
    transactionOptions: { maxWait: 10_000, timeout: 30_000 },
  });
  const outside = repositories(prisma, database.schema, options.instanceQuota);
  const writeAnnounced = createAnnouncedInstanceWriter(database, options.instanceQuota);
  const transition = createInstanceTransition(database);
  return {
    prisma,
    ...outside,
    // Outside transactions the hot reads skip Prisma (inside one they must use the transaction).
    instances: { ...outside.instances, ...createInstanceLookup(database) },
    transaction<T>(work: (tx: BrokerTransaction) => Promise<T>): Promise<T> {
      return prisma.$transaction(async (tx) => {
        const executor = sqlExecutor(tx, database.schema);
        return work({
          ...repositories(tx, database.schema, options.instanceQuota),
          outbox: outboxWriter((kind, envelope) => addToOutbox(executor, kind, envelope)),
          inbox: { markProcessed: (consumer, messageId) => runOnce(executor, consumer, messageId) },
        });
      });
    },
    async insertAnnounced(instance, announce) {
      const messages = await collectMessages(announce);
      await writeAnnounced({ instance, messages }).catch((error: unknown) => {
        const excess = instanceQuotaExcessOf(error);
        throw excess ? instanceQuotaExceeded(excess) : error;
      });
    },
    async transition(instance, changes, announce, inbox) {
      const updated: InstanceRecord = { ...instance, ...changes, updatedAt: new Date() };
      const messages = await collectMessages((outbox) => announce(outbox, updated));
      const outcome = await transition({ instance, changes, updatedAt: updated.updatedAt, messages, inbox });
      if (!outcome.fresh) return 'duplicate';
      return outcome.updated ? updated : null;
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
