import { OvercastApiError } from './errors/api-errors.ts';
import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { InstanceBuild, InstanceBuildInput, InstanceBuildState } from './types.ts';
import type { WaitForBuildOptions } from './waiting/wait-for-build.ts';
import { waitForBuild } from './waiting/wait-for-build.ts';

export interface BuildProgress {
  /** `finished` records the instance and sends the notification; anything else is a no-op. */
  state: string;
  instanceId?: string;
  slackChannel?: string;
}

export interface CreateBuildOptions extends RequestOptions {
  slackChannel?: string;
}

export interface BuildsApi {
  /**
   * Boots one instance with the build's init script (`count` is the VM concurrency the script is given, not a
   * number of instances; `boot_instance: false` only renders and stores the script). Not retried after a 503 or a
   * broken connection: the API takes no Idempotency-Key for builds yet, so a second attempt could start a second build.
   */
  create(input: InstanceBuildInput, options?: CreateBuildOptions): Promise<InstanceBuild>;
  get(id: string, options?: RequestOptions): Promise<InstanceBuild>;
  /** Pudding's PATCH; resolves `true` when the server acted on it (`{"sure":"why not"}`). */
  reportProgress(id: string, progress: BuildProgress, options?: RequestOptions): Promise<boolean>;
  /** The build's cloud-init script, as the booting instance fetches it. */
  getInitScript(buildId: string, options?: RequestOptions): Promise<string>;
  /** Polls until the build is in `state` (or one of them); throws BuildWaitError when it never will be. */
  waitFor(
    id: string,
    state: InstanceBuildState | InstanceBuildState[],
    options?: WaitForBuildOptions,
  ): Promise<InstanceBuild>;
}

/** Pudding answers builds as a one-element `instance_builds` list; callers want the build. */
function onlyBuild(list: { instance_builds: InstanceBuild[] }, response: Response): InstanceBuild {
  const [build] = list.instance_builds;
  if (build === undefined) {
    throw new OvercastApiError({
      status: response.status,
      code: 'internal',
      message: 'the server answered no instance build',
    });
  }
  return build;
}

export function createBuildsApi({ http, call }: ApiContext): BuildsApi {
  const api: BuildsApi = {
    async create(input, options = {}) {
      const { slackChannel, ...requestOptions } = options;
      const pending = http.POST('/instance-builds', {
        body: { instance_builds: input },
        params: { query: slackChannel === undefined ? {} : { 'slack-channel': slackChannel } },
        ...call(requestOptions),
      });
      const list = await expectSuccess(pending);
      return onlyBuild(list, (await pending).response);
    },

    async get(id, options) {
      const pending = http.GET('/instance-builds/{id}', { params: { path: { id } }, ...call(options) });
      const list = await expectSuccess(pending);
      return onlyBuild(list, (await pending).response);
    },

    async reportProgress(id, progress, options) {
      const form = {
        state: progress.state,
        ...(progress.instanceId === undefined ? {} : { 'instance-id': progress.instanceId }),
        ...(progress.slackChannel === undefined ? {} : { 'slack-channel': progress.slackChannel }),
      };
      const ack = await expectSuccess(
        http.PATCH('/instance-builds/{id}', {
          params: { path: { id } },
          body: form,
          bodySerializer: (body) => new URLSearchParams(body as Record<string, string>).toString(),
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          ...call(options),
        }),
      );
      return 'sure' in ack;
    },

    getInitScript: (buildId, options) =>
      expectSuccess(
        http.GET('/init-scripts/{build_id}', {
          params: { path: { build_id: buildId } },
          parseAs: 'text',
          ...call(options),
        }),
      ),

    waitFor: (id, state, options = {}) =>
      waitForBuild(() => api.get(id, options.signal ? { signal: options.signal } : {}), state, options),
  };
  return api;
}
