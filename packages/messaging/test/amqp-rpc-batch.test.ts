import { describeWithRabbitMq, testAmqpUrl, waitFor } from '@overcast/test-kit';
import { connect } from 'amqplib';
import type { ConsumeMessage } from 'amqplib';
import { AppError } from '@overcast/contracts';
import { deleteAmqpTopology } from '../src';
import { rpcBatchType } from '../src/core/rpc-batch';
import { assertRpcQueue, names } from '../src/amqp/topology';
import { QuoteShipping } from './contract/catalog';
import { setUpAmqpHarness } from './amqp-harness';
import type { AmqpHarness } from './amqp-harness';

describeWithRabbitMq('rpc batches on the wire', () => {
  let harness: AmqpHarness;
  beforeEach(async () => {
    harness = await setUpAmqpHarness();
  });
  afterEach(async () => {
    await harness.cleanup();
    await deleteAmqpTopology({ url: testAmqpUrl(), namespace: harness.namespace, services: ['shipping'] });
  });

  it('sends the calls of one turn as one batch message and settles each call from the one batch reply', async () => {
    const connection = await connect(testAmqpUrl());
    try {
      const channel = await connection.createChannel();
      await assertRpcQueue(channel, harness.namespace, 'shipping');
      const received: ConsumeMessage[] = [];
      await channel.consume(
        names.rpcQueue(harness.namespace, 'shipping'),
        (message) => message && received.push(message),
        { noAck: true },
      );

      const caller = await harness.createBus();
      const calls = Array.from({ length: 10 }, (_, index) =>
        caller.call(QuoteShipping, { orderId: `o-${index}`, weightKg: index + 1 }).then(
          (value) => ({ value }),
          (error: unknown) => ({ error }),
        ),
      );
      await waitFor('the batch', () => received.length > 0);
      // A call of a later turn leaves after everything the first turn sent: once it is here, nothing of the ten is
      // still on its way.
      void caller.call(QuoteShipping, { orderId: 'later', weightKg: 1 }).catch(() => undefined);
      await waitFor('the later call', () => received.length > 1);
      const [batch, laterMessage] = received;
      if (!batch || !laterMessage) throw new Error('no batch');
      expect(received).toHaveLength(2);
      expect(JSON.parse(laterMessage.content.toString('utf8'))).toMatchObject({ payload: { orderId: 'later' } });
      expect(batch.properties.type).toBe(rpcBatchType);
      const requests = JSON.parse(batch.content.toString('utf8')) as {
        id: string;
        deadline: number;
        envelope: { id: string; payload: { orderId: string } };
      }[];
      expect(requests.map((request) => request.envelope.payload.orderId)).toEqual(
        Array.from({ length: 10 }, (_, index) => `o-${index}`),
      );
      for (const request of requests) {
        expect(request.id).toBe(request.envelope.id);
        expect(request.deadline).toBeGreaterThan(Date.now());
      }

      // Replies in any order, one unreadable, one for a call nobody made; the last call gets none and times out.
      const replies = requests
        .slice(0, 9)
        .reverse()
        .map((request, index) => ({
          id: request.id,
          reply:
            index === 0
              ? { ok: 'perhaps' }
              : index === 1
                ? { ok: false, error: new AppError('not_found', 'no such order').toJSON() }
                : { ok: true, result: { orderId: request.envelope.payload.orderId, priceCents: 7 } },
        }));
      replies.push({ id: 'nobody-asked', reply: { ok: true, result: { orderId: 'x', priceCents: 1 } } });
      channel.sendToQueue(String(batch.properties.replyTo), Buffer.from(JSON.stringify(replies)), {
        correlationId: String(batch.properties.correlationId),
        type: rpcBatchType,
      });

      const results = await Promise.all(calls.slice(0, 9));
      expect(results[8]).toEqual({
        error: expect.objectContaining({ code: 'internal', message: 'unreadable reply to test.quote_shipping' }),
      });
      expect(results[7]).toEqual({ error: expect.objectContaining({ code: 'not_found', message: 'no such order' }) });
      results
        .slice(0, 7)
        .forEach((result, index) => expect(result).toEqual({ value: { orderId: `o-${index}`, priceCents: 7 } }));
    } finally {
      await connection.close();
    }
  });

  it('answers a batch from a foreign client: malformed batches are dropped, bad requests in one answered one by one', async () => {
    const service = await harness.createBus();
    await service.serve(
      'shipping',
      { [QuoteShipping.type]: QuoteShipping },
      {
        'test.quote_shipping': async ({ orderId }) => ({ orderId, priceCents: 1 }),
      },
    );
    const connection = await connect(testAmqpUrl());
    try {
      const channel = await connection.createChannel();
      const replies: ConsumeMessage[] = [];
      await channel.consume('amq.rabbitmq.reply-to', (message) => message && replies.push(message), { noAck: true });
      const queue = names.rpcQueue(harness.namespace, 'shipping');
      const send = (body: string) =>
        channel.sendToQueue(queue, Buffer.from(body), {
          type: rpcBatchType,
          replyTo: 'amq.rabbitmq.reply-to',
          correlationId: 'batch-1',
        });
      send('{"not": "a batch"');
      send(JSON.stringify([{ id: 'x' }]));
      const deadline = Date.now() + 5_000;
      const envelope = (id: string, payload: unknown) => ({
        id,
        type: QuoteShipping.type,
        version: 1,
        occurredAt: new Date().toISOString(),
        correlationId: id,
        causationId: null,
        payload,
      });
      send(
        JSON.stringify([
          {
            id: 'good',
            deadline,
            envelope: envelope('00000000-0000-4000-8000-000000000001', { orderId: 'o-1', weightKg: 1 }),
          },
          {
            id: 'bad-payload',
            deadline,
            envelope: envelope('00000000-0000-4000-8000-000000000002', { orderId: 'o-2', weightKg: -1 }),
          },
          { id: 'not-an-envelope', deadline, envelope: 'hello' },
          {
            id: 'expired',
            deadline: Date.now() - 1,
            envelope: envelope('00000000-0000-4000-8000-000000000003', { orderId: 'o-3', weightKg: 1 }),
          },
        ]),
      );
      await waitFor('the batch reply', () => replies.length > 0);
      // One more request, sent only now: the service answers in delivery order on one channel, so by the time its
      // reply is here any reply to the malformed batches (and to the expired request) would have come before it.
      send(
        JSON.stringify([
          {
            id: 'after',
            deadline,
            envelope: envelope('00000000-0000-4000-8000-000000000005', { orderId: 'o-5', weightKg: 1 }),
          },
        ]),
      );
      await waitFor('the reply to the request sent after', () =>
        replies.some((message) => message.properties.correlationId === 'after'),
      );
      expect(replies).toHaveLength(2);
      const [reply] = replies;
      expect(reply?.properties.type).toBe(rpcBatchType);
      const answered = JSON.parse(reply?.content.toString('utf8') ?? '[]') as {
        id: string;
        reply: { ok: boolean; result?: unknown; error?: { code: string } };
      }[];
      expect(answered).toHaveLength(3);
      expect(answered).toEqual(
        expect.arrayContaining([
          { id: 'good', reply: { ok: true, result: { orderId: 'o-1', priceCents: 1 } } },
          { id: 'bad-payload', reply: { ok: false, error: expect.objectContaining({ code: 'bad_request' }) } },
          { id: 'not-an-envelope', reply: { ok: false, error: expect.objectContaining({ code: 'bad_request' }) } },
        ]),
      );
      // The service lives on and still answers.
      await expect((await harness.createBus()).call(QuoteShipping, { orderId: 'o-4', weightKg: 1 })).resolves.toEqual({
        orderId: 'o-4',
        priceCents: 1,
      });
    } finally {
      await connection.close();
    }
  });
});
