import { AppError, defineCatalog } from '@overcast/contracts';
import type { Envelope } from '@overcast/contracts';
import { waitFor } from '@overcast/test-kit';
import { RpcTimeoutError, UnroutableMessageError } from '../../src';
import { QuoteShipping, TrackParcel } from './catalog';
import { asyncLocalContext, deferred } from './harness';
import type { BusHarness } from './harness';

const quotes = defineCatalog(QuoteShipping);

export function describeRpc(harness: () => BusHarness): void {
  it("answers a call with the handler's response, carrying the caller's context", async () => {
    const [service, caller] = [await harness().createBus(), await harness().createBus()];
    const seen: Envelope[] = [];
    await service.serve('shipping', quotes, {
      'test.quote_shipping': async ({ orderId, weightKg }, delivery) => {
        seen.push(delivery.envelope);
        return { orderId, priceCents: weightKg * 250 };
      },
    });
    const quote = await caller.call(
      QuoteShipping,
      { orderId: 'o-1', weightKg: 2 },
      { context: { correlationId: 'req-9' } },
    );
    expect(quote).toEqual({ orderId: 'o-1', priceCents: 500 });
    expect(seen[0]).toMatchObject({ type: 'test.quote_shipping', correlationId: 'req-9' });
  });

  it('rethrows an AppError from the handler with its code, message and details', async () => {
    const bus = await harness().createBus();
    await bus.serve('shipping', quotes, {
      'test.quote_shipping': async () => {
        throw new AppError('unprocessable', 'too heavy to ship', {
          details: [{ path: 'weightKg', message: 'at most 30' }],
        });
      },
    });
    const calling = bus.call(QuoteShipping, { orderId: 'o-2', weightKg: 99 });
    await expect(calling).rejects.toBeInstanceOf(AppError);
    await expect(bus.call(QuoteShipping, { orderId: 'o-2', weightKg: 99 })).rejects.toMatchObject({
      code: 'unprocessable',
      message: 'too heavy to ship',
      details: [{ path: 'weightKg', message: 'at most 30' }],
    });
  });

  it('turns any other handler error into an internal AppError that keeps its internals to itself', async () => {
    const bus = await harness().createBus();
    await bus.serve('shipping', quotes, {
      'test.quote_shipping': async () => {
        throw new Error('password=hunter2 at db.internal:5432');
      },
    });
    const error = await bus.call(QuoteShipping, { orderId: 'o-3', weightKg: 1 }).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'internal', message: 'internal error', details: [] });
    expect(JSON.stringify(error)).not.toContain('hunter2');
  });

  it('times out cleanly when the service is down, and the expired request is never processed', async () => {
    const service = await harness().createBus();
    const answered: string[] = [];
    const handlers = {
      'test.quote_shipping': async ({ orderId }: { orderId: string }) => {
        answered.push(orderId);
        return { orderId, priceCents: 1 };
      },
    };
    const server = await service.serve('shipping', quotes, handlers);
    await server.stop();

    const caller = await harness().createBus();
    const calling = caller.call(QuoteShipping, { orderId: 'while-down', weightKg: 1 }, { timeoutMs: 200 });
    await expect(calling).rejects.toBeInstanceOf(RpcTimeoutError);
    await expect(calling).rejects.toMatchObject({
      code: 'timeout',
      message: 'no reply to test.quote_shipping within 200 ms',
    });

    // Back up: the expired request sits ahead in the queue, yet only the fresh one is answered.
    await (await harness().createBus()).serve('shipping', quotes, handlers);
    await expect(caller.call(QuoteShipping, { orderId: 'after-restart', weightKg: 1 })).resolves.toEqual({
      orderId: 'after-restart',
      priceCents: 1,
    });
    expect(answered).toEqual(['after-restart']);
  });

  it('fails at once when no service ever served the RPC', async () => {
    const bus = await harness().createBus();
    await expect(bus.call(TrackParcel, { parcelId: 'p-1' }, { timeoutMs: 10_000 })).rejects.toBeInstanceOf(
      UnroutableMessageError,
    );
  });

  it('refuses a request that does not match its schema before sending it', async () => {
    const bus = await harness().createBus();
    await expect(bus.call(QuoteShipping, { orderId: 'o-4', weightKg: 0 })).rejects.toMatchObject({
      code: 'bad_request',
      details: [{ path: 'payload.weightKg' }],
    });
  });

  it('runs at most prefetch requests of a server at a time, each call counting as one', async () => {
    const [service, caller] = [await harness().createBus(), await harness().createBus()];
    const release = deferred();
    let running = 0;
    let most = 0;
    await service.serve(
      'shipping',
      quotes,
      {
        'test.quote_shipping': async ({ orderId }) => {
          running += 1;
          most = Math.max(most, running);
          await release.promise;
          running -= 1;
          return { orderId, priceCents: 1 };
        },
      },
      { prefetch: 2 },
    );
    // Made in one turn, as a busy gateway makes them: a transport may batch the messages, not the slots.
    const calls = Array.from({ length: 10 }, (_, index) =>
      caller.call(QuoteShipping, { orderId: `o-${index}`, weightKg: 1 }, { timeoutMs: 10_000 }),
    );
    try {
      await waitFor('requests in hand', () => running >= 2);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(running).toBe(2);
    } finally {
      release.resolve();
    }
    await expect(Promise.all(calls)).resolves.toHaveLength(10);
    expect(most).toBe(2);
  });

  it('answers hundreds of concurrent calls each with its own reply, error, context or timeout', async () => {
    const context = asyncLocalContext();
    const [service, caller] = [await harness().createBus({ context }), await harness().createBus()];
    const slow = deferred();
    const seen = new Map<string, string | undefined>();
    await service.serve('shipping', quotes, {
      'test.quote_shipping': async ({ orderId, weightKg }) => {
        seen.set(orderId, context.current()?.correlationId);
        if (weightKg === 1) throw new AppError('unprocessable', `cannot ship ${orderId}`);
        if (weightKg === 2) throw new Error('a bug');
        if (weightKg === 3) await slow.promise;
        return { orderId, priceCents: weightKg * 100 };
      },
    });
    const outcome = (promise: Promise<unknown>) =>
      promise.then(
        (value) => ({ value }),
        (error: unknown) => ({ error }),
      );
    const calls = Array.from({ length: 300 }, (_, index) => {
      const weightKg = [1, 2, 4, 5][index % 4] ?? 4;
      return outcome(
        caller.call(QuoteShipping, { orderId: `o-${index}`, weightKg }, { context: { correlationId: `req-${index}` } }),
      );
    });
    // In the same turn: one call that times out waiting for its handler, and one to a service nobody serves.
    const timingOut = outcome(caller.call(QuoteShipping, { orderId: 'slow', weightKg: 3 }, { timeoutMs: 300 }));
    const unroutable = outcome(caller.call(TrackParcel, { parcelId: 'p-9' }));

    try {
      const results = await Promise.all(calls);
      results.forEach((result, index) => {
        const weightKg = [1, 2, 4, 5][index % 4];
        if (weightKg === 1)
          expect(result).toEqual({
            error: expect.objectContaining({ code: 'unprocessable', message: `cannot ship o-${index}` }),
          });
        else if (weightKg === 2)
          expect(result).toEqual({ error: expect.objectContaining({ code: 'internal', message: 'internal error' }) });
        else expect(result).toEqual({ value: { orderId: `o-${index}`, priceCents: (weightKg ?? 0) * 100 } });
        expect(seen.get(`o-${index}`)).toBe(`req-${index}`);
      });
      expect(await timingOut).toEqual({ error: expect.any(RpcTimeoutError) });
      expect(await unroutable).toEqual({ error: expect.any(UnroutableMessageError) });
    } finally {
      slow.resolve();
    }
  });
}
