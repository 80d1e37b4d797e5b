import { defineCatalog, type Envelope } from '@overcast/contracts';
import { createAmqpBus, deleteAmqpTopology, type Bus } from '@overcast/messaging';
import { describeWithServices, testAmqpUrl, uniqueName, waitFor } from '@overcast/test-kit';
import { countOutbox, createOutboxRelay, ensurePlatformTables, type OutboxRelay } from '../src';
import { commitToOutbox, outboxEmptied } from './support/outbox-helpers';
import { DoThing, ThingHappened, doThing, duplicates, thingHappened } from './support/recording-bus';
import { realPostgresTarget, uniqueSchema, type DatabaseTarget } from './support/targets';

describeWithServices('outbox relay publishing to the real RabbitMQ', () => {
  let target: DatabaseTarget;
  let bus: Bus;
  const relays: OutboxRelay[] = [];
  const namespace = uniqueName('dbtest');
  beforeAll(async () => {
    target = await realPostgresTarget();
    bus = createAmqpBus({ url: testAmqpUrl(), namespace });
    await bus.start();
  });
  afterAll(async () => {
    await Promise.all(relays.map((relay) => relay.stop()));
    await bus.stop();
    await deleteAmqpTopology({ url: testAmqpUrl(), namespace, queues: ['recorder-events', 'db-test'] });
    await target.close();
  });

  it('delivers committed events and commands, confirmed, each once, from two relays', async () => {
    const database = await target.connect(uniqueSchema('amqp'));
    await ensurePlatformTables(database);
    const received: Envelope[] = [];
    const record = async (_payload: unknown, delivery: { envelope: Envelope }) => {
      received.push(delivery.envelope);
    };
    await bus.consume('recorder-events', defineCatalog(ThingHappened), { [ThingHappened.type]: record });
    await bus.consume('db-test', defineCatalog(DoThing), { [DoThing.type]: record });
    const messages = Array.from({ length: 60 }, (_, n) =>
      n % 3 === 0 ? (['command', doThing(n)] as const) : (['event', thingHappened(n)] as const),
    );
    await commitToOutbox(database, [...messages]);

    for (const replica of [database, await target.connect(database.schema)]) {
      const relay = createOutboxRelay({ database: replica, bus, batchSize: 8 });
      relays.push(relay);
      await relay.start();
    }

    await waitFor('all 60 messages through RabbitMQ', () => received.length >= 60);
    expect(duplicates(received)).toEqual([]);
    expect(new Set(received.map((envelope) => envelope.id))).toEqual(
      new Set(messages.map(([, envelope]) => envelope.id)),
    );
    await outboxEmptied(database);
    expect(await countOutbox(database)).toEqual({ pending: 0, failing: 0 });
  });
});
