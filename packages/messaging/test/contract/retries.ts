import { createEnvelope, defineCatalog } from '@overcast/contracts';
import { waitFor } from '@overcast/test-kit';
import { ShipOrder } from './catalog';
import type { BusHarness } from './harness';

const fastRetry = { maxAttempts: 4, baseDelayMs: 10, maxDelayMs: 40 };

export function describeRetries(harness: () => BusHarness): void {
  it('retries a failing handler with backoff until it succeeds, counting the attempts', async () => {
    const bus = await harness().createBus({ retry: fastRetry });
    const attempts: number[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async (_payload, delivery) => {
        attempts.push(delivery.attempt);
        if (delivery.attempt < 3) throw new Error('carrier unavailable');
      },
    });
    await bus.publish(ShipOrder, { orderId: 'o-retry' });
    await waitFor('the third attempt', () => attempts.length === 3);
    expect(attempts).toEqual([1, 2, 3]);
    expect(await bus.readDeadLetters('shipping')).toEqual([]);
  });

  it('parks a message whose handler always throws after exactly maxAttempts, while 1,000 good messages get through', async () => {
    const bus = await harness().createBus({ retry: fastRetry });
    const poisonAttempts: number[] = [];
    const shipped = new Set<string>();
    await bus.consume(
      'shipping',
      defineCatalog(ShipOrder),
      {
        'test.ship_order': async ({ orderId }, delivery) => {
          if (orderId !== 'poison') return void shipped.add(orderId);
          poisonAttempts.push(delivery.attempt);
          throw new Error(`cannot ship ${orderId}`);
        },
      },
      { prefetch: 50 },
    );

    const poison = await bus.publish(ShipOrder, { orderId: 'poison' });
    await Promise.all(Array.from({ length: 1000 }, (_, index) => bus.publish(ShipOrder, { orderId: `good-${index}` })));
    await waitFor(
      'the good messages and the dead letter',
      async () => shipped.size === 1000 && (await bus.readDeadLetters('shipping')).length === 1,
      {
        timeoutMs: 20_000,
      },
    );

    const letters = await bus.readDeadLetters('shipping');
    expect(poisonAttempts).toEqual([1, 2, 3, 4]);
    expect(letters).toEqual([
      {
        envelope: poison,
        raw: JSON.stringify(poison),
        queue: 'shipping',
        attempts: 4,
        lastError: 'Error: cannot ship poison',
      },
    ]);
    expect(await bus.readDeadLetters('shipping')).toEqual(letters);
  });

  it('dead-letters a handler error holding a NUL byte while the messages settled beside it settle once each', async () => {
    const bus = await harness().createBus({ retry: { ...fastRetry, maxAttempts: 1 } });
    const handled = new Map<string, number>();
    await bus.consume(
      'shipping',
      defineCatalog(ShipOrder),
      {
        'test.ship_order': async ({ orderId }) => {
          handled.set(orderId, (handled.get(orderId) ?? 0) + 1);
          if (orderId === 'nul') throw new Error('the carrier answered "\u0000"');
        },
      },
      { prefetch: 50 },
    );
    const orderIds = ['nul', ...Array.from({ length: 30 }, (_, index) => `good-${index}`)];
    await Promise.all(orderIds.map((orderId) => bus.publish(ShipOrder, { orderId })));
    const [letter] = await waitFor('the dead letter', async () => {
      const letters = await bus.readDeadLetters('shipping');
      return letters.length === 1 && letters;
    });
    expect(letter?.lastError).toMatch(/^Error: the carrier answered "."$/);
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(handled).toEqual(new Map(orderIds.map((orderId) => [orderId, 1])));
  });

  it('dead-letters a payload that fails its schema at once, without calling the handler', async () => {
    const bus = await harness().createBus({ retry: fastRetry });
    const handled: unknown[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async (payload) => void handled.push(payload),
    });

    const invalid = createEnvelope(ShipOrder.type, 1, { orderId: 42 });
    await bus.publishEnvelope('command', invalid);
    await bus.publish(ShipOrder, { orderId: 'after-the-invalid-one' });
    await waitFor('the valid message behind it', () => handled.length === 1);

    expect(handled).toEqual([{ orderId: 'after-the-invalid-one' }]);
    const [letter] = await waitFor('the dead letter', async () => {
      const letters = await bus.readDeadLetters('shipping');
      return letters.length === 1 && letters;
    });
    expect(letter).toMatchObject({ envelope: invalid, attempts: 1 });
    expect(letter?.lastError).toContain('payload.orderId');
  });

  it('dead-letters a body that is not an envelope, keeping its raw bytes', async () => {
    const bus = await harness().createBus({ retry: fastRetry });
    await bus.consume('shipping', defineCatalog(ShipOrder), { 'test.ship_order': async () => undefined });
    await harness().publishRaw('command', ShipOrder.type, 'not json {');
    const [letter] = await waitFor('the dead letter', async () => {
      const letters = await bus.readDeadLetters('shipping');
      return letters.length === 1 && letters;
    });
    expect(letter).toEqual({
      envelope: null,
      raw: 'not json {',
      queue: 'shipping',
      attempts: 1,
      lastError: 'not a valid envelope: the body is not JSON',
    });
  });

  it('dead-letters a message of a version the consumer does not understand', async () => {
    const bus = await harness().createBus({ retry: fastRetry });
    await bus.consume('shipping', defineCatalog(ShipOrder), { 'test.ship_order': async () => undefined });
    await bus.publishEnvelope('command', createEnvelope(ShipOrder.type, 2, { orderId: 'o-v2' }));
    const [letter] = await waitFor('the dead letter', async () => {
      const letters = await bus.readDeadLetters('shipping');
      return letters.length === 1 && letters;
    });
    expect(letter?.lastError).toBe('test.ship_order v2 is not the v1 this consumer understands');
  });
}
