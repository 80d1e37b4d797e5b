import { createEnvelope, type Envelope } from '@overcast/contracts';
import type { SqlExecutor } from '../sql-executor';
import { addToOutbox } from './add-to-outbox';

function recordingExecutor() {
  const statements: Array<{ sql: string; values: readonly unknown[] }> = [];
  const executor: SqlExecutor = {
    schema: 'billing',
    execute: async (sql, values) => {
      statements.push({ sql, values });
      return 1;
    },
  };
  return { executor, statements };
}

describe('addToOutbox', () => {
  it('inserts into the schema’s outbox with the envelope as JSON text', async () => {
    const { executor, statements } = recordingExecutor();
    const envelope = createEnvelope('invoice.paid', 1, { amount: 10 });

    await addToOutbox(executor, 'event', envelope);

    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toContain('INSERT INTO "billing"."_overcast_outbox"');
    expect(statements[0]?.values).toEqual([['event'], [envelope.id], ['invoice.paid'], [JSON.stringify(envelope)]]);
  });

  it('refuses an unknown kind and a malformed envelope, naming the field, and writes nothing', async () => {
    const { executor, statements } = recordingExecutor();
    const envelope = createEnvelope('invoice.paid', 1, {});

    await expect(addToOutbox(executor, 'rpc' as never, envelope)).rejects.toThrow(
      /^kind: must be "command" or "event"/,
    );
    await expect(addToOutbox(executor, 'event', { ...envelope, type: '' })).rejects.toThrow(/^envelope\.type: /);
    await expect(addToOutbox(executor, 'event', { ...envelope, version: 0 } as Envelope)).rejects.toThrow(
      /^envelope\.version: /,
    );
    expect(statements).toEqual([]);
  });

  it('refuses a payload JSON cannot carry', async () => {
    const { executor } = recordingExecutor();
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;

    await expect(addToOutbox(executor, 'event', createEnvelope('invoice.paid', 1, cyclic))).rejects.toThrow(
      /^envelope\.payload: is not JSON-serializable/,
    );
  });
});
