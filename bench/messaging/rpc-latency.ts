import { createAmqpBus } from '@overcast/messaging';
import { benchRpcs, GetQuote, percentile } from './measure';

export interface RpcLatency {
  calls: number;
  p50Ms: number;
  p99Ms: number;
}

/** One caller, one call at a time: the round trip a gateway request pays for its RPC. */
export async function measureRpcLatency(url: string, namespace: string, calls: number): Promise<RpcLatency> {
  const service = createAmqpBus({ url, namespace });
  const caller = createAmqpBus({ url, namespace });
  await Promise.all([service.start(), caller.start()]);
  try {
    await service.serve('bench', benchRpcs, {
      'bench.get_quote': async ({ instanceId }) => ({ instanceId, priceCents: 42 }),
    });
    for (let warmup = 0; warmup < 100; warmup += 1) await caller.call(GetQuote, { instanceId: 'i-warmup' });
    const latencies: number[] = [];
    for (let call = 0; call < calls; call += 1) {
      const started = performance.now();
      await caller.call(GetQuote, { instanceId: `i-${call}` });
      latencies.push(performance.now() - started);
    }
    latencies.sort((a, b) => a - b);
    return { calls, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
  } finally {
    await Promise.all([service.stop(), caller.stop()]);
  }
}
