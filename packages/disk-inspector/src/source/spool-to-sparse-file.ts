import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import { refuse } from '../inspection-error';

/** Zero runs this long or longer are left as holes: a disk image is mostly unwritten space. */
const holeBytes = 64 * 1024;
const zeros = Buffer.alloc(holeBytes);

export interface SpooledFile {
  path: string;
  remove(): Promise<void>;
}

/**
 * A streamed disk image written to a private temporary file (its own 0700 directory, the file 0600) so it can be
 * read at random. All-zero 64 KiB stretches are skipped, so a 10 GiB image with 1 GiB of data takes 1 GiB of disk
 * and a gzip bomb of zeros takes none; past maxBytes or the deadline the upload is refused and the file removed.
 */
export async function spoolToSparseFile(stream: Readable, maxBytes: number, deadline: number): Promise<SpooledFile> {
  const directory = await mkdtemp(join(tmpdir(), 'overcast-upload-'));
  const path = join(directory, 'image');
  const remove = (): Promise<void> => rm(directory, { recursive: true, force: true });
  try {
    const handle = await open(path, 'wx', 0o600);
    try {
      let position = 0;
      for await (const chunk of stream) {
        const bytes = chunk as Buffer;
        refuse(position + bytes.length <= maxBytes, `the upload is larger than ${maxBytes} bytes`);
        refuse(Date.now() < deadline, 'the inspection ran out of time');
        await writeSkippingZeros(handle, bytes, position);
        position += bytes.length;
      }
      await handle.truncate(position);
    } finally {
      await handle.close();
    }
    return { path, remove };
  } catch (error) {
    await remove();
    throw error;
  }
}

async function writeSkippingZeros(
  handle: Awaited<ReturnType<typeof open>>,
  bytes: Buffer,
  position: number,
): Promise<void> {
  // Pieces end on 64 KiB boundaries of the file, so a hole is skipped whatever the chunking of the stream.
  for (let at = 0; at < bytes.length;) {
    const end = Math.min(bytes.length, at + holeBytes - ((position + at) % holeBytes));
    const piece = bytes.subarray(at, end);
    if (!piece.equals(zeros.subarray(0, piece.length))) await handle.write(piece, 0, piece.length, position + at);
    at = end;
  }
}
