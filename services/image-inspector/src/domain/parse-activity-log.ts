import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { AppError } from '@overcast/contracts';
import { relevantRecordOf, type RelevantRecord } from './activity-records';
import { JsonDocumentError, RecordsArrayReader } from './records-array-reader';

export interface ActivityLogLimits {
  /** Bytes the decompressed file may hold: a gzip bomb stops here, refused (ACTIVITY_LOG_MAX_BYTES). */
  maxDecompressedBytes: number;
}

export interface ParsedActivityLog {
  records: number;
  relevant: RelevantRecord[];
}

const gzipMagic = [0x1f, 0x8b];
// Bytes parsed between turns of the event loop (16 KiB cost node a tenth more CPU for no less waiting in the bench).
const sliceBytes = 64 * 1024;
const jsonWhitespace = new Set([0x20, 0x09, 0x0a, 0x0d]);

function refuse(reason: string, cause?: unknown): AppError {
  return new AppError('bad_request', `The activity log was refused: ${reason}.`, {
    details: [{ path: 'activity_log', message: reason }],
    cause,
  });
}

function isGzip(first: Uint8Array): boolean {
  return first[0] === gzipMagic[0] && first[1] === gzipMagic[1];
}

async function* decompressed(chunks: AsyncIterable<Uint8Array>, limits: ActivityLogLimits): AsyncGenerator<Uint8Array> {
  const iterator = chunks[Symbol.asyncIterator]();
  const first = await iterator.next();
  if (first.done) return;
  async function* all(): AsyncGenerator<Uint8Array> {
    yield first.value as Uint8Array;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) yield next.value;
  }
  const plain = !isGzip(first.value as Uint8Array);
  const source = plain ? all() : Readable.from(all()).pipe(createGunzip());
  let total = 0;
  try {
    for await (const chunk of source as AsyncIterable<Uint8Array>) {
      total += chunk.byteLength;
      if (total > limits.maxDecompressedBytes) {
        throw refuse(
          `it holds more than ${limits.maxDecompressedBytes} bytes ${plain ? '' : 'once decompressed '}`.trim(),
        );
      }
      yield chunk;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw refuse(`the gzip stream is corrupt or truncated (${(error as Error).message})`, error);
  } finally {
    if (!plain) (source as Readable).destroy();
  }
}

function holdsNul(record: RelevantRecord): boolean {
  const texts =
    record.kind === 'power'
      ? [record.region, ...record.instances.flatMap((i) => [i.cloudInstanceId, i.imageId, i.instanceType, i.subnet])]
      : record.imageIds;
  return [record.eventId, record.awsAccountId, ...texts].some((text) => text?.includes('\u0000'));
}

/** What a reading has seen so far: every record, and those kept (final once its batches are all read). */
export interface ActivityLogReading {
  records: number;
  relevant: number;
}

/**
 * Reads a CloudTrail file (`{"Records": […]}`, gzip or plain) in one pass, yielding its relevant records a batch per
 * chunk read, so memory stays bounded by a chunk, never by the file. Anything that is not a whole CloudTrail JSON
 * document is refused with its reason by throwing from the generator, after batches may have been yielded: the
 * caller stores a file's batches in one transaction and stores nothing when the reading throws.
 */
export async function* readActivityLog(
  chunks: AsyncIterable<Uint8Array>,
  limits: ActivityLogLimits,
  reading: ActivityLogReading = { records: 0, relevant: 0 },
): AsyncGenerator<RelevantRecord[]> {
  let batch: RelevantRecord[] = [];
  const reader = new RecordsArrayReader((value, text) => {
    reading.records += 1;
    const record = relevantRecordOf(value);
    if (!record) return;
    // Postgres text cannot hold NUL: refused here with its reason, not failing the store. JSON text holds a NUL only
    // as the escape \u0000 (a raw control character is invalid JSON), so a record without one is not searched.
    if (text.includes('\\u0000') && holdsNul(record)) throw refuse(`record ${reading.records} holds a NUL character`);
    batch.push(record);
  });
  const readOrRefuse = (read: () => void) => {
    try {
      read();
    } catch (error) {
      if (!(error instanceof JsonDocumentError)) throw error;
      throw error.kind === 'truncated'
        ? refuse(`the JSON document is truncated (${error.message})`, error)
        : refuse(`it is not valid JSON (${error.message})`, error);
    }
  };
  let sawStart = false;
  for await (const chunk of decompressed(chunks, limits)) {
    const bytes = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    if (!sawStart) {
      const firstByte = bytes.find((byte) => !jsonWhitespace.has(byte));
      if (firstByte !== undefined) {
        if (firstByte !== 0x7b) throw refuse('it is not a CloudTrail JSON document (the top level must be an object)');
        sawStart = true;
      }
    }
    // A slice at a time, so a file handed over whole still yields small batches, and between slices the event
    // loop turns: the service keeps answering, and the store's statements for earlier batches go on meanwhile.
    for (let offset = 0; offset < bytes.byteLength; offset += sliceBytes) {
      if (offset > 0) await setImmediate();
      readOrRefuse(() => reader.write(bytes.subarray(offset, offset + sliceBytes)));
      if (batch.length > 0) {
        reading.relevant += batch.length;
        yield batch;
        batch = [];
      }
    }
  }
  if (!sawStart) throw refuse('it is empty');
  readOrRefuse(() => reader.end());
  if (batch.length > 0) {
    reading.relevant += batch.length;
    yield batch;
  }
}

/** The whole file's relevant records at once, for callers that regroup them (CloudTrail's by AWS account). */
export async function parseActivityLog(
  chunks: AsyncIterable<Uint8Array>,
  limits: ActivityLogLimits,
): Promise<ParsedActivityLog> {
  const reading = { records: 0, relevant: 0 };
  const relevant: RelevantRecord[] = [];
  for await (const batch of readActivityLog(chunks, limits, reading)) for (const record of batch) relevant.push(record);
  return { records: reading.records, relevant };
}
