import { describeWithRabbitMq, waitFor } from '@overcast/test-kit';
import { names } from '../src/amqp/topology';
import { setUpAmqpHarness, withBrokerChannel } from './amqp-harness';
import type { AmqpHarness } from './amqp-harness';
import { OrderPlaced } from './contract/catalog';

describeWithRabbitMq('amqp transport: the publish window', () => {
  let harness: AmqpHarness;
  let probe: string;
  beforeEach(async () => {
    harness = await setUpAmqpHarness({ publishWindow: 3 });
    probe = `${harness.namespace}.window-probe`;
  });
  afterEach(async () => {
    harness.proxy.releaseReplies();
    await withBrokerChannel((channel) => channel.deleteQueue(probe));
    await harness.cleanup();
  });

  const messagesOnProbe = () => withBrokerChannel(async (channel) => (await channel.checkQueue(probe)).messageCount);

  it('lets at most the window of publishes await their confirm; the rest follow as confirms return', async () => {
    const bus = await harness.createBus();
    await withBrokerChannel(async (channel) => {
      await channel.assertQueue(probe, { durable: false });
      await channel.bindQueue(probe, names.eventExchange(harness.namespace), OrderPlaced.type);
    });

    harness.proxy.holdReplies();
    let confirmed = 0;
    const publishes = Array.from({ length: 10 }, (_, index) =>
      bus.publish(OrderPlaced, { orderId: `order-${index}`, amount: index }).then(() => (confirmed += 1)),
    );
    await waitFor('the window to reach the broker', async () => (await messagesOnProbe()) >= 3);
    // Long enough for a fourth publish to arrive, were one sent without a free slot.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await messagesOnProbe()).toBe(3);
    expect(confirmed).toBe(0);

    harness.proxy.releaseReplies();
    await Promise.all(publishes);
    expect(await messagesOnProbe()).toBe(10);
  });
});
