import type { ApiContext } from './http.ts';
import { expectSuccess } from './http.ts';
import type { RequestOptions } from './transport/send-with-retries.ts';
import type { components } from './generated/openapi.ts';

type Schemas = components['schemas'];
export type CloudAccount = Schemas['CloudAccount'];
export type TrackedInstance = Schemas['TrackedInstance'];
export type PowerEvent = Schemas['PowerEvent'];
export type MachineImage = Schemas['MachineImage'];
export type ActivityLogIngestion = Schemas['ActivityLogIngestion'];
export type DailyUsageReport = Schemas['DailyUsageReport'];
export type AccountOverview = Schemas['AccountOverview'];
export type ImageOverview = Schemas['ImageOverview'];

/** cloudigrade's limit/offset page. */
export interface UsagePage<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface UsagePageOptions {
  limit?: number;
  offset?: number;
}

/** A report's window ([start, end), ISO 8601) and filters. */
export interface ReportWindow {
  start: string;
  end: string;
  /** Words; accounts whose name contains any of them. */
  namePattern?: string;
  accountId?: number;
}

export interface CreateAccountOptions {
  /** `AwsAccount` needs `accountArn`; `LocalAccount` (the default) needs no cloud. */
  type?: 'AwsAccount' | 'LocalAccount';
  accountArn?: string;
  name?: string;
}

/** Cloud accounts, their instances, events and images, and usage reports (cloudigrade's v1 API). */
export interface UsageApi {
  createAccount(options: CreateAccountOptions, requestOptions?: RequestOptions): Promise<CloudAccount>;
  listAccounts(page?: UsagePageOptions, options?: RequestOptions): Promise<UsagePage<CloudAccount>>;
  getAccount(id: number, options?: RequestOptions): Promise<CloudAccount>;
  renameAccount(id: number, name: string | null, options?: RequestOptions): Promise<CloudAccount>;
  /** A CloudTrail file (gzip or plain JSON); sending it again adds nothing. */
  uploadActivityLog(accountId: number, file: Uint8Array, options?: RequestOptions): Promise<ActivityLogIngestion>;
  listInstances(page?: UsagePageOptions, options?: RequestOptions): Promise<UsagePage<TrackedInstance>>;
  listEvents(
    page?: UsagePageOptions & { instanceId?: number },
    options?: RequestOptions,
  ): Promise<UsagePage<PowerEvent>>;
  listImages(page?: UsagePageOptions, options?: RequestOptions): Promise<UsagePage<MachineImage>>;
  getImage(id: number, options?: RequestOptions): Promise<MachineImage>;
  /** Flips what inspection found: `rhel = rhel_detected XOR rhel_challenged`, the same for OpenShift. */
  challengeImage(
    id: number,
    challenge: { rhel?: boolean; openshift?: boolean },
    options?: RequestOptions,
  ): Promise<MachineImage>;
  dailyUsage(window: ReportWindow, options?: RequestOptions): Promise<DailyUsageReport>;
  accountsOverview(window: ReportWindow, options?: RequestOptions): Promise<AccountOverview[]>;
  imagesOverview(window: ReportWindow & { accountId: number }, options?: RequestOptions): Promise<ImageOverview[]>;
}

const reportQuery = ({ start, end, namePattern, accountId }: ReportWindow) => ({
  start,
  end,
  ...(namePattern === undefined ? {} : { name_pattern: namePattern }),
  ...(accountId === undefined ? {} : { account_id: accountId }),
});

export function createUsageApi({ http, call }: ApiContext): UsageApi {
  const byId = (id: number) => ({ path: { id: String(id) } });
  return {
    createAccount: ({ type = 'LocalAccount', accountArn, name }, options) =>
      expectSuccess(
        http.POST('/api/v1/account/', {
          body: { resourcetype: type, ...(accountArn ? { account_arn: accountArn } : {}), ...(name ? { name } : {}) },
          ...call(options),
        }),
      ),
    listAccounts: async (page = {}, options) =>
      (await expectSuccess(
        http.GET('/api/v1/account/', { params: { query: page }, ...call(options) }),
      )) as UsagePage<CloudAccount>,
    getAccount: (id, options) =>
      expectSuccess(http.GET('/api/v1/account/{id}/', { params: byId(id), ...call(options) })),
    renameAccount: (id, name, options) =>
      expectSuccess(http.PATCH('/api/v1/account/{id}/', { params: byId(id), body: { name }, ...call(options) })),
    uploadActivityLog: (accountId, file, options) =>
      expectSuccess(
        http.POST('/api/v1/account/{id}/activity-logs', {
          params: byId(accountId),
          body: file as never,
          bodySerializer: (body: unknown) => body as never,
          headers: { 'content-type': 'application/octet-stream' },
          ...call(options),
        }),
      ),
    listInstances: async (page = {}, options) =>
      (await expectSuccess(
        http.GET('/api/v1/instance/', { params: { query: page }, ...call(options) }),
      )) as UsagePage<TrackedInstance>,
    listEvents: async ({ instanceId, ...page } = {}, options) =>
      (await expectSuccess(
        http.GET('/api/v1/event/', {
          params: { query: { ...page, ...(instanceId === undefined ? {} : { instance_id: instanceId }) } },
          ...call(options),
        }),
      )) as UsagePage<PowerEvent>,
    listImages: async (page = {}, options) =>
      (await expectSuccess(
        http.GET('/api/v1/image/', { params: { query: page }, ...call(options) }),
      )) as UsagePage<MachineImage>,
    getImage: (id, options) => expectSuccess(http.GET('/api/v1/image/{id}/', { params: byId(id), ...call(options) })),
    challengeImage: (id, { rhel, openshift }, options) =>
      expectSuccess(
        http.PATCH('/api/v1/image/{id}/', {
          params: byId(id),
          body: {
            ...(rhel === undefined ? {} : { rhel_challenged: rhel }),
            ...(openshift === undefined ? {} : { openshift_challenged: openshift }),
          },
          ...call(options),
        }),
      ),
    dailyUsage: (window, options) =>
      expectSuccess(
        http.GET('/api/v1/report/instances/', { params: { query: reportQuery(window) }, ...call(options) }),
      ),
    accountsOverview: async (window, options) =>
      (
        await expectSuccess(
          http.GET('/api/v1/report/accounts/', { params: { query: reportQuery(window) }, ...call(options) }),
        )
      ).cloud_account_overviews,
    imagesOverview: async (window, options) =>
      (
        await expectSuccess(
          http.GET('/api/v1/report/images/', {
            params: { query: { ...reportQuery(window), account_id: window.accountId } },
            ...call(options),
          }),
        )
      ).images,
  };
}
