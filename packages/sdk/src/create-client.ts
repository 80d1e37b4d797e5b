import type { BuildsApi } from './builds';
import { createBuildsApi } from './builds';
import type { OvercastClientOptions, OvercastHttpClient } from './http';
import { createHttpClient, expectSuccess } from './http';
import type { ImagesApi } from './images';
import { createImagesApi } from './images';
import type { InstancesApi } from './instances';
import { createInstancesApi } from './instances';
import type { TokensApi } from './tokens';
import { createTokensApi } from './tokens';
import type { LoginResult, PlatformStatus, Quota } from './types';

export interface OvercastClient {
  instances: InstancesApi;
  builds: BuildsApi;
  images: ImagesApi;
  tokens: TokensApi;
  /** Exchanges a GitHub token for a new Overcast token (needs no Overcast token). */
  login(githubToken: string): Promise<LoginResult>;
  status(): Promise<PlatformStatus>;
  /** The tenant's quotas (today `instances`): each limit and how much of it is in use. */
  quotas(): Promise<Quota[]>;
  /** Every route of the spec, typed, for what the wrappers above do not cover. */
  http: OvercastHttpClient;
}

export function createClient(options: OvercastClientOptions): OvercastClient {
  const http = createHttpClient(options);
  return {
    instances: createInstancesApi(http),
    builds: createBuildsApi(http),
    images: createImagesApi(http),
    tokens: createTokensApi(http),
    login: (githubToken) =>
      expectSuccess(http.POST('/login', { params: { header: { 'X-GitHub-Token': githubToken } } })),
    status: () => expectSuccess(http.GET('/status')),
    quotas: async () => (await expectSuccess(http.GET('/quotas'))).quotas,
    http,
  };
}
