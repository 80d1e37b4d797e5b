import { defineCatalog, defineCommand, defineEvent, createEnvelope, type Envelope } from '@overcast/contracts';
import { createMemoryBus, type Bus } from '@overcast/messaging';
import { uniqueName } from '@overcast/test-kit';
import { z } from 'zod';

export const ThingHappened = defineEvent({ type: 'db_test.thing_happened', schema: z.object({ n: z.number() }) });
export const DoThing = defineCommand({
  type: 'db_test.do_thing',
  service: 'db-test',
  schema: z.object({ n: z.number() }),
});

export function thingHappened(n: number): Envelope<{ n: number }> {
  return createEnvelope(ThingHappened.type, 1, { n });
}

export function doThing(n: number): Envelope<{ n: number }> {
  return createEnvelope(DoThing.type, 1, { n });
}

/** A started in-memory bus with consumers recording every delivered envelope, in delivery order. */
export async function startRecordingBus(): Promise<{ bus: Bus; received: Envelope[]; stop(): Promise<void> }> {
  const bus = createMemoryBus({ namespace: uniqueName('dbtest') });
  await bus.start();
  const received: Envelope[] = [];
  const record = async (_payload: unknown, delivery: { envelope: Envelope }) => {
    received.push(delivery.envelope);
  };
  await bus.consume('recorder-events', defineCatalog(ThingHappened), { [ThingHappened.type]: record });
  await bus.consume('db-test', defineCatalog(DoThing), { [DoThing.type]: record });
  return { bus, received, stop: () => bus.stop() };
}

/** Ids that were delivered more than once. */
export function duplicates(envelopes: Envelope[]): string[] {
  const seen = new Set<string>();
  return envelopes.map((envelope) => envelope.id).filter((id) => (seen.has(id) ? true : (seen.add(id), false)));
}
