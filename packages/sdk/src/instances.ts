import { OvercastApiError } from './errors';
import type { OvercastHttpClient } from './http';
import { expectSuccess } from './http';
import type { CreateInstanceRequest, Instance, InstanceFilters, InstanceList } from './types';
import type { WaitForInstanceOptions } from './wait-for-instance';
import { waitForInstance } from './wait-for-instance';
import type { InstanceState } from './types';

export interface CreateInstanceOptions {
  /** Makes retries safe: the same key answers the instance created the first time. */
  idempotencyKey?: string;
}

export interface InstancesApi {
  create(request: CreateInstanceRequest, options?: CreateInstanceOptions): Promise<Instance>;
  /** The instance; a terminated one is returned too (the API answers it with 410 Gone). */
  get(id: string): Promise<Instance>;
  /** One page; pass `next_cursor` back as `cursor` for the next. */
  list(filters?: InstanceFilters): Promise<InstanceList>;
  /** Every page in turn, starting at `filters.cursor`. */
  pages(filters?: InstanceFilters): AsyncGenerator<InstanceList, void, undefined>;
  /** Every instance across pages. */
  all(filters?: InstanceFilters): AsyncGenerator<Instance, void, undefined>;
  /** Starts termination; answers the instance (state `terminating`, or `terminated` if it already was). */
  delete(id: string): Promise<Instance>;
  /**
   * The instance's console output as raw text (boot agent lines, init script stdout and stderr; the last
   * 1 MiB), like EC2's GetConsoleOutput. Throws OvercastApiError 422 when its provider keeps no console.
   */
  console(id: string): Promise<string>;
  /** Polls until the instance is in `state` (or one of the states). */
  waitFor(id: string, state: InstanceState | InstanceState[], options?: WaitForInstanceOptions): Promise<Instance>;
}

export function createInstancesApi(http: OvercastHttpClient): InstancesApi {
  const api: InstancesApi = {
    create: (request, options = {}) =>
      expectSuccess(
        http.POST('/instances', {
          body: request,
          params: { header: options.idempotencyKey === undefined ? {} : { 'Idempotency-Key': options.idempotencyKey } },
        }),
      ),

    async get(id) {
      const { data, error, response } = await http.GET('/instances/{id}', { params: { path: { id } } });
      // cloud-brain answers a terminated instance with 410 and the instance itself as the body.
      if (response.status === 410) return error as Instance;
      if (!response.ok || data === undefined) throw OvercastApiError.fromResponse(response, error);
      return data;
    },

    list: (filters = {}) => expectSuccess(http.GET('/instances', { params: { query: filters } })),

    async *pages(filters = {}) {
      let cursor = filters.cursor;
      do {
        const page = await api.list({ ...filters, ...(cursor === undefined ? {} : { cursor }) });
        yield page;
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    },

    async *all(filters = {}) {
      for await (const page of api.pages(filters)) yield* page.instances;
    },

    delete: (id) => expectSuccess(http.DELETE('/instances/{id}', { params: { path: { id } } })),

    async console(id) {
      const text = await expectSuccess(
        http.GET('/instances/{id}/console', { params: { path: { id } }, parseAs: 'text' }),
      );
      // openapi-fetch answers an empty body (Content-Length: 0) as undefined: an empty console is ''.
      return text ?? '';
    },

    waitFor: (id, state, options) => waitForInstance(() => api.get(id), state, options),
  };
  return api;
}
