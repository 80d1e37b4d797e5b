import { createEnvelope, type Envelope, type MessageContext, type MessageDefinition } from '@overcast/contracts';
import { withTraceContext } from '@overcast/messaging';
import { addToOutbox, runOnce, sqlExecutor, type Database, type MessageKind } from '@overcast/db';
import { instanceQuotaExceeded } from '../domain/instance-quota';
import type { BrokerStore, BrokerTransaction, OutboxWriter } from '../domain/ports';
import type { InstanceRecord } from '../domain/records';
import { createAutoscalingRepository } from './autoscaling-repository';
import { createIdempotencyKeys } from './idempotency-keys';
import { createImageRepository } from './image-repository';
import { createInstanceBuildRepository } from './instance-build-repository';
import { createInstanceCreationBatch } from './instance-creation-batch';
import { createInstanceReads } from './instance-reads';
import { createInstanceTransitions, insertInstancesStatement } from './instance-writes';
import { instanceTablesOnPool } from './instances-table';
import { createBrokerPrisma, type BrokerPrisma, type BrokerPrismaExecutor } from './prisma-client';
import { createQuotaRepository, instanceQuotaExcessOf, type InstanceQuotaSettings } from './quota-repository';

/** An OutboxWriter that hands each message, validated and in its envelope, to `add`. */
function outboxWriter(add: (kind: MessageKind, envelope: Envelope) => Promise<void>): OutboxWriter {
  async function write(kind: MessageKind, definition: MessageDefinition, payload: unknown, context?: MessageContext) {
    // Validated here, so a malformed message fails the write instead of the consumer.
    const parsed: unknown = definition.schema.parse(payload);
    // Stamped with the writing span's trace context, stored with the row: the relay's publish continues it.
    await add(kind, withTraceContext(createEnvelope(definition.type, definition.version, parsed, context)));
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
    builds: createInstanceBuildRepository(db),
    images: createImageRepository(db),
    quotas: createQuotaRepository(db, schema, quota),
    autoscaling: createAutoscalingRepository(db),
  };
}

/** Whether a failed create statement failed on an Idempotency-Key another request holds (its primary key). */
function isKeyTaken(error: unknown): boolean {
  const { code, constraint } = error as { code?: unknown; constraint?: unknown };
  return code === '23505' && constraint === 'idempotency_keys_pkey';
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
  const prisma = createBrokerPrisma(database);
  const onPool = instanceTablesOnPool(database.pool);
  const transition = createInstanceTransitions(onPool, database.schema);
  const createInstances = createInstanceCreationBatch(onPool, database.schema, options.instanceQuota);
  return {
    prisma,
    ...repositories(prisma, database.schema, options.instanceQuota),
    instances: createInstanceReads(onPool),
    idempotencyKeys: createIdempotencyKeys(onPool),
    transaction<T>(work: (tx: BrokerTransaction) => Promise<T>): Promise<T> {
      return prisma.$transaction(async (tx) => {
        const executor = sqlExecutor(tx, database.schema);
        return work({
          ...repositories(tx, database.schema, options.instanceQuota),
          instances: {
            // Built by Kysely, sent through this transaction's own client: see prisma-client.ts.
            insert: async (instances) => {
              const statement = insertInstancesStatement(onPool, instances).compile();
              await tx.$executeRawUnsafe(statement.sql, ...statement.parameters);
            },
          },
          outbox: outboxWriter((kind, envelope) => addToOutbox(executor, kind, envelope)),
          inbox: { markProcessed: (consumer, messageId) => runOnce(executor, consumer, messageId) },
        });
      });
    },
    async createInstance(instance, announce, claim) {
      const messages = await collectMessages(announce);
      try {
        await createInstances({ instance, messages, claim });
        return 'created';
      } catch (error) {
        if (isKeyTaken(error)) return 'key-taken';
        const excess = instanceQuotaExcessOf(error);
        throw excess ? instanceQuotaExceeded(excess) : error;
      }
    },
    async transition(instance, changes, announce, inbox) {
      const updated: InstanceRecord = { ...instance, ...changes, updatedAt: new Date() };
      const messages = await collectMessages((outbox) => announce(outbox, updated));
      const change = { instance, changes, updatedAt: updated.updatedAt, messages, inbox };
      const outcome = await transition(change);
      if (!outcome.fresh) return 'duplicate';
      return outcome.updated ? updated : null;
    },
    async ping() {
      await prisma.$queryRaw`SELECT 1`;
    },
    close: () => prisma.$disconnect(),
  };
}
