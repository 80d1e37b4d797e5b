import { defineCatalog } from '@overcast/contracts';
import { describeWithRabbitMq, waitFor } from '@overcast/test-kit';
import { BusUnavailableError, createAmqpBus } from '../src';
import { names } from '../src/amqp/topology';
import { setUpAmqpHarness, withBrokerChannel } from './amqp-harness';
import type { AmqpHarness } from './amqp-harness';
import { ShipOrder } from './contract/catalog';

const shipping = defineCatalog(ShipOrder);

describeWithRabbitMq('amqp transport: topology and connection', () => {
  let harness: AmqpHarness;
  beforeEach(async () => {
    harness = await setUpAmqpHarness();
  });
  afterEach(() => harness.cleanup());

  it('declares quorum work queues with the configured delivery limit', async () => {
    const bus = await harness.createBus();
    await bus.consume('shipping', shipping, { 'test.ship_order': async () => undefined });
    const work = names.workQueue(harness.namespace, 'shipping');
    const redeclare = (deliveryLimit: number) =>
      withBrokerChannel((channel) =>
        channel.assertQueue(work, {
          durable: true,
          arguments: {
            'x-queue-type': 'quorum',
            'x-delivery-limit': deliveryLimit,
            'x-dead-letter-exchange': '',
            'x-dead-letter-routing-key': names.deadQueue(harness.namespace, 'shipping'),
            'x-dead-letter-strategy': 'at-least-once',
            'x-overflow': 'reject-publish',
          },
        }),
      );
    // The broker accepts a redeclaration only with equivalent arguments.
    await expect(redeclare(20)).resolves.toMatchObject({ queue: work });
    await expect(redeclare(21)).rejects.toThrow(/PRECONDITION_FAILED/);
  });

  it('declares its topology again after a reconnect: a queue deleted while it was away is back and consumed', async () => {
    const bus = await harness.createBus();
    const shipped: string[] = [];
    await bus.consume('shipping', shipping, { 'test.ship_order': async ({ orderId }) => void shipped.push(orderId) });

    await harness.proxy.cut();
    await waitFor('the bus to notice', () => !bus.isReady());
    await expect(bus.publish(ShipOrder, { orderId: 'while-away' })).rejects.toBeInstanceOf(BusUnavailableError);
    await withBrokerChannel((channel) => channel.deleteQueue(names.workQueue(harness.namespace, 'shipping')));
    await harness.proxy.restore();

    await waitFor('the bus to reconnect', () => bus.isReady());
    await bus.publish(ShipOrder, { orderId: 'after-reconnect' });
    await waitFor('the message on the re-declared queue', () => shipped.length === 1);
    expect(shipped).toEqual(['after-reconnect']);
  });

  it('resumes consuming when its queue is deleted under a live consumer', async () => {
    const bus = await harness.createBus();
    const shipped: string[] = [];
    await bus.consume('shipping', shipping, { 'test.ship_order': async ({ orderId }) => void shipped.push(orderId) });
    await withBrokerChannel((channel) => channel.deleteQueue(names.workQueue(harness.namespace, 'shipping')));

    await waitFor('the command to be routed and handled again', async () => {
      await bus.publish(ShipOrder, { orderId: 'again' }).catch(() => undefined);
      return shipped.length > 0;
    });
    expect(shipped[0]).toBe('again');
  });

  it('fails to start with BusUnavailableError when the broker cannot be reached', async () => {
    await harness.proxy.cut();
    const bus = createAmqpBus({
      url: `amqp://guest:guest@127.0.0.1:${harness.proxy.port}`,
      connectTimeoutMs: 300,
      reconnect: { initialDelayMs: 50 },
    });
    await expect(bus.start()).rejects.toBeInstanceOf(BusUnavailableError);
    await expect(bus.start()).rejects.toThrow('already started');
  });

  it('refuses invalid options naming the field', () => {
    expect(() => createAmqpBus({ url: 'http://localhost' })).toThrow('url must be an amqp:// or amqps:// URL');
    expect(() => createAmqpBus({ url: 'amqp://localhost', namespace: 'a b' })).toThrow('namespace must be');
    expect(() => createAmqpBus({ url: 'amqp://localhost', prefetch: 0 })).toThrow(
      'prefetch must be a positive integer',
    );
    expect(() => createAmqpBus({ url: 'amqp://localhost', retry: { maxAttempts: 0 } })).toThrow(
      'retry.maxAttempts must be at least 1',
    );
  });
});
