import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type {
  App,
  AppCreate,
  AppService,
  AppUpdate,
  DeployEvent,
  District,
  DistrictCreate,
  DistrictUpdate,
  Oneoff,
  Release,
} from './types.ts';
import { waitForDeploy, type WaitForDeployOptions } from './waiting/wait-for-deploy.ts';

export interface DistrictsApi {
  /** Admin only. */
  create(request: DistrictCreate, options?: RequestOptions): Promise<District>;
  list(options?: RequestOptions): Promise<District[]>;
  get(name: string, options?: RequestOptions): Promise<District>;
  /** Admin only. */
  update(name: string, request: DistrictUpdate, options?: RequestOptions): Promise<District>;
  /** Admin only; deletes the district's apps too. */
  delete(name: string, options?: RequestOptions): Promise<void>;
  /** Asks the instance broker for container instances for the district. */
  launchInstances(name: string, count: number, instanceType?: string, options?: RequestOptions): Promise<void>;
}

export interface OneoffRequest {
  command: string;
  image_tag?: string;
  env_vars?: Record<string, string>;
  /** Wait (a few seconds at most) for the task to stop before the answer. */
  sync?: boolean;
}

export interface AppsApi {
  /**
   * Release 1, deployed: follow it with `waitForDeploy`. Throws UnprocessableEntityError (422, `body.image_name`)
   * when a local district's catalog cannot run the image.
   */
  create(district: string, request: AppCreate, options?: RequestOptions): Promise<App>;
  /** Every app, or a district's. */
  list(district?: string, options?: RequestOptions): Promise<App[]>;
  get(name: string, options?: RequestOptions): Promise<App>;
  /** Services matched by name; what the request leaves out is kept. A new release. 422 as `create`'s. */
  update(name: string, request: AppUpdate, options?: RequestOptions): Promise<App>;
  delete(name: string, options?: RequestOptions): Promise<void>;
  setEnv(name: string, envVars: Record<string, string>, options?: RequestOptions): Promise<App>;
  unsetEnv(name: string, keys: string[], options?: RequestOptions): Promise<App>;
  scale(name: string, service: string, scale: number, options?: RequestOptions): Promise<AppService>;
  run(name: string, request: OneoffRequest, options?: RequestOptions): Promise<Oneoff>;
  oneoff(id: string, options?: RequestOptions): Promise<Oneoff>;
  releases(name: string, options?: RequestOptions): Promise<Release[]>;
  release(name: string, version: number, options?: RequestOptions): Promise<Release>;
  /** A new release equal to `version`, deployed; 422 (unprocessable) when its image left a local district's catalog. */
  rollback(name: string, version: number, options?: RequestOptions): Promise<Release>;
  /** Newest first. */
  events(name: string, limit?: number, options?: RequestOptions): Promise<DeployEvent[]>;
  drift(
    name: string,
    options?: RequestOptions,
  ): Promise<{ release: number | null; drift: { path: string; expected?: unknown; actual?: unknown }[] }>;
  /** Polls until the deploy of `release` (default: the newest) is done; DeployWaitError when it failed or never ends. */
  waitForDeploy(name: string, release?: number, options?: WaitForDeployOptions): Promise<App>;
}

export function createDistrictsApi({ http, call }: ApiContext): DistrictsApi {
  const path = (district: string) => ({ params: { path: { district } } });
  return {
    create: async (request, options) =>
      (await expectSuccess(http.POST('/districts', { body: request, ...call(options) }))).district,
    list: async (options) => (await expectSuccess(http.GET('/districts', { ...call(options) }))).districts,
    get: async (name, options) =>
      (await expectSuccess(http.GET('/districts/{district}', { ...path(name), ...call(options) }))).district,
    update: async (name, request, options) =>
      (await expectSuccess(http.PATCH('/districts/{district}', { ...path(name), body: request, ...call(options) })))
        .district,
    delete: async (name, options) => {
      await expectSuccess(http.DELETE('/districts/{district}', { ...path(name), ...call(options) }));
    },
    launchInstances: async (name, count, instanceType, options) => {
      const body = { count, ...(instanceType === undefined ? {} : { instance_type: instanceType }) };
      await expectSuccess(
        http.POST('/districts/{district}/launch_instances', { ...path(name), body, ...call(options) }),
      );
    },
  };
}

export function createAppsApi({ http, call }: ApiContext): AppsApi {
  const path = (app: string) => ({ params: { path: { app } } });
  const get = async (name: string, options?: RequestOptions) =>
    (await expectSuccess(http.GET('/apps/{app}', { ...path(name), ...call(options) }))).app;
  return {
    create: async (district, request, options) =>
      (
        await expectSuccess(
          http.POST('/districts/{district}/apps', { params: { path: { district } }, body: request, ...call(options) }),
        )
      ).app,
    list: async (district, options) =>
      district === undefined
        ? (await expectSuccess(http.GET('/apps', { ...call(options) }))).apps
        : (
            await expectSuccess(
              http.GET('/districts/{district}/apps', { params: { path: { district } }, ...call(options) }),
            )
          ).apps,
    get,
    update: async (name, request, options) =>
      (await expectSuccess(http.PATCH('/apps/{app}', { ...path(name), body: request, ...call(options) }))).app,
    delete: async (name, options) => {
      await expectSuccess(http.DELETE('/apps/{app}', { ...path(name), ...call(options) }));
    },
    setEnv: async (name, envVars, options) =>
      (
        await expectSuccess(
          http.POST('/apps/{app}/env_vars', { ...path(name), body: { env_vars: envVars }, ...call(options) }),
        )
      ).app,
    unsetEnv: async (name, keys, options) =>
      (
        await expectSuccess(
          http.DELETE('/apps/{app}/env_vars', { ...path(name), body: { env_keys: keys }, ...call(options) }),
        )
      ).app,
    scale: async (name, service, scale, options) =>
      (
        await expectSuccess(
          http.POST('/apps/{app}/services/{service}/scale', {
            params: { path: { app: name, service } },
            body: { scale },
            ...call(options),
          }),
        )
      ).service,
    run: async (name, request, options) =>
      (await expectSuccess(http.POST('/apps/{app}/oneoffs', { ...path(name), body: request, ...call(options) })))
        .oneoff,
    oneoff: async (id, options) =>
      (await expectSuccess(http.GET('/oneoffs/{id}', { params: { path: { id } }, ...call(options) }))).oneoff,
    releases: async (name, options) =>
      (await expectSuccess(http.GET('/apps/{app}/releases', { ...path(name), ...call(options) }))).releases,
    release: async (name, version, options) =>
      (
        await expectSuccess(
          http.GET('/apps/{app}/releases/{version}', { params: { path: { app: name, version } }, ...call(options) }),
        )
      ).release,
    rollback: async (name, version, options) =>
      (
        await expectSuccess(
          http.POST('/apps/{app}/releases/{version}/rollback', {
            params: { path: { app: name, version } },
            ...call(options),
          }),
        )
      ).release,
    events: async (name, limit, options) =>
      (
        await expectSuccess(
          http.GET('/apps/{app}/events', {
            params: { path: { app: name }, ...(limit === undefined ? {} : { query: { limit } }) },
            ...call(options),
          }),
        )
      ).events,
    drift: (name, options) => expectSuccess(http.GET('/apps/{app}/drift', { ...path(name), ...call(options) })),
    waitForDeploy: (name, release, options) => waitForDeploy(() => get(name), release, { intervalMs: 500, ...options }),
  };
}
