import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';

/** A ustar/GNU tar header: "ustar" at offset 257. */
export function isTarHeader(head: Buffer): boolean {
  return head.length >= 262 && head.toString('latin1', 257, 262) === 'ustar';
}

export function isGzip(head: Buffer): boolean {
  return head.length >= 2 && head[0] === 0x1f && head[1] === 0x8b;
}

/**
 * The first `length` bytes of a stream (fewer if it is shorter), and a stream that still yields everything from
 * the first byte on: the chunks read ahead, then the rest of the same iterator.
 */
export async function peek(stream: Readable, length: number): Promise<{ head: Buffer; stream: Readable }> {
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  const chunks: Buffer[] = [];
  let collected = 0;
  let done = false;
  while (collected < length && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else {
      chunks.push(next.value);
      collected += next.value.length;
    }
  }
  const all = Buffer.concat(chunks);
  async function* replay(): AsyncGenerator<Buffer> {
    if (all.length > 0) yield all;
    if (done) return;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  return { head: all.subarray(0, length), stream: Readable.from(replay(), { objectMode: false }) };
}

/** The stream itself, or its gunzipped content when it starts with gzip's magic (a .tar.gz rootfs). */
export async function gunzipIfCompressed(input: Readable): Promise<Readable> {
  const { head, stream } = await peek(input, 2);
  if (!isGzip(head)) return stream;
  const gunzip = createGunzip();
  stream.on('error', (error) => gunzip.destroy(error));
  return stream.pipe(gunzip);
}
