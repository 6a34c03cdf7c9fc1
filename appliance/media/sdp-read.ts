// Reads an SDP body (offer or answer) into the typed facts the negotiation needs. sdp-transform does
// the parsing; its output is treated as untrusted data (a one-payload m= line gives a number, a
// missing field is absent), so every value is checked here. Malformed bodies raise SdpMalformedError.
import { createRequire } from 'node:module';
import { SdpMalformedError } from './errors.js';

export type Direction = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

interface SdpTransform {
  parse(sdp: string): unknown;
  write(description: object): string;
}

// sdp-transform is CommonJS without bundled types; only parse() and write() are used.
export const sdpTransform = createRequire(import.meta.url)('sdp-transform') as SdpTransform;

export interface RtpMap {
  /** Encoding name in upper case, e.g. PCMU, L16, TELEPHONE-EVENT. */
  encoding: string;
  clockRate: number;
  channels: number;
}

export interface SdpMediaLine {
  type: string;
  port: number;
  protocol: string;
  /** Formats in the offerer's order of preference. */
  payloadTypes: number[];
  /** The fmt field of the m= line verbatim, for echoing in a rejected line. */
  formats: string;
  rtpmaps: Map<number, RtpMap>;
  fmtps: Map<number, string>;
  /** Media-level c= or else the session-level one. */
  connection: { address: string; ipVersion: 4 | 6 } | undefined;
  /** Media-level direction, else the session-level one, else sendrecv. */
  direction: Direction;
  ptime: number | undefined;
  rtcp: { port: number; address: string | undefined } | undefined;
  ssrc: number | undefined;
}

export interface SdpDescription {
  origin: { username: string; sessionId: string; sessionVersion: number; address: string } | undefined;
  media: SdpMediaLine[];
}

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);

function int(v: unknown): number | undefined {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

function direction(v: unknown): Direction | undefined {
  return v === 'sendrecv' || v === 'sendonly' || v === 'recvonly' || v === 'inactive' ? v : undefined;
}

function connection(v: unknown): SdpMediaLine['connection'] {
  if (!isObj(v)) return undefined;
  const address = str(v.ip)?.split('/')[0]; // strip a multicast TTL/count
  const version = int(v.version);
  if (!address || (version !== 4 && version !== 6)) return undefined;
  return { address, ipVersion: version };
}

function mediaLine(m: Obj, session: Obj): SdpMediaLine {
  const port = int(m.port);
  if (port === undefined || port > 65535) throw new SdpMalformedError('m= line has no valid port');
  const formats = str(m.payloads)?.trim() ?? '';
  const payloadTypes = formats
    .split(/\s+/)
    .map((f) => int(f))
    .filter((pt): pt is number => pt !== undefined && pt <= 127);
  const rtpmaps = new Map<number, RtpMap>();
  for (const r of list(m.rtp)) {
    if (!isObj(r)) continue;
    const pt = int(r.payload);
    const encoding = str(r.codec);
    if (pt === undefined || !encoding) continue;
    rtpmaps.set(pt, { encoding: encoding.toUpperCase(), clockRate: int(r.rate) ?? 0, channels: int(r.encoding) ?? 1 });
  }
  const fmtps = new Map<number, string>();
  for (const f of list(m.fmtp)) {
    if (!isObj(f)) continue;
    const pt = int(f.payload);
    const config = str(f.config);
    if (pt !== undefined && config !== undefined) fmtps.set(pt, config);
  }
  let rtcp: SdpMediaLine['rtcp'];
  if (isObj(m.rtcp)) {
    const rtcpPort = int(m.rtcp.port);
    if (rtcpPort !== undefined && rtcpPort > 0 && rtcpPort <= 65535) rtcp = { port: rtcpPort, address: str(m.rtcp.address) };
  }
  let ssrc: number | undefined;
  for (const s of list(m.ssrcs)) {
    const id = isObj(s) ? int(s.id) : undefined;
    if (id !== undefined && id <= 0xffffffff) {
      ssrc = id;
      break;
    }
  }
  const ptime = typeof m.ptime === 'number' && m.ptime > 0 ? m.ptime : int(m.ptime);
  return {
    type: str(m.type) ?? '',
    port,
    protocol: str(m.protocol) ?? '',
    payloadTypes,
    formats,
    rtpmaps,
    fmtps,
    connection: connection(m.connection) ?? connection(session.connection),
    direction: direction(m.direction) ?? direction(session.direction) ?? 'sendrecv',
    ptime,
    rtcp,
    ssrc,
  };
}

/** Reads an SDP body. Throws SdpMalformedError when it has no v=/m= lines or an m= line is broken. */
export function readSdp(text: string): SdpDescription {
  if (typeof text !== 'string' || !/^v=0\s*$/m.test(text)) throw new SdpMalformedError('not an SDP body (no v=0 line)');
  let parsed: unknown;
  try {
    parsed = sdpTransform.parse(text);
  } catch (err) {
    throw new SdpMalformedError(`unparseable (${err instanceof Error ? err.message : 'unknown error'})`);
  }
  if (!isObj(parsed)) throw new SdpMalformedError('unparseable');
  const session = parsed;
  const media = list(session.media).filter(isObj);
  if (media.length === 0) throw new SdpMalformedError('no m= line');
  let origin: SdpDescription['origin'];
  if (isObj(session.origin)) {
    const o = session.origin;
    origin = {
      username: str(o.username) ?? '-',
      sessionId: str(o.sessionId) ?? '0',
      sessionVersion: int(o.sessionVersion) ?? 0,
      address: str(o.address) ?? '',
    };
  }
  return { origin, media: media.map((m) => mediaLine(m, session)) };
}

/** Our direction for a peer's direction (RFC 3264 §6.1): what they send we receive, and vice versa. */
export function mirrorDirection(d: Direction): Direction {
  switch (d) {
    case 'sendonly':
      return 'recvonly';
    case 'recvonly':
      return 'sendonly';
    case 'sendrecv':
    case 'inactive':
      return d;
  }
}

export function canSend(d: Direction): boolean {
  return d === 'sendrecv' || d === 'sendonly';
}

export function canReceive(d: Direction): boolean {
  return d === 'sendrecv' || d === 'recvonly';
}
