import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runPacedLoad } from '../lib/paced-load';

describe('runPacedLoad', () => {
  let server: Server;
  let url: string;
  const arrivals: { at: number; authorization: string | undefined; path: string | undefined }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      arrivals.push({ at: performance.now(), authorization: req.headers.authorization, path: req.url });
      // Bodies of varied sizes, some large enough to arrive in several chunks.
      const body = 'x'.repeat(arrivals.length % 3 === 0 ? 70_000 : 10);
      res.writeHead(arrivals.length % 5 === 0 ? 429 : 200, {
        'content-type': 'text/plain',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/status`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('sends evenly spaced requests with each its own headers and counts every answer by status', async () => {
    let n = 0;
    const before = performance.now();
    const result = await runPacedLoad({
      url,
      rate: 200,
      seconds: 1,
      connections: 5,
      request: {
        setup: (request) => ({
          ...request,
          path: `/status?n=${n}`,
          headers: { ...request.headers, authorization: `token ${n++}` },
        }),
      },
    });
    expect(result.total).toBe(200);
    expect(result.errors).toBe(0);
    expect(result.statusCounts).toEqual({ 200: 160, 429: 40 });
    expect(result.non2xx).toBe(40);
    expect(new Set(arrivals.map((arrival) => arrival.authorization)).size).toBe(200);
    expect(arrivals[7]?.path).toBe('/status?n=7');
    // Paced, never ahead of schedule: the k-th arrival comes no sooner than k intervals (5 ms) after the start. A
    // burst at the start of each second breaks this; catching up after this host stalled the process does not.
    const early = arrivals.filter((arrival, k) => arrival.at < before + k * 5);
    expect(early).toEqual([]);
    expect(result.p99Ms).toBeGreaterThan(0);
  });
});
