import { AppError, contextFrom, createEnvelope, defineCatalog } from '@overcast/contracts';
import type { Envelope, MessageContext } from '@overcast/contracts';
import { waitFor } from '@overcast/test-kit';
import { UnroutableMessageError } from '../../src';
import { OrderPlaced, ShipOrder } from './catalog';
import { asyncLocalContext, deferred } from './harness';
import type { BusHarness } from './harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function describeRouting(harness: () => BusHarness): void {
  it('delivers a command to the queue that consumes it, with its envelope and attempt', async () => {
    const bus = await harness().createBus();
    const received: { payload: unknown; envelope: Envelope; attempt: number }[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async (payload, delivery) => {
        received.push({ payload, envelope: delivery.envelope, attempt: delivery.attempt });
      },
    });
    const sent = await bus.publish(ShipOrder, { orderId: 'o-1' }, { correlationId: 'req-1' });
    await waitFor('the command to be handled', () => received.length === 1);
    expect(received[0]).toEqual({
      payload: { orderId: 'o-1' },
      envelope: { ...sent, correlationId: 'req-1', causationId: null },
      attempt: 1,
    });
  });

  it('fails the publish of a command that no queue takes', async () => {
    const bus = await harness().createBus();
    await expect(bus.publish(ShipOrder, { orderId: 'o-2' })).rejects.toBeInstanceOf(UnroutableMessageError);
    await expect(bus.publish(ShipOrder, { orderId: 'o-2' })).rejects.toMatchObject({ code: 'unavailable' });
  });

  it('refuses to publish a payload that does not match its schema, naming the field', async () => {
    const bus = await harness().createBus();
    const publishing = bus.publish(OrderPlaced, { orderId: 'o-3', amount: -1 });
    await expect(publishing).rejects.toBeInstanceOf(AppError);
    await expect(bus.publish(OrderPlaced, { orderId: 'o-3', amount: -1 })).rejects.toMatchObject({
      code: 'bad_request',
      details: [{ path: 'payload.amount' }],
    });
  });

  it('publishes beside envelopes whose type no queue could take (a NUL byte) as if they were not there', async () => {
    const bus = await harness().createBus();
    const handled: string[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async ({ orderId }) => void handled.push(orderId),
    });
    const results = await Promise.allSettled([
      bus.publishEnvelope('event', createEnvelope('test.order_\u0000placed', 1, {})),
      bus.publishEnvelope('command', createEnvelope('test.ship_\u0000order', 1, { orderId: 'odd' })),
      ...Array.from({ length: 20 }, (_, index) => bus.publish(ShipOrder, { orderId: `o-${index}` })),
    ]);
    expect(results[0]).toEqual({ status: 'fulfilled', value: undefined });
    expect(results[1]).toEqual({ status: 'rejected', reason: expect.any(UnroutableMessageError) });
    expect(results.slice(2).filter((result) => result.status === 'rejected')).toEqual([]);
    await waitFor('the twenty commands', () => handled.length === 20);
  });

  it('publishes an event nobody subscribes to without error', async () => {
    const bus = await harness().createBus();
    await expect(bus.publish(OrderPlaced, { orderId: 'o-4', amount: 1 })).resolves.toMatchObject({
      type: 'test.order_placed',
    });
  });

  it('fans an event out to every subscriber and splits it among the competing consumers of one subscriber', async () => {
    const [first, second] = [await harness().createBus(), await harness().createBus()];
    const billing: Record<string, string[]> = { first: [], second: [] };
    const audit: string[] = [];
    const billingHandler = (name: string) => async (payload: { orderId: string }) => {
      billing[name]?.push(payload.orderId);
      await sleep(5);
    };
    const catalog = defineCatalog(OrderPlaced);
    await first.consume('billing', catalog, { 'test.order_placed': billingHandler('first') }, { prefetch: 1 });
    await second.consume('billing', catalog, { 'test.order_placed': billingHandler('second') }, { prefetch: 1 });
    await first.consume('audit', catalog, { 'test.order_placed': async (payload) => void audit.push(payload.orderId) });

    const orderIds = Array.from({ length: 40 }, (_, index) => `order-${index}`);
    await Promise.all(orderIds.map((orderId) => first.publish(OrderPlaced, { orderId, amount: 100 })));
    await waitFor(
      'every event to reach both subscribers',
      () => audit.length === 40 && billing.first!.length + billing.second!.length === 40,
    );

    expect(new Set(audit)).toEqual(new Set(orderIds));
    expect(new Set([...billing.first!, ...billing.second!])).toEqual(new Set(orderIds));
    expect(billing.first!.length).toBeGreaterThan(0);
    expect(billing.second!.length).toBeGreaterThan(0);
  });

  it('hands a consumer at most prefetch messages at a time', async () => {
    const bus = await harness().createBus();
    const release = deferred();
    const handled: string[] = [];
    let running = 0;
    let most = 0;
    await bus.consume(
      'shipping',
      defineCatalog(ShipOrder),
      {
        'test.ship_order': async ({ orderId }) => {
          running += 1;
          most = Math.max(most, running);
          await release.promise;
          running -= 1;
          handled.push(orderId);
        },
      },
      { prefetch: 3 },
    );
    await Promise.all(Array.from({ length: 10 }, (_, index) => bus.publish(ShipOrder, { orderId: `o-${index}` })));
    try {
      await waitFor('handlers running', () => running >= 3);
      await sleep(100);
      expect(running).toBe(3);
    } finally {
      release.resolve();
    }
    await waitFor('every message', () => handled.length === 10);
    expect(most).toBe(3);
  });

  it('runs handlers inside the message context, so the correlation follows the work through every hop', async () => {
    const context = asyncLocalContext();
    const bus = await harness().createBus({ context });
    const seenInHandler: (MessageContext | undefined)[] = [];
    const placed: Envelope[] = [];
    await bus.consume('shipping', defineCatalog(ShipOrder), {
      'test.ship_order': async (payload) => {
        seenInHandler.push(context.current());
        await bus.publish(OrderPlaced, { orderId: payload.orderId, amount: 5 });
      },
    });
    await bus.consume('audit', defineCatalog(OrderPlaced), {
      'test.order_placed': async (_payload, delivery) => void placed.push(delivery.envelope),
    });

    const command = await context.run({ correlationId: 'req-42' }, () => bus.publish(ShipOrder, { orderId: 'o-5' }));
    await waitFor('the event published by the command handler', () => placed.length === 1);

    expect(command.correlationId).toBe('req-42');
    expect(seenInHandler).toEqual([contextFrom(command)]);
    expect(placed[0]).toMatchObject({ correlationId: 'req-42', causationId: command.id });
  });
}
