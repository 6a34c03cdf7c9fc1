// RTP fixed header and payload (RFC 3550 §5.1). parseRtp() never throws: anything that is not a
// well-formed RTP version-2 packet gives null, and the caller counts it.

export interface RtpHeaderExtension {
  /** The 16-bit "defined by profile" field. */
  profile: number;
  data: Buffer;
}

export interface RtpPacket {
  marker: boolean;
  payloadType: number;
  sequenceNumber: number;
  timestamp: number;
  ssrc: number;
  csrcs: number[];
  extension: RtpHeaderExtension | undefined;
  payload: Buffer;
  /** Padding bytes that followed the payload (0 when the P bit was clear). */
  paddingLength: number;
}

export type RtpPacketInit = Pick<RtpPacket, 'payloadType' | 'sequenceNumber' | 'timestamp' | 'ssrc' | 'payload'> &
  Partial<Pick<RtpPacket, 'marker' | 'csrcs' | 'extension' | 'paddingLength'>>;

const FIXED_HEADER = 12;

/** Parses one RTP packet; null for anything malformed (wrong version, truncated header, bad padding). */
export function parseRtp(buf: Buffer): RtpPacket | null {
  if (buf.length < FIXED_HEADER) return null;
  const b0 = buf[0] ?? 0;
  const b1 = buf[1] ?? 0;
  if (b0 >> 6 !== 2) return null;
  const padding = (b0 & 0x20) !== 0;
  const hasExtension = (b0 & 0x10) !== 0;
  const csrcCount = b0 & 0x0f;
  const payloadType = b1 & 0x7f;
  // Payload types 72-76 collide with RTCP packet types 200-204 when the marker bit is set (RFC 5761 §4).
  if (payloadType >= 72 && payloadType <= 76) return null;
  let offset = FIXED_HEADER + 4 * csrcCount;
  if (buf.length < offset) return null;
  const csrcs: number[] = [];
  for (let i = 0; i < csrcCount; i++) csrcs.push(buf.readUInt32BE(FIXED_HEADER + 4 * i));
  let extension: RtpHeaderExtension | undefined;
  if (hasExtension) {
    if (buf.length < offset + 4) return null;
    const profile = buf.readUInt16BE(offset);
    const words = buf.readUInt16BE(offset + 2);
    const start = offset + 4;
    const end = start + 4 * words;
    if (buf.length < end) return null;
    extension = { profile, data: buf.subarray(start, end) };
    offset = end;
  }
  let end = buf.length;
  let paddingLength = 0;
  if (padding) {
    paddingLength = buf[buf.length - 1] ?? 0;
    if (paddingLength === 0 || offset + paddingLength > buf.length) return null;
    end -= paddingLength;
  }
  return {
    marker: (b1 & 0x80) !== 0,
    payloadType,
    sequenceNumber: buf.readUInt16BE(2),
    timestamp: buf.readUInt32BE(4),
    ssrc: buf.readUInt32BE(8),
    csrcs,
    extension,
    payload: buf.subarray(offset, end),
    paddingLength,
  };
}

/** Serializes an RTP packet (version 2). The extension data is padded to whole 32-bit words. */
export function serializeRtp(p: RtpPacketInit): Buffer {
  const csrcs = p.csrcs ?? [];
  if (csrcs.length > 15) throw new RangeError('at most 15 CSRCs');
  const ext = p.extension;
  const extWords = ext ? Math.ceil(ext.data.length / 4) : 0;
  const paddingLength = p.paddingLength ?? 0;
  if (paddingLength < 0 || paddingLength > 255) throw new RangeError('padding must be 0..255 bytes');
  const headerLength = FIXED_HEADER + 4 * csrcs.length + (ext ? 4 + 4 * extWords : 0);
  const out = Buffer.alloc(headerLength + p.payload.length + paddingLength);
  out[0] = 0x80 | (paddingLength > 0 ? 0x20 : 0) | (ext ? 0x10 : 0) | csrcs.length;
  out[1] = (p.marker ? 0x80 : 0) | (p.payloadType & 0x7f);
  out.writeUInt16BE(p.sequenceNumber & 0xffff, 2);
  out.writeUInt32BE(p.timestamp >>> 0, 4);
  out.writeUInt32BE(p.ssrc >>> 0, 8);
  let offset = FIXED_HEADER;
  for (const c of csrcs) {
    out.writeUInt32BE(c >>> 0, offset);
    offset += 4;
  }
  if (ext) {
    out.writeUInt16BE(ext.profile & 0xffff, offset);
    out.writeUInt16BE(extWords, offset + 2);
    ext.data.copy(out, offset + 4);
    offset += 4 + 4 * extWords;
  }
  p.payload.copy(out, offset);
  if (paddingLength > 0) out[out.length - 1] = paddingLength;
  return out;
}

/** True if the datagram looks like RTCP rather than RTP (RFC 5761 §4: packet types 192-223). */
export function looksLikeRtcp(buf: Buffer): boolean {
  if (buf.length < 8 || (buf[0] ?? 0) >> 6 !== 2) return false;
  const pt = buf[1] ?? 0;
  return pt >= 192 && pt <= 223;
}
