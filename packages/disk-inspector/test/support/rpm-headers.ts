/** rpm header blobs as an rpm database stores them, signed (in form only) by a chosen key id. */
export interface TestPackage {
  name: string;
  keyId?: string;
  /** v4 signatures carry the key id in an issuer subpacket; v3 ones in place. */
  signatureVersion?: 3 | 4;
  /** Extra bytes in the header, to make it span Berkeley DB overflow pages. */
  padding?: number;
}

const tags = { rsaHeader: 268, name: 1000, description: 1016 };

export function buildRpmHeader(pkg: TestPackage): Buffer {
  const entries: { tag: number; type: number; data: Buffer; count: number }[] = [];
  const name = Buffer.from(`${pkg.name}\0`);
  entries.push({ tag: tags.name, type: 6, data: name, count: 1 });
  if (pkg.keyId) {
    const signature = pkg.signatureVersion === 3 ? v3Signature(pkg.keyId) : v4Signature(pkg.keyId);
    entries.push({ tag: tags.rsaHeader, type: 7, data: signature, count: signature.length });
  }
  if (pkg.padding) entries.push({ tag: tags.description, type: 6, data: Buffer.alloc(pkg.padding, 0x61), count: 1 });
  const index = Buffer.alloc(entries.length * 16);
  const store: Buffer[] = [];
  let offset = 0;
  entries.forEach((entry, position) => {
    index.writeUInt32BE(entry.tag, position * 16);
    index.writeUInt32BE(entry.type, position * 16 + 4);
    index.writeUInt32BE(offset, position * 16 + 8);
    index.writeUInt32BE(entry.count, position * 16 + 12);
    store.push(entry.data);
    offset += entry.data.length;
  });
  const head = Buffer.alloc(8);
  head.writeUInt32BE(entries.length, 0);
  head.writeUInt32BE(offset, 4);
  return Buffer.concat([head, index, ...store]);
}

function v4Signature(keyId: string): Buffer {
  const created = Buffer.from([5, 2, 0x65, 0x00, 0x00, 0x00]); // subpacket: creation time
  const issuer = Buffer.concat([Buffer.from([9, 16]), Buffer.from(keyId, 'hex')]);
  const body = Buffer.concat([
    Buffer.from([4, 0x00, 1, 8]), // v4, binary document, RSA, SHA-256
    u16(created.length),
    created,
    u16(issuer.length),
    issuer,
    Buffer.from([0xab, 0xcd]), // left 16 bits of the hash
    Buffer.from([0x00, 0x08, 0x5a]), // a one-byte MPI standing in for the signature
  ]);
  return Buffer.concat([Buffer.from([0xc2, body.length]), body]); // new-format packet, tag 2
}

function v3Signature(keyId: string): Buffer {
  const body = Buffer.concat([
    Buffer.from([3, 5, 0x00, 0x65, 0, 0, 0]),
    Buffer.from(keyId, 'hex'),
    Buffer.from([1, 2, 0xab, 0xcd, 0x00, 0x08, 0x5a]),
  ]);
  return Buffer.concat([Buffer.from([0x88, body.length]), body]); // old-format packet, tag 2, one length byte
}

function u16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeUInt16BE(value);
  return buffer;
}
