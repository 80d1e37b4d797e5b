import { OvercastApiError } from './errors';
import type { OvercastHttpClient } from './http';
import { expectSuccess } from './http';
import type { InstanceBuild, InstanceBuildInput } from './types';

export interface BuildProgress {
  /** `finished` records the instance and sends the notification; anything else is a no-op. */
  state: string;
  instanceId?: string;
  slackChannel?: string;
}

export interface BuildsApi {
  create(input: InstanceBuildInput, options?: { slackChannel?: string }): Promise<InstanceBuild>;
  get(id: string): Promise<InstanceBuild>;
  /** Pudding's PATCH; resolves `true` when the server acted on it (`{"sure":"why not"}`). */
  reportProgress(id: string, progress: BuildProgress): Promise<boolean>;
  /** The build's cloud-init script, as the booting instance fetches it. */
  getInitScript(buildId: string): Promise<string>;
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

export function createBuildsApi(http: OvercastHttpClient): BuildsApi {
  return {
    async create(input, options = {}) {
      const pending = http.POST('/instance-builds', {
        body: { instance_builds: input },
        params: { query: options.slackChannel === undefined ? {} : { 'slack-channel': options.slackChannel } },
      });
      const list = await expectSuccess(pending);
      return onlyBuild(list, (await pending).response);
    },

    async get(id) {
      const pending = http.GET('/instance-builds/{id}', { params: { path: { id } } });
      const list = await expectSuccess(pending);
      return onlyBuild(list, (await pending).response);
    },

    async reportProgress(id, progress) {
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
        }),
      );
      return 'sure' in ack;
    },

    getInitScript: (buildId) =>
      expectSuccess(http.GET('/init-scripts/{build_id}', { params: { path: { build_id: buildId } }, parseAs: 'text' })),
  };
}
