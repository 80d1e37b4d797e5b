import { NotFoundError } from './errors/api-errors.ts';
import { deploymentFileBody } from './deployment-file.ts';
import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type {
  Deployment,
  DeploymentEvent,
  DeploymentSummary,
  DeploymentUpdate,
  DeploymentVerdict,
  NotifyDeploymentRequest,
  NotifyDeploymentResult,
} from './types.ts';
import { readDeploymentEvents } from './waiting/read-deployment-events.ts';

export interface FollowEventsOptions {
  /** Only events after this seq (what a stream last yielded); default: from the deployment's start. */
  after?: number;
  /** Keep following new events (default), reconnecting after the last one seen; false ends after those so far. */
  follow?: boolean;
  signal?: AbortSignal;
  /** Wait before reconnecting a dropped stream (1000 ms). */
  reconnectDelayMs?: number;
}

export interface DeploymentsApi {
  /** Every problem of the file at once, each with its path and line: the same verdict as the offline CLI. */
  validate(file: string, options?: RequestOptions): Promise<DeploymentVerdict>;
  /** Photon's `create`: validated, placed and started; a file with problems throws ValidationError listing them. */
  create(file: string, options?: RequestOptions): Promise<Deployment>;
  list(options?: RequestOptions): Promise<DeploymentSummary[]>;
  /** Per service and datacenter entry: desired and running nodes and their endpoints. */
  get(id: string, options?: RequestOptions): Promise<Deployment>;
  /** The plan (nodes to add, move and remove); applied unless `dryRun`. */
  update(id: string, file: string, options?: RequestOptions & { dryRun?: boolean }): Promise<DeploymentUpdate>;
  delete(id: string, options?: RequestOptions): Promise<void>;
  /** Photon's `notify`: sends `event` (default deploy.complete) to the named notification, or to all that listen. */
  notify(id: string, request?: NotifyDeploymentRequest, options?: RequestOptions): Promise<NotifyDeploymentResult>;
  /** The deployment's events as they come: from its start (or after `after`), resuming after a dropped stream. */
  events(id: string, options?: FollowEventsOptions): AsyncGenerator<DeploymentEvent, void, undefined>;
}

// An event stream stays open as long as its reader wants it: no per-attempt deadline (the largest timer Node has).
const streamTimeoutMs = 2_147_483_647;

export function createDeploymentsApi({ http, call }: ApiContext): DeploymentsApi {
  async function openStream(id: string, after: number, follow: boolean, signal: AbortSignal | undefined) {
    return expectSuccess(
      http.GET('/deployments/{id}/events', {
        params: { path: { id }, query: { follow }, header: after > 0 ? { 'Last-Event-ID': after } : {} },
        parseAs: 'stream',
        ...call({ timeout: streamTimeoutMs, ...(signal ? { signal } : {}) }),
      }),
    );
  }

  return {
    validate: (file, options) =>
      expectSuccess(http.POST('/deployments/validate', { ...deploymentFileBody(file), ...call(options) })),
    create: (file, options) =>
      expectSuccess(http.POST('/deployments', { ...deploymentFileBody(file), ...call(options) })),
    list: async (options) => (await expectSuccess(http.GET('/deployments', { ...call(options) }))).deployments,
    get: (id, options) => expectSuccess(http.GET('/deployments/{id}', { params: { path: { id } }, ...call(options) })),
    update: (id, file, options = {}) => {
      const { dryRun = false, ...requestOptions } = options;
      return expectSuccess(
        http.PUT('/deployments/{id}', {
          params: { path: { id }, query: { dry_run: dryRun } },
          ...deploymentFileBody(file),
          ...call(requestOptions),
        }),
      );
    },
    delete: async (id, options) => {
      await expectSuccess(http.DELETE('/deployments/{id}', { params: { path: { id } }, ...call(options) }));
    },
    notify: (id, request = {}, options) =>
      expectSuccess(
        http.POST('/deployments/{id}/notify', { params: { path: { id } }, body: request, ...call(options) }),
      ),

    async *events(id, options = {}) {
      const follow = options.follow ?? true;
      let after = options.after ?? 0;
      let connected = false;
      for (;;) {
        let body: ReadableStream<Uint8Array> | null;
        try {
          body = await openStream(id, after, follow, options.signal);
        } catch (error) {
          // Deleted while followed: the stream is over, as the server ends it.
          if (connected && error instanceof NotFoundError) return;
          throw error;
        }
        connected = true;
        if (body) {
          for await (const event of readDeploymentEvents(body, options.signal)) {
            after = event.seq;
            yield event;
          }
        }
        if (!follow || options.signal?.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, options.reconnectDelayMs ?? 1000));
      }
    },
  };
}
