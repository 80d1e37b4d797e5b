import type { AppsApi, DistrictsApi } from './apps.ts';
import { createAppsApi, createDistrictsApi } from './apps.ts';
import type { AutoscalingGroupsApi } from './autoscaling-groups.ts';
import { createAutoscalingGroupsApi } from './autoscaling-groups.ts';
import type { BuildsApi } from './builds.ts';
import { createBuildsApi } from './builds.ts';
import type { OvercastClientOptions, OvercastHttpClient } from './http.ts';
import { createApiContext, expectSuccess } from './http.ts';
import type { DatacentersApi, RegistryApi } from './datacenters.ts';
import { createDatacentersApi, createRegistryApi } from './datacenters.ts';
import type { DeploymentsApi } from './deployments.ts';
import { createDeploymentsApi } from './deployments.ts';
import type { ImagesApi } from './images.ts';
import { createImagesApi } from './images.ts';
import type { InstancesApi } from './instances.ts';
import { createInstancesApi } from './instances.ts';
import type { TokensApi } from './tokens.ts';
import type { UsageApi } from './usage.ts';
import { createUsageApi } from './usage.ts';
import { createTokensApi } from './tokens.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { LoginResult, PlatformStatus, Quota } from './types.ts';

export interface OvercastClient {
  instances: InstancesApi;
  builds: BuildsApi;
  /** Pudding's autoscaling groups, made from a running instance (aws). */
  autoscalingGroups: AutoscalingGroupsApi;
  images: ImagesApi;
  tokens: TokensApi;
  /** Cloud accounts, tracked instances, machine images and usage reports (cloudigrade's v1 API). */
  usage: UsageApi;
  /** Registry accounts (Photon's AccountCreate). */
  registry: RegistryApi;
  datacenters: DatacentersApi;
  /** Deployments from an overcast.yml: placement, status, updates with a plan, events. */
  deployments: DeploymentsApi;
  /** Barcelona's districts: the clusters apps run on. */
  districts: DistrictsApi;
  /** Barcelona's apps: services, env vars, scale, one-offs, releases and rollback, deploy events and drift. */
  apps: AppsApi;
  /** Exchanges a GitHub token for a new Overcast token (needs no Overcast token). */
  login(githubToken: string, options?: RequestOptions): Promise<LoginResult>;
  status(options?: RequestOptions): Promise<PlatformStatus>;
  /** The tenant's quotas (`instances`, `districts`, `apps`): each limit and how much of it is in use. */
  quotas(options?: RequestOptions): Promise<Quota[]>;
  /** The version of the API the server speaks (`info.version` of its `/openapi.json`; needs no token). */
  apiVersion(options?: RequestOptions): Promise<string>;
  /** Every route of the spec, typed, for what the wrappers above do not cover (with the same retries). */
  http: OvercastHttpClient;
}

export function createClient(options: OvercastClientOptions): OvercastClient {
  const context = createApiContext(options);
  const { http, call } = context;
  return {
    instances: createInstancesApi(context),
    builds: createBuildsApi(context),
    autoscalingGroups: createAutoscalingGroupsApi(context),
    images: createImagesApi(context),
    tokens: createTokensApi(context),
    usage: createUsageApi(context),
    registry: createRegistryApi(context),
    datacenters: createDatacentersApi(context),
    deployments: createDeploymentsApi(context),
    districts: createDistrictsApi(context),
    apps: createAppsApi(context),
    login: (githubToken, requestOptions) =>
      expectSuccess(
        http.POST('/login', { params: { header: { 'X-GitHub-Token': githubToken } }, ...call(requestOptions) }),
      ),
    status: (requestOptions) => expectSuccess(http.GET('/status', { ...call(requestOptions) })),
    quotas: async (requestOptions) => (await expectSuccess(http.GET('/quotas', { ...call(requestOptions) }))).quotas,
    async apiVersion(requestOptions) {
      const document = await expectSuccess(http.GET('/openapi.json', { ...call(requestOptions) }));
      const info = document.info;
      const version = typeof info === 'object' && info !== null && 'version' in info ? info.version : undefined;
      return typeof version === 'string' ? version : 'unknown';
    },
    http,
  };
}
