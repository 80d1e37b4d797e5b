import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { AppError } from '@overcast/contracts';
import { closeIfBodyUnread, correlation, httpStatusOf, requestIdFor, toAppError } from '@overcast/service-kit';
import type { ImageInspectionUploads } from '../domain/inspection/inspect-uploaded-image';
import type { ImageInspectorLogger } from '../service';

/** Where the gateway streams a disk image, with the single-use ticket `usage.image.inspection.open` answered. */
export const inspectionUploadPath = '/internal/v1/image-inspections';

/**
 * An answer before the body was read whole (a refused ticket, a disk over the limit, a Windows image) closes the
 * connection lingering, so the gateway still streaming the body reads the answer instead of a reset.
 */
function send(req: IncomingMessage, res: ServerResponse, status: number, body: unknown): void {
  closeIfBodyUnread(req, res);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

function declaredBytesOf(req: IncomingMessage): number | null {
  const length = req.headers['content-length'];
  return length !== undefined && /^\d+$/.test(length) ? Number(length) : null;
}

/**
 * The upload endpoint: one route, the ticket its only credential (it names the tenant and the image), the answer
 * the image as recorded or the one error envelope. Its body goes straight into the disk inspector, unbuffered.
 */
export function createInspectionUploadEndpoint(deps: {
  uploads: ImageInspectionUploads;
  logger: ImageInspectorLogger;
}): RequestListener {
  const { uploads, logger } = deps;
  const handle = async (req: IncomingMessage, res: ServerResponse, requestId: string): Promise<void> => {
    try {
      if (new URL(req.url ?? '/', 'http://upload').pathname !== inspectionUploadPath)
        throw new AppError('not_found', 'Not found.');
      if (req.method !== 'POST')
        throw new AppError('method_not_allowed', `${req.method} is not allowed; allowed: POST`);
      const token = /^Bearer (\S+)$/.exec(req.headers.authorization ?? '')?.[1];
      if (!token) throw new AppError('unauthenticated', 'An upload ticket is required (Authorization: Bearer).');
      const image = await uploads.inspectUpload({ token, body: req, declaredBytes: declaredBytesOf(req) });
      send(req, res, 200, image);
    } catch (thrown) {
      const error = toAppError(thrown);
      const internal = error.code === 'internal';
      if (internal) logger.error({ err: thrown, requestId }, 'an inspection upload failed unexpectedly');
      else logger.info({ requestId, code: error.code, reason: error.message }, 'an inspection upload was refused');
      send(req, res, httpStatusOf(error.code), {
        error: {
          code: error.code,
          message: internal ? 'internal error' : error.message,
          details: internal ? [] : error.details,
          request_id: requestId,
        },
      });
    }
  };
  return (req, res) => {
    const requestId = requestIdFor(req.headers['x-request-id']);
    void correlation.run({ correlationId: requestId }, () => handle(req, res, requestId));
  };
}
