import { refuse } from '../inspection-error';
import type { ByteReader } from './byte-reader';

/** Every read checks the inspection's deadline, so no image can keep a reader busy past it. */
export function withDeadline(reader: ByteReader, deadline: number): ByteReader {
  return {
    size: reader.size,
    read: (offset, length) => {
      refuse(Date.now() < deadline, 'the inspection ran out of time');
      return reader.read(offset, length);
    },
  };
}
