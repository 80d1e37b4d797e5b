import { createHash, randomBytes } from 'node:crypto';
import { finished, Transform, type Readable } from 'node:stream';
import { AppError, type MachineImage } from '@overcast/contracts';
import { inspectDiskImage } from '@overcast/disk-inspector';
import type { Clock } from '../ports';
import { metadataOf, outcomeOf } from './inspection-outcome';
import type { InspectionStore } from './inspection-ports';

/** A ticket is used at once by the gateway that asked for it; a minute covers a slow bus, not a stored link. */
const ticketLifetimeMs = 60_000;

const hashOf = (token: string): string => createHash('sha256').update(token).digest('hex');

export interface ImageInspectionUploads {
  /** A single-use ticket to stream a disk image for the tenant's image (not_found for another tenant's). */
  openUpload(request: {
    tenantId: string;
    id: number;
  }): Promise<{ uploadUrl: string; token: string; maxBytes: number }>;
  /** Reads the streamed image and records what it holds on the image; nothing is recorded if the upload fails. */
  inspectUpload(upload: { token: string; body: Readable; declaredBytes: number | null }): Promise<MachineImage>;
}

/**
 * POST /api/v1/image/{id}/inspection: a raw or qcow2 disk image or a rootfs tar (gzip or not) read by the disk
 * inspector as it streams in, its verdicts and their provenance kept on the image (inspected, or error with the
 * reasons when nothing in it is a filesystem it reads). Too large or cut short, it is refused and the image keeps
 * what it had: a failed upload is the client's to retry.
 */
export function createImageInspectionUploads(deps: {
  store: InspectionStore;
  clock: Clock;
  maxBytes: number;
  /** The endpoint's URL; null when this image inspector serves no uploads. */
  uploadUrl: () => string | null;
}): ImageInspectionUploads {
  const { store, clock, maxBytes } = deps;
  const tooLarge = () =>
    new AppError('payload_too_large', `The disk image is larger than ${maxBytes} bytes.`, {
      details: [{ path: 'body', message: `must be at most ${maxBytes} bytes (INSPECTION_UPLOAD_MAX_BYTES)` }],
    });

  return {
    async openUpload({ tenantId, id }) {
      const uploadUrl = deps.uploadUrl();
      if (uploadUrl === null) throw new AppError('unavailable', 'This image inspector serves no disk image uploads.');
      const token = randomBytes(32).toString('base64url');
      const expiresAt = new Date(clock.now().getTime() + ticketLifetimeMs);
      const created = await store.createUploadTicket({ tenantId, imageId: id, tokenHash: hashOf(token), expiresAt });
      if (!created) throw new AppError('not_found', 'Not found.');
      return { uploadUrl, token, maxBytes };
    },

    async inspectUpload({ token, body, declaredBytes }) {
      const ticket = await store.takeUploadTicket(hashOf(token), clock.now());
      if (!ticket) throw new AppError('unauthenticated', 'The upload ticket is unknown, used or expired.');
      if (declaredBytes !== null && declaredBytes > maxBytes) throw tooLarge();
      const image = await store.findImageToInspect(ticket.tenantId, ticket.imageId);
      if (!image) throw new AppError('not_found', 'Not found.');

      const counted = countBytes(body, maxBytes);
      const result = await inspectDiskImage({ kind: 'upload', stream: counted.stream, maxBytes }, metadataOf(image));
      if (counted.exceeded()) throw tooLarge();
      if (counted.failed())
        throw new AppError('bad_request', 'The upload ended before the disk image was whole.', {
          details: [{ path: 'body', message: 'the upload was cut short' }],
        });
      const recorded = await store.recordInspection(image.tenantId, image.id, outcomeOf(result, 'upload', clock.now()));
      if (!recorded) throw new AppError('not_found', 'Not found.');
      if (result.status === 'error') {
        throw new AppError('unprocessable', 'Nothing in the upload could be read as a disk image or root filesystem.', {
          details: result.errors.map((message) => ({ path: 'body', message })),
        });
      }
      return recorded;
    },
  };
}

/** The body as sent, refused past maxBytes; whether it was too large or broke off is told apart from unreadable. */
function countBytes(body: Readable, maxBytes: number) {
  let bytes = 0;
  let exceeded = false;
  let failed = false;
  const stream = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      if (bytes > maxBytes) {
        exceeded = true;
        done(new Error(`the upload is larger than ${maxBytes} bytes`));
        return;
      }
      done(null, chunk);
    },
  });
  // Piped, not pipelined: a pipeline would destroy the request when the count stops it, and a destroyed request
  // leaves its connection unread, so the answer could not close it lingering (closeIfBodyUnread). Piping stops at
  // the count's error and leaves the rest of the body to the answer.
  body.pipe(stream);
  finished(body, (error) => {
    if (!error) return;
    // Set as the body fails, before the error reaches the inspector.
    if (!exceeded) failed = true;
    stream.destroy(error);
  });
  return { stream, exceeded: () => exceeded, failed: () => failed };
}
