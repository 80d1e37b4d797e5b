import { readSignatureKeyId } from './openpgp-signature';

/** What the signed-packages check needs from one installed package's header. */
export interface RpmPackage {
  name: string | undefined;
  /** Key ids (16 lowercase hex digits) of the header's signatures, deduplicated. */
  keyIds: string[];
}

const headerMagic = 0x8eade801;
const tags = { name: 1000, dsaHeader: 267, rsaHeader: 268, sigPgp: 1002, sigGpg: 1005 };
const signatureTags = new Set([tags.dsaHeader, tags.rsaHeader, tags.sigPgp, tags.sigGpg]);
const types = { string: 6, binary: 7 };
const maxIndexEntries = 65_536;

/**
 * One header blob as the rpm database stores it (index count, data length, 16-byte index entries, data store),
 * or with the 8-byte magic a package file carries. Undefined when the blob is no header (BDB's counter record).
 */
export function parseRpmHeader(blob: Buffer): RpmPackage | undefined {
  let header = blob;
  if (header.length >= 8 && header.readUInt32BE(0) === headerMagic) header = header.subarray(8);
  if (header.length < 8) return undefined;
  const indexCount = header.readUInt32BE(0);
  const dataLength = header.readUInt32BE(4);
  const storeStart = 8 + indexCount * 16;
  if (indexCount === 0 || indexCount > maxIndexEntries || storeStart + dataLength > header.length) return undefined;
  const store = header.subarray(storeStart, storeStart + dataLength);
  let name: string | undefined;
  const keyIds = new Set<string>();
  for (let index = 0; index < indexCount; index++) {
    const entry = 8 + index * 16;
    const tag = header.readUInt32BE(entry);
    const type = header.readUInt32BE(entry + 4);
    const offset = header.readUInt32BE(entry + 8);
    const count = header.readUInt32BE(entry + 12);
    if (offset >= store.length) continue;
    if (tag === tags.name && type === types.string) {
      const end = store.indexOf(0, offset);
      name = store.toString('utf8', offset, end === -1 ? store.length : end);
    } else if (signatureTags.has(tag) && type === types.binary && offset + count <= store.length) {
      const keyId = readSignatureKeyId(store.subarray(offset, offset + count));
      if (keyId) keyIds.add(keyId);
    }
  }
  return { name, keyIds: [...keyIds] };
}
