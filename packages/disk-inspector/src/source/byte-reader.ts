import { open } from 'node:fs/promises';
import { refuse } from '../inspection-error';

/** Random access to a disk image or one of its partitions; reads past the end are refused. */
export interface ByteReader {
  readonly size: number;
  read(offset: number, length: number): Promise<Buffer>;
}

export function checkRange(size: number, offset: number, length: number): void {
  refuse(
    Number.isSafeInteger(offset) && Number.isSafeInteger(length) && offset >= 0 && length >= 0,
    `bad read at ${offset} (${length} bytes)`,
  );
  refuse(offset + length <= size, `read past the end of the image: ${offset} + ${length} > ${size}`);
}

/** A window over another reader: a partition is its disk from offset, size bytes long. */
export function sliceReader(reader: ByteReader, offset: number, size: number): ByteReader {
  checkRange(reader.size, offset, size);
  return {
    size,
    read: (at, length) => {
      checkRange(size, at, length);
      return reader.read(offset + at, length);
    },
  };
}

export function bufferReader(bytes: Buffer): ByteReader {
  return {
    size: bytes.length,
    read: (offset, length) => {
      checkRange(bytes.length, offset, length);
      return Promise.resolve(bytes.subarray(offset, offset + length));
    },
  };
}

/** A local image file, opened read-only; close it when done. */
export async function openFileReader(path: string): Promise<ByteReader & { close(): Promise<void> }> {
  const handle = await open(path, 'r');
  const { size } = await handle.stat();
  return {
    size,
    read: async (offset, length) => {
      checkRange(size, offset, length);
      const buffer = Buffer.alloc(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(buffer, done, length - done, offset + done);
        refuse(bytesRead > 0, `the image file ended early at ${offset + done}`);
        done += bytesRead;
      }
      return buffer;
    },
    close: () => handle.close(),
  };
}
