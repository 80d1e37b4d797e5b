import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { AppError, type SerializedAppError } from '@overcast/contracts';
import { correlation } from '@overcast/service-kit';

/** An answer larger than this is no image record: the upload endpoint answers one image or one error. */
const answerLimitBytes = 1024 * 1024;

/**
 * Streams a request's body to a service's upload endpoint (a disk image: gigabytes, which never travel on the bus)
 * with the single-use ticket the service gave over RPC, and answers what the service answered: its JSON on 200,
 * else its AppError. The body is piped, never buffered: the gateway holds a few chunks of it at a time. Once the
 * service has answered (or failed), the rest of the body is no longer sent to it; the client's connection is left to
 * the route (closeAfterEarlyAnswer), never destroyed here: a reset would hide the answer from the client.
 */
export function forwardUpload(req: IncomingMessage, target: { uploadUrl: string; token: string }): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const url = new URL(target.uploadUrl);
    const length = req.headers['content-length'];
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const upstream = send(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${target.token}`,
          'content-type': 'application/octet-stream',
          ...(length === undefined ? {} : { 'content-length': length }),
          ...(correlation.current() ? { 'x-request-id': correlation.current()!.correlationId } : {}),
        },
      },
      (response) => {
        response.once('end', stopForwarding);
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= answerLimitBytes) chunks.push(chunk);
        });
        response.on('error', () => reject(unreachable()));
        response.on('end', () => {
          let answer: unknown;
          try {
            answer = JSON.parse(Buffer.concat(chunks).toString('utf8'));
          } catch {
            reject(new AppError('internal', 'the upload endpoint answered something that is not JSON'));
            return;
          }
          if (response.statusCode === 200) resolve(answer);
          else reject(appErrorOf(answer));
        });
      },
    );
    function stopForwarding() {
      req.unpipe(upstream);
      upstream.destroy();
    }
    upstream.on('error', () => {
      stopForwarding();
      reject(unreachable());
    });
    // A client gone mid-upload: the service's half-read upload is abandoned with it.
    req.once('close', () => {
      if (!req.complete) upstream.destroy();
    });
    req.pipe(upstream);
  });
}

const unreachable = () => new AppError('unavailable', 'The image inspector could not be reached for the upload.');

function appErrorOf(answer: unknown): AppError {
  const error = (answer as { error?: Partial<SerializedAppError> } | null)?.error;
  if (!error?.code || typeof error.message !== 'string')
    return new AppError('internal', 'the upload endpoint answered an error without its envelope');
  return AppError.fromJSON({ code: error.code, message: error.message, details: error.details ?? [] });
}
