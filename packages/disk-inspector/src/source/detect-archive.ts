import { PassThrough, type Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A ustar/GNU tar header: "ustar" at offset 257. */
export function isTarHeader(head: Buffer): boolean {
  return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}

/** The stream itself, or its gunzipped content when it starts with gzip's magic (a .tar.gz rootfs). */
export async function gunzipIfCompressed(stream: Readable): Promise<Readable> {
  const first = await new Promise<Buffer | null>((resolve, reject) => {
    const onReadable = (): void => {
      cleanup();
      resolve(stream.read(2) ?? stream.read());
    };
    const onEnd = (): void => {
      cleanup();
      resolve(null);
    };
    const onError = (error: Error): void => {
      cleanup();
      reject(error);
    };
    const cleanup = (): void => {
      stream.off('readable', onReadable).off('end', onEnd).off('error', onError);
    };
    stream.once('readable', onReadable).once('end', onEnd).once('error', onError);
  });
  const passThrough = new PassThrough();
  if (first) passThrough.write(first);
  const compressed = first !== null && first[0] === 0x1f && first[1] === 0x8b;
  stream.on('error', (error) => passThrough.destroy(error));
  stream.pipe(passThrough);
  if (!compressed) return passThrough;
  const gunzip = createGunzip();
  passThrough.on('error', (error) => gunzip.destroy(error));
  return passThrough.pipe(gunzip);
}
