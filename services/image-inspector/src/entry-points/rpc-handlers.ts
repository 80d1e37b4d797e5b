import { AppError, type imageInspectorRpcs, type ServiceStatus } from '@overcast/contracts';
import type { RpcHandlers } from '@overcast/messaging';
import { findUnstorableText } from '@overcast/service-kit';
import type { AccountUseCases } from '../domain/account-use-cases';
import type { ImageUseCases } from '../domain/image-use-cases';
import type { ImageInspectionUploads } from '../domain/inspection/inspect-uploaded-image';
import type { IngestActivityLog } from '../domain/ingest-activity-log';
import type { ReportUseCases } from '../domain/report-use-cases';
import type { UsageStore } from '../domain/ports';

/** Text Postgres cannot store (a NUL) is refused naming its field, never a 500 from the statement. */
function storable<T>(request: T): T {
  const details = findUnstorableText(request, 'request');
  if (details.length > 0)
    throw new AppError('bad_request', 'The request holds text that cannot be stored.', { details });
  return request;
}

async function* bytesOf(base64: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(base64, 'base64');
}

export interface ImageInspectorUseCases {
  accounts: AccountUseCases;
  images: ImageUseCases;
  uploads: ImageInspectionUploads;
  reports: ReportUseCases;
  ingestActivityLog: IngestActivityLog;
  store: UsageStore;
  awsAccountId: string | null;
}

/** Thin: the bus validated each request against its schema; each handler calls one use case. */
export function createRpcHandlers(
  useCases: ImageInspectorUseCases,
  status: () => Promise<ServiceStatus>,
): RpcHandlers<typeof imageInspectorRpcs> {
  const { accounts, images, reports, store } = useCases;
  const orNotFound = <T>(value: T | null): T => {
    if (value === null) throw new AppError('not_found', 'Not found.');
    return value;
  };
  return {
    'usage.account.create': (request) => accounts.createAccount(storable(request)),
    'usage.account.list': (request) => accounts.listAccounts(request),
    'usage.account.get': (request) => accounts.getAccount(request),
    'usage.account.rename': (request) => accounts.renameAccount(storable(request)),
    'usage.instance.list': ({ tenantId, ...page }) => store.listInstances(tenantId, page),
    'usage.instance.get': async ({ tenantId, id }) => orNotFound(await store.findInstance(tenantId, id)),
    'usage.event.list': ({ tenantId, ...page }) => store.listEvents(tenantId, page),
    'usage.event.get': async ({ tenantId, id }) => orNotFound(await store.findEvent(tenantId, id)),
    'usage.image.list': (request) => images.listImages(request),
    'usage.image.get': (request) => images.getImage(request),
    'usage.image.challenge': (request) => images.challengeImage(request),
    'usage.image.inspection.open': (request) => useCases.uploads.openUpload(request),
    'usage.activity-log.ingest': ({ tenantId, accountId, contentBase64 }) =>
      useCases.ingestActivityLog({ tenantId, accountId, file: bytesOf(contentBase64) }),
    'usage.report.daily': (request) => reports.dailyUsage(storable(request)),
    'usage.report.accounts': (request) => reports.accountOverviews(storable(request)),
    'usage.report.images': (request) => reports.imageOverviews(storable(request)),
    'usage.sysconfig': async () => ({ awsAccountId: useCases.awsAccountId }),
    'image-inspector.status': () => status(),
  };
}
