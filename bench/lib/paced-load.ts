import { connect, type Socket } from 'node:net';
import type { LoadRequest, LoadResult } from './http-load';
import { percentile } from './percentiles';

export interface PacedLoadOptions {
  url: string;
  /** Requests per second, evenly spaced. */
  rate: number;
  seconds: number;
  /** Keep-alive connections; a request finding all busy waits for one (and that wait counts). */
  connections: number;
  headers?: Record<string, string>;
  request?: LoadRequest;
}

interface Connection {
  socket: Socket;
  /** When the request in flight was due; undefined when idle. */
  dueAt: number | undefined;
  buffer: Buffer;
}

const headerEnd = Buffer.from('\r\n\r\n');

/** The status and total length of the first complete response in `buffer`, or undefined while it is incomplete. */
function completeResponse(buffer: Buffer): { status: number; length: number } | undefined {
  const end = buffer.indexOf(headerEnd);
  if (end < 0) return undefined;
  const head = buffer.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const contentLength = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (!contentLength) throw new Error(`a response without Content-Length: ${head.split('\r\n')[0] ?? ''}`);
  const length = end + headerEnd.length + Number(contentLength[1]);
  return buffer.length >= length ? { status, length } : undefined;
}

/**
 * An open-loop load at a fixed rate, requests evenly spaced (autocannon's `overallRate` sends each second's quota
 * in a burst at the start of the second, which measures the burst). Each latency runs from the moment the request
 * was due, not from when it left, so a server that falls behind shows it (no coordinated omission). Requests are
 * written as raw HTTP/1.1 on keep-alive sockets, one in flight per socket: node's HTTP client cost ~0.2 ms of CPU
 * per request, taken from the two cores the measured services share.
 */
export async function runPacedLoad(options: PacedLoadOptions): Promise<LoadResult> {
  const target = new URL(options.url);
  const total = Math.round(options.rate * options.seconds);
  const intervalMs = 1000 / options.rate;
  const latencies: number[] = [];
  const statusCounts: Record<number, number> = {};
  let errors = 0;
  const idle: Connection[] = [];
  const due: number[] = [];
  let answered = 0;
  let finish: () => void = () => undefined;
  const finished = new Promise<void>((resolve) => (finish = resolve));

  function requestBytes(): Buffer {
    const base = {
      path: `${target.pathname}${target.search}`,
      headers: { ...options.headers, ...options.request?.headers } as Record<string, string | string[] | undefined>,
    };
    const { path, headers } = options.request?.setup?.(base) ?? base;
    const body = options.request?.body ?? '';
    const lines = [
      `${options.request?.method ?? 'GET'} ${path ?? '/'} HTTP/1.1`,
      `Host: ${target.host}`,
      `Content-Length: ${Buffer.byteLength(body)}`,
    ];
    for (const [name, value] of Object.entries(headers ?? {}))
      if (value !== undefined) lines.push(`${name}: ${String(value)}`);
    return Buffer.from(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }

  function settle(connection: Connection, status: number | undefined): void {
    if (connection.dueAt !== undefined) {
      if (status === undefined) errors += 1;
      else {
        latencies.push(performance.now() - connection.dueAt);
        statusCounts[status] = (statusCounts[status] ?? 0) + 1;
        answered += 1;
      }
    }
    connection.dueAt = undefined;
    if (answered + errors >= total && due.length === 0) finish();
  }

  function send(connection: Connection): void {
    const dueAt = due.shift();
    if (dueAt === undefined) {
      idle.push(connection);
      return;
    }
    connection.dueAt = dueAt;
    connection.socket.write(requestBytes());
  }

  await Promise.all(
    Array.from(
      { length: options.connections },
      () =>
        new Promise<void>((resolve, reject) => {
          const socket = connect({ host: target.hostname, port: Number(target.port), noDelay: true }, () => resolve());
          const connection: Connection = { socket, dueAt: undefined, buffer: Buffer.alloc(0) };
          socket.on('data', (chunk: Buffer) => {
            connection.buffer = connection.buffer.length === 0 ? chunk : Buffer.concat([connection.buffer, chunk]);
            const response = completeResponse(connection.buffer);
            if (!response) return;
            connection.buffer = connection.buffer.subarray(response.length);
            settle(connection, response.status);
            send(connection);
          });
          socket.on('error', (error) => {
            settle(connection, undefined);
            reject(error);
          });
          idle.push(connection);
        }),
    ),
  );

  const started = performance.now();
  for (let sent = 0; sent < total;) {
    const dueNow = Math.min(total, Math.floor((performance.now() - started) / intervalMs) + 1);
    for (; sent < dueNow; sent += 1) {
      due.push(started + sent * intervalMs);
      const connection = idle.pop();
      if (connection) send(connection);
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  await finished;
  const elapsedSeconds = (performance.now() - started) / 1000;
  for (const connection of idle) connection.socket.destroy();
  const non2xx = Object.entries(statusCounts).reduce(
    (sum, [status, count]) => sum + (Number(status) >= 200 && Number(status) < 300 ? 0 : count),
    0,
  );
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
