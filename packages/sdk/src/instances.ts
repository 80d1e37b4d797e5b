import { OvercastApiError } from './errors/api-errors.ts';
import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { CreateInstanceRequest, Instance, InstanceFilters, InstanceList, InstanceState } from './types.ts';
import type { FollowConsoleOptions } from './waiting/follow-console.ts';
import { followConsole } from './waiting/follow-console.ts';
import type { WaitForInstanceOptions } from './waiting/wait-for-instance.ts';
import { waitForInstance } from './waiting/wait-for-instance.ts';

export interface CreateInstanceOptions extends RequestOptions {
  /**
   * Makes retries safe: the same key answers the instance created the first time. Default: a new random key
   * for each call, sent again unchanged on that call's retries.
   */
  idempotencyKey?: string;
}

/**
 * The API answers an `i-…` id (pudding's EC2-style reference) in pudding's shapes; this client names instances by
 * their uuid, which always answers the instance itself.
 */
function instanceOf<T extends object>(answer: Instance | T): Instance {
  if (!('id' in answer)) throw new TypeError("expected an instance: name it by its uuid, not a pudding-style 'i-…' id");
  return answer;
}

export interface InstancesApi {
  create(request: CreateInstanceRequest, options?: CreateInstanceOptions): Promise<Instance>;
  /** The instance, by its uuid; a terminated one is returned too (the API answers it with 410 Gone). */
  get(id: string, options?: RequestOptions): Promise<Instance>;
  /** One page; pass `next_cursor` back as `cursor` for the next. Terminated instances only with `state: 'terminated'`. */
  list(filters?: InstanceFilters, options?: RequestOptions): Promise<InstanceList>;
  /** Every page in turn, starting at `filters.cursor`. */
  pages(filters?: InstanceFilters, options?: RequestOptions): AsyncGenerator<InstanceList, void, undefined>;
  /** Every instance across pages. */
  all(filters?: InstanceFilters, options?: RequestOptions): AsyncGenerator<Instance, void, undefined>;
  /** Starts termination of the instance with this uuid; answers the instance (state `terminating`, or `terminated` if it already was). */
  delete(id: string, options?: RequestOptions): Promise<Instance>;
  /**
   * The instance's console output as raw text (boot agent lines, init script stdout and stderr; the last
   * 1 MiB), like EC2's GetConsoleOutput. Throws UnprocessableEntityError (422) when its provider keeps none.
   */
  console(id: string, options?: RequestOptions): Promise<string>;
  /** The console's new output as it comes; ends once the instance is terminated or errored. */
  followConsole(id: string, options?: FollowConsoleOptions): AsyncGenerator<string, Instance, undefined>;
  /** Polls until the instance is in `state` (or one of the states); throws InstanceWaitError when it never will be. */
  waitFor(id: string, state: InstanceState | InstanceState[], options?: WaitForInstanceOptions): Promise<Instance>;
}

export function createInstancesApi({ http, call }: ApiContext): InstancesApi {
  const api: InstancesApi = {
    create: (request, options = {}) => {
      const { idempotencyKey = crypto.randomUUID(), ...requestOptions } = options;
      return expectSuccess(
        http.POST('/instances', {
          body: request,
          params: { header: { 'Idempotency-Key': idempotencyKey } },
          ...call(requestOptions),
        }),
      );
    },

    async get(id, options) {
      const { data, error, response } = await http.GET('/instances/{id}', {
        params: { path: { id } },
        ...call(options),
      });
      // cloud-brain answers a terminated instance with 410 and the instance itself as the body.
      if (response.status === 410) return error as Instance;
      if (!response.ok || data === undefined) throw OvercastApiError.fromResponse(response, error);
      return instanceOf(data);
    },

    list: (filters = {}, options) =>
      expectSuccess(http.GET('/instances', { params: { query: filters }, ...call(options) })),

    async *pages(filters = {}, options) {
      let cursor = filters.cursor;
      do {
        const page = await api.list({ ...filters, ...(cursor === undefined ? {} : { cursor }) }, options);
        yield page;
        cursor = page.next_cursor ?? undefined;
      } while (cursor !== undefined);
    },

    async *all(filters = {}, options) {
      for await (const page of api.pages(filters, options)) yield* page.instances;
    },

    delete: async (id, options) =>
      instanceOf(await expectSuccess(http.DELETE('/instances/{id}', { params: { path: { id } }, ...call(options) }))),

    async console(id, options) {
      const text = await expectSuccess(
        http.GET('/instances/{id}/console', { params: { path: { id } }, parseAs: 'text', ...call(options) }),
      );
      // openapi-fetch answers an empty body (Content-Length: 0) as undefined: an empty console is ''.
      return text ?? '';
    },

    followConsole: (id, options = {}) => {
      const perCall = options.signal ? { signal: options.signal } : {};
      return followConsole(
        () => api.get(id, perCall),
        () => api.console(id, perCall),
        options,
      );
    },

    waitFor: (id, state, options = {}) =>
      waitForInstance(() => api.get(id, options.signal ? { signal: options.signal } : {}), state, options),
  };
  return api;
}
