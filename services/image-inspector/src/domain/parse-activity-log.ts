import { createGunzip } from 'node:zlib';
import { Readable } from 'node:stream';
import { JSONParser } from '@streamparser/json';
import { AppError } from '@overcast/contracts';
import { relevantRecordOf, type RelevantRecord } from './activity-records';

export interface ActivityLogLimits {
  /** Bytes the decompressed file may hold: a gzip bomb stops here, refused (ACTIVITY_LOG_MAX_BYTES). */
  maxDecompressedBytes: number;
}

export interface ParsedActivityLog {
  records: number;
  relevant: RelevantRecord[];
}

const gzipMagic = [0x1f, 0x8b];

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

/**
 * Reads a CloudTrail file (`{"Records": […]}`, gzip or plain) in one pass, keeping only the relevant records: memory
 * stays bounded by those, never by the file. Anything that is not a whole CloudTrail JSON document is refused with
 * its reason before a single event is stored (the caller stores a file's events in one transaction, after this).
 */
export async function parseActivityLog(
  chunks: AsyncIterable<Uint8Array>,
  limits: ActivityLogLimits,
): Promise<ParsedActivityLog> {
  const parser = new JSONParser({ paths: ['$.Records.*'], keepStack: false });
  const parsed: ParsedActivityLog = { records: 0, relevant: [] };
  parser.onValue = ({ value }) => {
    parsed.records += 1;
    const record = relevantRecordOf(value);
    if (record) parsed.relevant.push(record);
  };
  let sawStart = false;
  for await (const chunk of decompressed(chunks, limits)) {
    if (!sawStart) {
      const firstByte = Buffer.from(chunk).toString('utf8').trimStart()[0];
      if (firstByte !== undefined) {
        if (firstByte !== '{') throw refuse('it is not a CloudTrail JSON document (the top level must be an object)');
        sawStart = true;
      }
    }
    try {
      parser.write(chunk);
    } catch (error) {
      throw refuse(`it is not valid JSON (${(error as Error).message})`, error);
    }
  }
  if (!sawStart) throw refuse('it is empty');
  if (!parser.isEnded) {
    try {
      parser.end();
    } catch (error) {
      throw refuse(`the JSON document is truncated (${(error as Error).message})`, error);
    }
  }
  return parsed;
}
