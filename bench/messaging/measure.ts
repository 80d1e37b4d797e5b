import { randomBytes } from 'node:crypto';
import { defineCatalog, defineCommand, defineRpc } from '@overcast/contracts';
import { z } from 'zod';

/** The benchmark's one command and one RPC; the payload pads each envelope to a realistic size. */
export const RecordUsage = defineCommand({
  type: 'bench.record_usage',
  service: 'bench',
  schema: z.object({ instanceId: z.string(), sequence: z.number().int(), note: z.string() }),
});
export const benchCommands = defineCatalog(RecordUsage);

export const GetQuote = defineRpc({
  type: 'bench.get_quote',
  service: 'bench',
  request: z.object({ instanceId: z.string() }),
  response: z.object({ instanceId: z.string(), priceCents: z.number().int() }),
});
export const benchRpcs = defineCatalog(GetQuote);

/** ~60 bytes of text; with the envelope around it a message is about 300 bytes on the wire. */
export const note = randomBytes(30).toString('hex');

export function usagePayload(sequence: number): { instanceId: string; sequence: number; note: string } {
  return { instanceId: 'i-0123456789abcdef0', sequence, note };
}

export function percentile(sortedMs: number[], fraction: number): number {
  const index = Math.min(sortedMs.length - 1, Math.max(0, Math.ceil(fraction * sortedMs.length) - 1));
  return sortedMs[index] ?? Number.NaN;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    0.5,
  );
}

export function messagesPerSecond(count: number, elapsedMs: number): number {
  return Math.round((count * 1000) / elapsedMs);
}

/** Resolves once `isDone()` holds, polled cheaply (the consumers count as they ack). */
export async function until(isDone: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!isDone()) {
    if (Date.now() > deadline) throw new Error(`benchmark timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}
