import { randomBytes } from 'node:crypto';
import { runLoad, type LoadResult } from '../lib/http-load';

export interface FloodOptions {
  /** The authenticated route, loaded exactly as in the measurement without a flood. */
  url: string;
  validHeaders: Record<string, string>;
  /** Id of a real token: the flood's tokens name it with wrong secrets, the costliest kind to refuse. */
  tokenId: number;
  /** Invalid-token requests per second, all from one client address. */
  rate: number;
  seconds: number;
  connections: number;
  /** The flood's client address: a fresh one starts with a full failure budget, as a new attacker would. */
  attacker: string;
  /** Valid requests per second; unset: as fast as the connections go (closed loop). */
  validRate?: number;
}

export interface FloodResult {
  valid: LoadResult;
  flood: LoadResult;
}

// Client addresses from the documentation ranges (RFC 5737): the legitimate client, and one per attacker.
export const clientAddress = '203.0.113.10';
export const attackerAddress = (index: number) => `198.51.100.${index}`;

/**
 * The authenticated load and, on a second autocannon at the same time, a fixed rate of requests with a
 * fresh, well-formed but wrong token each (never cached, so every one reaches the verification path).
 */
export async function measureUnderFlood(options: FloodOptions): Promise<FloodResult> {
  const [valid, flood] = await Promise.all([
    runLoad({ url: options.url, headers: options.validHeaders, connections: options.connections, durationSeconds: options.seconds, overallRate: options.validRate }),
    runLoad({
      url: options.url,
      durationSeconds: options.seconds,
      overallRate: options.rate,
      // Enough connections that the rate holds even when each answer takes 20 ms.
      connections: Math.max(1, Math.ceil(options.rate / 50)),
      request: {
        setup: (request) => ({
          ...request,
          headers: {
            ...request.headers,
            'x-forwarded-for': options.attacker,
            authorization: `token ${options.tokenId}-${randomBytes(16).toString('hex')}`,
          },
        }),
      },
    }),
  ]);
  return { valid, flood };
}
