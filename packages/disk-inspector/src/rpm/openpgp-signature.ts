const signaturePacketTag = 2;
const subpackets = { issuer: 16, issuerFingerprint: 33 };

/**
 * The issuer key id of an OpenPGP signature packet (RFC 4880 §5.2; v3 carries it in place, v4 in an issuer or
 * issuer-fingerprint subpacket). This is what `rpm --qf '%{RSAHEADER:pgpsig}'` prints as "Key ID …". Undefined
 * for anything it cannot read: a broken signature simply does not count as Red Hat's.
 */
export function readSignatureKeyId(packet: Buffer): string | undefined {
  const body = signaturePacketBody(packet);
  if (!body || body.length < 1) return undefined;
  const version = body.readUInt8(0);
  if (version === 3 && body.length >= 15) return body.toString('hex', 7, 15);
  if (version !== 4 || body.length < 6) return undefined;
  const hashedLength = body.readUInt16BE(4);
  const hashed = body.subarray(6, 6 + hashedLength);
  const unhashedAt = 6 + hashedLength;
  if (unhashedAt + 2 > body.length) return undefined;
  const unhashed = body.subarray(unhashedAt + 2, unhashedAt + 2 + body.readUInt16BE(unhashedAt));
  return findIssuer(hashed) ?? findIssuer(unhashed);
}

function signaturePacketBody(packet: Buffer): Buffer | undefined {
  if (packet.length < 2) return undefined;
  const first = packet.readUInt8(0);
  if ((first & 0x80) === 0) return undefined;
  if (first & 0x40) {
    if ((first & 0x3f) !== signaturePacketTag) return undefined;
    const length = readNewLength(packet, 1);
    return length ? packet.subarray(length.headerEnd, length.headerEnd + length.value) : undefined;
  }
  if (((first >> 2) & 0x0f) !== signaturePacketTag) return undefined;
  const lengthBytes = [1, 2, 4, 0][first & 0x03] ?? 0;
  if (lengthBytes === 0) return packet.subarray(1);
  if (packet.length < 1 + lengthBytes) return undefined;
  const value = packet.readUIntBE(1, lengthBytes);
  return packet.subarray(1 + lengthBytes, 1 + lengthBytes + value);
}

function readNewLength(bytes: Buffer, at: number): { value: number; headerEnd: number } | undefined {
  if (at >= bytes.length) return undefined;
  const first = bytes.readUInt8(at);
  if (first < 192) return { value: first, headerEnd: at + 1 };
  if (first < 224 && at + 2 <= bytes.length) {
    return { value: ((first - 192) << 8) + bytes.readUInt8(at + 1) + 192, headerEnd: at + 2 };
  }
  if (first === 255 && at + 5 <= bytes.length) return { value: bytes.readUInt32BE(at + 1), headerEnd: at + 5 };
  return undefined;
}

function findIssuer(area: Buffer): string | undefined {
  let at = 0;
  let fromFingerprint: string | undefined;
  while (at < area.length) {
    const length = readNewLength(area, at);
    if (!length || length.value < 1 || length.headerEnd + length.value > area.length) return fromFingerprint;
    const type = area.readUInt8(length.headerEnd) & 0x7f;
    const data = area.subarray(length.headerEnd + 1, length.headerEnd + length.value);
    if (type === subpackets.issuer && data.length === 8) return data.toString('hex');
    // v4 fingerprints end with the key id; v5/v6 ones begin with it.
    if (type === subpackets.issuerFingerprint && data.length === 21) fromFingerprint = data.toString('hex', 13, 21);
    if (type === subpackets.issuerFingerprint && data.length === 33) fromFingerprint = data.toString('hex', 1, 9);
    at = length.headerEnd + length.value;
  }
  return fromFingerprint;
}
