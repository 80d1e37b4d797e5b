import { randomBytes } from 'node:crypto';
import { createEnvelope } from '@overcast/contracts';
import { connect } from 'amqplib';
import { deleteAmqpTopology } from '@overcast/messaging';
import { measureBusThroughput } from './bus-throughput';
import { median, RecordUsage, usagePayload } from './measure';
import { measureRawThroughput } from './raw-throughput';
import { measureRpcLatency } from './rpc-latency';

// Bounded so the whole run takes well under a minute on the 2-core machine.
const messageCount = Number(process.env.BENCH_MESSAGES ?? 15_000);
const rounds = Number(process.env.BENCH_ROUNDS ?? 5);
const rpcCalls = Number(process.env.BENCH_RPC_CALLS ?? 2_000);
const warmupCount = 3_000;
const prefetch = 100;
const window = 1024;
const target = 0.7;

/** The queues and exchanges the run declared (one queue per side, reused by every round), so the broker keeps none. */
async function deleteTopology(url: string, namespace: string): Promise<void> {
  // The Bus's own (work, delay and dead-letter queues, the RPC queue, the exchanges), then the raw side's queue.
  await deleteAmqpTopology({ url, namespace, queues: ['bus'], services: ['bench'] });
  const connection = await connect(url);
  connection.on('error', () => undefined);
  const channel = await connection.createChannel();
  channel.on('error', () => undefined);
  await channel.deleteQueue(`${namespace}.raw`);
  await connection.close();
}

async function main(): Promise<void> {
  // The same default as the test suites: the local RabbitMQ unless AMQP_URL points elsewhere.
  const url = process.env.AMQP_URL ?? 'amqp://guest:guest@127.0.0.1:5672';
  const namespace = `bench-${randomBytes(4).toString('hex')}`;
  // The raw run sends the very bytes the Bus sends for one message.
  const body = Buffer.from(JSON.stringify(createEnvelope(RecordUsage.type, RecordUsage.version, usagePayload(0))));
  const shown = new URL(url);
  if (shown.password) shown.password = '***';
  console.log(`messaging benchmark: RabbitMQ at ${shown.toString()}`);
  console.log(
    `  ${messageCount} messages of ${body.length} B, persistent, publisher-confirmed, consumed with manual acks;`,
  );
  console.log(
    `  quorum queue, prefetch ${prefetch}, ${window} confirms in flight; ${rounds} rounds, raw then Bus, after a warm-up\n`,
  );

  const round = async (count: number) => ({
    rawRate: await measureRawThroughput({ url, queue: `${namespace}.raw`, body, count, prefetch, window }),
    busRate: await measureBusThroughput({ url, namespace, queue: 'bus', count, prefetch }),
  });
  const raw: number[] = [];
  const bus: number[] = [];
  const ratios: number[] = [];
  try {
    await round(warmupCount); // JIT, connections, queue declarations: not what is measured
    for (let index = 1; index <= rounds; index += 1) {
      const { rawRate, busRate } = await round(messageCount);
      raw.push(rawRate);
      bus.push(busRate);
      ratios.push(busRate / rawRate);
      console.log(
        `  round ${index}: raw ${rawRate} msg/s, bus ${busRate} msg/s (${Math.round((100 * busRate) / rawRate)}%)`,
      );
    }
    const rpc = await measureRpcLatency(url, namespace, rpcCalls);

    // Each round's pair runs back to back, so its ratio cancels most of the load other processes put on the machine.
    const ratio = median(ratios);
    console.log('');
    console.log(`raw amqplib (confirm channel)        ${String(median(raw)).padStart(7)} msg/s  (median)`);
    console.log(`Bus (createAmqpBus)                  ${String(median(bus)).padStart(7)} msg/s  (median)`);
    console.log(
      `Bus / raw                            ${String(Math.round(ratio * 100)).padStart(7)} %      (median of the rounds' ratios; target ≥ ${target * 100}%)`,
    );
    console.log(
      `Bus RPC round trip, ${rpc.calls} sequential  p50 ${rpc.p50Ms.toFixed(2)} ms  p99 ${rpc.p99Ms.toFixed(2)} ms`,
    );
    if (ratio < target) {
      console.log(`\nBELOW TARGET: the Bus reaches ${Math.round(ratio * 100)}% of raw amqplib`);
      process.exitCode = 1;
    }
  } finally {
    await deleteTopology(url, namespace);
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
