import createFetchClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import { OvercastApiError } from './errors/api-errors.ts';
import type { paths } from './generated/openapi.ts';
import type { Fetch, RequestOptions, TransportSettings } from './transport/send-with-retries.ts';
import { sendWithRetries } from './transport/send-with-retries.ts';

export interface OvercastClientOptions {
  /** Where the gateway listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An API token `<id>-<32 hex>`; omit it for `login` and the ops routes. */
  token?: string;
  /** A fetch to use instead of the global one (tests, proxies). */
  fetch?: Fetch;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
  /** Retries after 429, 503 and broken connections, where a retry is safe; default 2. */
  maxRetries?: number;
  /** Milliseconds each attempt may take; default 60 000. */
  timeout?: number;
  /** Backoff when the server names no `Retry-After`: the first ceiling (default 500 ms) doubles up to `maxMs` (8 s). */
  retryDelay?: { initialMs?: number; maxMs?: number };
  /** A `Retry-After` longer than this (default 60 s) is not waited for: the error is thrown at once. */
  maxRetryAfter?: number;
}

/** The typed openapi-fetch client: every path and method of the spec, for what the wrappers do not cover. */
export type OvercastHttpClient = Client<paths>;

/** What each resource's wrappers are built on. */
export interface ApiContext {
  http: OvercastHttpClient;
  /** The openapi-fetch option that sends one call with its own timeout, signal and retries. */
  call(options?: RequestOptions): { fetch: Fetch };
}

export function createApiContext(options: OvercastClientOptions): ApiContext {
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const settings: TransportSettings = {
    fetch: baseFetch,
    baseUrl,
    maxRetries: options.maxRetries ?? 2,
    timeoutMs: options.timeout ?? 60_000,
    initialDelayMs: options.retryDelay?.initialMs ?? 500,
    maxDelayMs: options.retryDelay?.maxMs ?? 8_000,
    maxRetryAfterMs: options.maxRetryAfter ?? 60_000,
    random: Math.random,
  };
  const call = (requestOptions: RequestOptions = {}) => ({
    fetch: (request: Request) => sendWithRetries(request, settings, requestOptions),
  });
  const http = createFetchClient<paths>({
    baseUrl,
    ...call(),
    headers: {
      'User-Agent': 'overcast-sdk/0.1.0',
      ...(options.token === undefined ? {} : { Authorization: `token ${options.token}` }),
      ...options.headers,
    },
  });
  return { http, call };
}

interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a 2xx answer; any other status becomes the `OvercastApiError` subclass of its code. */
export async function expectSuccess<T>(pending: Promise<CallResult<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw OvercastApiError.fromResponse(response, error);
  return data as T;
}
