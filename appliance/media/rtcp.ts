// Minimal RTCP (RFC 3550 §6): compound sender/receiver reports with an SDES CNAME, BYE, and a
// parser that never throws. Payload-specific feedback and APP packets are recognised and ignored.

export const RTCP_SR = 200;
export const RTCP_RR = 201;
export const RTCP_SDES = 202;
export const RTCP_BYE = 203;

export interface ReportBlock {
  ssrc: number;
  /** Fraction lost since the previous report, 0..255 (= fraction * 256). */
  fractionLost: number;
  /** Cumulative packets lost (24-bit signed). */
  cumulativeLost: number;
  extendedHighestSeq: number;
  jitter: number;
  /** Middle 32 bits of the NTP timestamp of the last SR from this source, 0 if none. */
  lastSr: number;
  /** Delay since that SR in 1/65536 s. */
  delaySinceLastSr: number;
}

export interface SenderInfo {
  /** Wall-clock time of this report, Unix milliseconds (written as an NTP timestamp). */
  wallClockMs: number;
  rtpTimestamp: number;
  packetCount: number;
  octetCount: number;
}

export type RtcpPacket =
  | { type: 'sr'; ssrc: number; ntpSeconds: number; ntpFraction: number; rtpTimestamp: number; packetCount: number; octetCount: number; reports: ReportBlock[] }
  | { type: 'rr'; ssrc: number; reports: ReportBlock[] }
  | { type: 'sdes'; chunks: { ssrc: number; cname: string | undefined }[] }
  | { type: 'bye'; ssrcs: number[]; reason: string | undefined }
  | { type: 'other'; packetType: number };

const NTP_UNIX_OFFSET_S = 2208988800;

/** NTP seconds and 2^-32 fraction of a Unix millisecond time. */
export function toNtp(unixMs: number): { seconds: number; fraction: number } {
  const seconds = Math.floor(unixMs / 1000) + NTP_UNIX_OFFSET_S;
  const fraction = Math.floor(((unixMs % 1000) / 1000) * 0x100000000);
  return { seconds: seconds >>> 0, fraction: fraction >>> 0 };
}

/** The "middle 32 bits" of an NTP timestamp, as used in LSR (RFC 3550 §6.4.1). */
export function ntpMiddle32(seconds: number, fraction: number): number {
  return (((seconds & 0xffff) << 16) | (fraction >>> 16)) >>> 0;
}

function header(count: number, packetType: number, lengthBytes: number): Buffer {
  const b = Buffer.alloc(4);
  b[0] = 0x80 | (count & 0x1f);
  b[1] = packetType;
  b.writeUInt16BE(lengthBytes / 4 - 1, 2);
  return b;
}

function reportBlocks(reports: readonly ReportBlock[]): Buffer {
  const out = Buffer.alloc(24 * reports.length);
  reports.forEach((r, i) => {
    const o = 24 * i;
    out.writeUInt32BE(r.ssrc >>> 0, o);
    out[o + 4] = r.fractionLost & 0xff;
    const lost = Math.max(-0x800000, Math.min(0x7fffff, r.cumulativeLost)) & 0xffffff;
    out.writeUIntBE(lost, o + 5, 3);
    out.writeUInt32BE(r.extendedHighestSeq >>> 0, o + 8);
    out.writeUInt32BE(r.jitter >>> 0, o + 12);
    out.writeUInt32BE(r.lastSr >>> 0, o + 16);
    out.writeUInt32BE(r.delaySinceLastSr >>> 0, o + 20);
  });
  return out;
}

function sdesCname(ssrc: number, cname: string): Buffer {
  const text = Buffer.from(cname, 'utf8').subarray(0, 255);
  const chunkLength = Math.ceil((4 + 2 + text.length + 1) / 4) * 4; // items end with a null octet, padded to 32 bits
  const body = Buffer.alloc(chunkLength);
  body.writeUInt32BE(ssrc >>> 0, 0);
  body[4] = 1; // CNAME
  body[5] = text.length;
  text.copy(body, 6);
  return Buffer.concat([header(1, RTCP_SDES, 4 + chunkLength), body]);
}

/** Compound SR (or RR when `sender` is undefined) + SDES CNAME. At most 31 report blocks are written. */
export function buildReport(opts: { ssrc: number; cname: string; sender: SenderInfo | undefined; reports: readonly ReportBlock[] }): Buffer {
  const reports = opts.reports.slice(0, 31);
  const blocks = reportBlocks(reports);
  let first: Buffer;
  if (opts.sender) {
    const s = opts.sender;
    const ntp = toNtp(s.wallClockMs);
    const info = Buffer.alloc(24);
    info.writeUInt32BE(opts.ssrc >>> 0, 0);
    info.writeUInt32BE(ntp.seconds, 4);
    info.writeUInt32BE(ntp.fraction, 8);
    info.writeUInt32BE(s.rtpTimestamp >>> 0, 12);
    info.writeUInt32BE(s.packetCount >>> 0, 16);
    info.writeUInt32BE(s.octetCount >>> 0, 20);
    first = Buffer.concat([header(reports.length, RTCP_SR, 4 + 24 + blocks.length), info, blocks]);
  } else {
    const ssrc = Buffer.alloc(4);
    ssrc.writeUInt32BE(opts.ssrc >>> 0, 0);
    first = Buffer.concat([header(reports.length, RTCP_RR, 8 + blocks.length), ssrc, blocks]);
  }
  return Buffer.concat([first, sdesCname(opts.ssrc, opts.cname)]);
}

/** Compound RR + SDES + BYE, sent when a session stops. */
export function buildBye(opts: { ssrc: number; cname: string; reason?: string }): Buffer {
  const reason = opts.reason ? Buffer.from(opts.reason, 'utf8').subarray(0, 255) : undefined;
  const length = Math.ceil((8 + (reason ? 1 + reason.length : 0)) / 4) * 4;
  const bye = Buffer.alloc(length);
  header(1, RTCP_BYE, length).copy(bye, 0);
  bye.writeUInt32BE(opts.ssrc >>> 0, 4);
  if (reason) {
    bye[8] = reason.length;
    reason.copy(bye, 9);
  }
  return Buffer.concat([buildReport({ ssrc: opts.ssrc, cname: opts.cname, sender: undefined, reports: [] }), bye]);
}

function parseReportBlocks(buf: Buffer, offset: number, count: number, end: number): ReportBlock[] | null {
  if (offset + 24 * count > end) return null;
  const out: ReportBlock[] = [];
  for (let i = 0; i < count; i++) {
    const o = offset + 24 * i;
    const lost = buf.readUIntBE(o + 5, 3);
    out.push({
      ssrc: buf.readUInt32BE(o),
      fractionLost: buf[o + 4] ?? 0,
      cumulativeLost: lost & 0x800000 ? lost - 0x1000000 : lost,
      extendedHighestSeq: buf.readUInt32BE(o + 8),
      jitter: buf.readUInt32BE(o + 12),
      lastSr: buf.readUInt32BE(o + 16),
      delaySinceLastSr: buf.readUInt32BE(o + 20),
    });
  }
  return out;
}

function parseSdes(buf: Buffer, offset: number, count: number, end: number): RtcpPacket | null {
  const chunks: { ssrc: number; cname: string | undefined }[] = [];
  let o = offset;
  for (let c = 0; c < count; c++) {
    if (o + 4 > end) return null;
    const ssrc = buf.readUInt32BE(o);
    o += 4;
    let cname: string | undefined;
    for (;;) {
      if (o >= end) return null;
      const type = buf[o] ?? 0;
      if (type === 0) break;
      const len = buf[o + 1];
      if (len === undefined || o + 2 + len > end) return null;
      if (type === 1) cname = buf.toString('utf8', o + 2, o + 2 + len);
      o += 2 + len;
    }
    o = (Math.floor(o / 4) + 1) * 4; // skip the null octet(s) to the next 32-bit boundary
    chunks.push({ ssrc, cname });
  }
  return { type: 'sdes', chunks };
}

function parseOne(buf: Buffer, offset: number, count: number, packetType: number, end: number): RtcpPacket | null {
  switch (packetType) {
    case RTCP_SR: {
      if (offset + 24 > end) return null;
      const reports = parseReportBlocks(buf, offset + 24, count, end);
      if (!reports) return null;
      return {
        type: 'sr',
        ssrc: buf.readUInt32BE(offset),
        ntpSeconds: buf.readUInt32BE(offset + 4),
        ntpFraction: buf.readUInt32BE(offset + 8),
        rtpTimestamp: buf.readUInt32BE(offset + 12),
        packetCount: buf.readUInt32BE(offset + 16),
        octetCount: buf.readUInt32BE(offset + 20),
        reports,
      };
    }
    case RTCP_RR: {
      if (offset + 4 > end) return null;
      const reports = parseReportBlocks(buf, offset + 4, count, end);
      return reports ? { type: 'rr', ssrc: buf.readUInt32BE(offset), reports } : null;
    }
    case RTCP_SDES:
      return parseSdes(buf, offset, count, end);
    case RTCP_BYE: {
      if (offset + 4 * count > end) return null;
      const ssrcs: number[] = [];
      for (let i = 0; i < count; i++) ssrcs.push(buf.readUInt32BE(offset + 4 * i));
      const r = offset + 4 * count;
      let reason: string | undefined;
      if (r < end) {
        const len = buf[r] ?? 0;
        if (r + 1 + len > end) return null;
        reason = buf.toString('utf8', r + 1, r + 1 + len);
      }
      return { type: 'bye', ssrcs, reason };
    }
    default:
      return { type: 'other', packetType };
  }
}

/** Parses a compound RTCP packet; null if any part is malformed. Never throws. */
export function parseRtcp(buf: Buffer): RtcpPacket[] | null {
  const out: RtcpPacket[] = [];
  let offset = 0;
  while (offset < buf.length) {
    if (offset + 4 > buf.length) return null;
    const b0 = buf[offset] ?? 0;
    if (b0 >> 6 !== 2) return null;
    const packetType = buf[offset + 1] ?? 0;
    if (packetType < 192 || packetType > 223) return null;
    const length = (buf.readUInt16BE(offset + 2) + 1) * 4;
    if (offset + length > buf.length) return null;
    let end = offset + length;
    if (b0 & 0x20) {
      const pad = buf[end - 1] ?? 0;
      if (pad === 0 || pad > length - 4) return null;
      end -= pad;
    }
    const p = parseOne(buf, offset + 4, b0 & 0x1f, packetType, end);
    if (!p) return null;
    out.push(p);
    offset += length;
  }
  return out.length > 0 ? out : null;
}
