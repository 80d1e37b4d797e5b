// Run by retries.test.ts as `node --expose-gc`: attempts against a server that never answers, with a collection
// every 20 ms, print how each ended and after how long.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sendWithRetries, type TransportSettings } from '../../src/transport/send-with-retries.ts';

const server = createServer(() => undefined).listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
const settings: TransportSettings = {
  fetch: (request) => fetch(request),
  baseUrl: url,
  maxRetries: 0,
  timeoutMs: 300,
  maxRetryAfterMs: 1_000,
  random: Math.random,
  initialDelayMs: 10,
  maxDelayMs: 20,
};
const collect = setInterval(() => (globalThis as { gc?: () => void }).gc?.(), 20);
for (let attempt = 0; attempt < 3; attempt++) {
  const started = Date.now();
  const outcome = await sendWithRetries(new Request(url), settings).catch((error: unknown) => error);
  console.log(JSON.stringify({ ended: (outcome as object).constructor.name, afterMs: Date.now() - started }));
}
clearInterval(collect);
server.closeAllConnections();
server.close();
