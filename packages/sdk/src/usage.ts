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

export interface InspectImageOptions extends RequestOptions {
  /** Called as the disk is sent: bytes so far, of the whole. */
  onProgress?: (sentBytes: number, totalBytes: number) => void;
}

/** An upload and its inspection may take long: an hour per attempt unless the caller says otherwise. */
const inspectionTimeoutMs = 60 * 60 * 1000;

/** The disk as a stream that reports each chunk as it leaves. */
function countedStream(disk: Blob | Uint8Array, onProgress?: InspectImageOptions['onProgress']) {
  const blob = disk instanceof Blob ? disk : new Blob([disk as Uint8Array<ArrayBuffer>]);
  let sent = 0;
  return blob.stream().pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        sent += chunk.length;
        onProgress?.(sent, blob.size);
        controller.enqueue(chunk);
      },
    }),
  );
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
  /**
   * Streams the image's disk (raw or qcow2, a bare filesystem, or a rootfs tar, gzip or not) to be read by the image
   * inspector, and answers the image as recorded: its verdicts, and in `inspection` where each check found what.
   * A `Blob` (Node: `fs.openAsBlob(path)`) is streamed from where it lies, never held in memory.
   */
  inspectImage(id: number, disk: Blob | Uint8Array, options?: InspectImageOptions): Promise<MachineImage>;
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
    inspectImage: (id, disk, { onProgress, ...options } = {}) =>
      expectSuccess(
        http.POST('/api/v1/image/{id}/inspection', {
          params: byId(id),
          body: countedStream(disk, onProgress) as never,
          bodySerializer: (body: unknown) => body as never,
          headers: { 'content-type': 'application/octet-stream' },
          // A streamed request body must say so (fetch's rule), and is sent once: it cannot be replayed.
          duplex: 'half',
          ...call({ timeout: inspectionTimeoutMs, ...options, maxRetries: 0 }),
        } as never),
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
