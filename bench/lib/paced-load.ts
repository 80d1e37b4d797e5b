import { Agent, request as httpRequest } from 'node:http';
import type { LoadRequest, LoadResult } from './http-load';
import { percentile } from './percentiles';

export interface PacedLoadOptions {
  url: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Keep-alive connections at most; a request finding all busy waits for one (and that wait counts). */
  connections: number;
  headers?: Record<string, string>;
  request?: LoadRequest;
}

/**
 * An open-loop load at a fixed rate, requests evenly spaced (autocannon's `overallRate` sends each second's
 * quota in a burst at the start of the second, which measures the burst). Each latency runs from the moment
 * the request was due, not from when it left, so a gateway that falls behind shows it (no coordinated omission).
 */
export async function runPacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.connections });
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const statusCounts: Record<number, number> = {};
  let errors = 0;
  const pending = new Set<Promise<void>>();

  function send(dueAt: number): Promise<void> {
    const base = { path: `${target.pathname}${target.search}`, headers: { ...options.headers, ...options.request?.headers } };
    const { path, headers } = options.request?.setup?.(base) ?? base;
    return new Promise<void>((resolve) => {
      const outgoing = httpRequest(
        { agent, host: target.hostname, port: target.port, method: options.request?.method ?? 'GET', path, headers },
        (response) => {
          response.resume();
          response.on('end', () => {
            latencies.push(performance.now() - dueAt);
            const status = response.statusCode ?? 0;
            statusCounts[status] = (statusCounts[status] ?? 0) + 1;
            resolve();
          });
        },
      );
      outgoing.on('error', () => {
        errors += 1;
        resolve();
      });
      outgoing.end(options.request?.body);
    });
  }

  const started = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
    for (; sent < due; sent += 1) {
      const sending = send(started + sent * intervalMs);
      pending.add(sending);
      void sending.then(() => pending.delete(sending));
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await Promise.all(pending);
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  const answered = Object.values(statusCounts).reduce((sum, count) => sum + count, 0);
  const non2xx = Object.entries(statusCounts).reduce((sum, [status, count]) => sum + (Number(status) >= 200 && Number(status) < 300 ? 0 : count), 0);
  return {
    requestsPerSecond: Math.round(answered / elapsedSeconds),
    p50Ms: Math.round(percentile(latencies, 0.5) * 10) / 10,
    p99Ms: Math.round(percentile(latencies, 0.99) * 10) / 10,
    errors,
    non2xx,
    statusCounts,
    total: answered,
  };
}
