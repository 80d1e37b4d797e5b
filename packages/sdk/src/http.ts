import createFetchClient from 'openapi-fetch';
import type { Client } from 'openapi-fetch';
import { OvercastApiError, OvercastConnectionError } from './errors';
import type { paths } from './generated/openapi';

export interface OvercastClientOptions {
  /** Where the gateway listens, e.g. `http://127.0.0.1:8080`. */
  baseUrl: string;
  /** An API token `<id>-<32 hex>`; omit it for `login` and the ops routes. */
  token?: string;
  /** A fetch to use instead of the global one (tests, proxies, retries). */
  fetch?: (request: Request) => Promise<Response>;
  /** Extra headers sent with every request. */
  headers?: Record<string, string>;
}

/** The typed openapi-fetch client: every path and method of the spec, for what the wrappers do not cover. */
export type OvercastHttpClient = Client<paths>;

export function createHttpClient(options: OvercastClientOptions): OvercastHttpClient {
  const baseFetch = options.fetch ?? ((request: Request) => globalThis.fetch(request));
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  return createFetchClient<paths>({
    baseUrl,
    fetch: async (request) => {
      try {
        return await baseFetch(request);
      } catch (cause) {
        throw new OvercastConnectionError(baseUrl, cause);
      }
    },
    headers: {
      'User-Agent': 'overcast-sdk/0.1.0',
      ...(options.token === undefined ? {} : { Authorization: `token ${options.token}` }),
      ...options.headers,
    },
  });
}

interface CallResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The body of a 2xx answer; any other status becomes an `OvercastApiError`. */
export async function expectSuccess<T>(pending: Promise<CallResult<T>>): Promise<T> {
  const { data, error, response } = await pending;
  if (!response.ok) throw OvercastApiError.fromResponse(response, error);
  return data as T;
}
