// Offer/answer for the audio stream (RFC 3264), as pure functions of the SDP text and our
// capabilities: answering an offer (first INVITE or re-INVITE), making an offer (caller simulator,
// outbound calls) and reading the answer to it.
import { isIPv6 } from 'node:net';
import { CODECS, type CodecName } from './codecs.js';
import { SdpMalformedError, SdpNotAcceptableError } from './errors.js';
import { mirrorDirection, readSdp, sdpTransform, type Direction, type SdpMediaLine } from './sdp-read.js';

export type { Direction } from './sdp-read.js';

export interface MediaCapabilities {
  /** Our address for c= and o=. */
  address: string;
  /** Our RTP port (RTCP is port + 1). */
  rtpPort: number;
  /** Codecs we take; in an offer also our order of preference. */
  codecs?: readonly CodecName[];
  /** Clock rates at which we take telephone-event. */
  telephoneEventRates?: readonly number[];
  /** Packet time we send, ms. */
  ptime?: number;
}

export interface NegotiatedMedia {
  codec: CodecName;
  payloadType: number;
  clockRate: number;
  /** telephone-event at the codec's clock rate, if the peer has it. */
  telephoneEvent: { payloadType: number; clockRate: number } | undefined;
  /** Where to send RTP and RTCP. An address of 0.0.0.0 (old-style hold) means: send nothing. */
  remote: { address: string; port: number; rtcpAddress: string; rtcpPort: number };
  /** The peer's SSRC if its SDP gave one (a=ssrc). */
  remoteSsrc: number | undefined;
  /** The peer's a=ptime (what it wants to receive), if given. */
  remotePtime: number | undefined;
  /** Our packet time. */
  ptime: number;
  /** Our direction: what we may do (sendrecv, sendonly, recvonly, inactive). */
  direction: Direction;
  /** The peer's direction as written in its SDP. */
  remoteDirection: Direction;
}

export interface SdpAnswer {
  sdp: string;
  media: NegotiatedMedia;
  /** o= of our answer; keep it for the next re-INVITE. */
  sessionId: string;
  sessionVersion: number;
  /** o= of the offer it answered (a re-INVITE repeating it gets the same answer). */
  remoteOrigin: { sessionId: string; sessionVersion: number } | undefined;
}

export interface AnswerContext {
  /** Our o= session id (digits), fixed for the call. */
  sessionId: string;
  /** The answer given earlier in this dialog, for re-INVITEs. */
  previous?: SdpAnswer;
}

const DEFAULT_CODECS: readonly CodecName[] = ['PCMU', 'PCMA', 'L16/16000'];
const DEFAULT_TE_RATES: readonly number[] = [8000, 16000];
const OFFER_PT: Readonly<Record<CodecName, number>> = { PCMU: 0, PCMA: 8, 'L16/16000': 96 };
const OFFER_TE_PT: Readonly<Record<number, number>> = { 8000: 101, 16000: 102 };
const DTMF_EVENTS = '0-15';

/** The codec a payload type stands for in this m= line, if it is one we know. */
function codecOf(line: SdpMediaLine, pt: number): CodecName | undefined {
  const map = line.rtpmaps.get(pt);
  if (!map) return pt === 0 ? 'PCMU' : pt === 8 ? 'PCMA' : undefined;
  if (map.channels !== 1) return undefined;
  if (map.encoding === 'PCMU' && map.clockRate === 8000) return 'PCMU';
  if (map.encoding === 'PCMA' && map.clockRate === 8000) return 'PCMA';
  if (map.encoding === 'L16' && map.clockRate === 16000) return 'L16/16000';
  return undefined;
}

function isRtpAvp(protocol: string): boolean {
  const p = protocol.toUpperCase();
  return p === 'RTP/AVP' || p === 'RTP/AVPF';
}

interface Choice {
  codec: CodecName;
  payloadType: number;
  telephoneEvent: { payloadType: number; clockRate: number } | undefined;
}

function choose(line: SdpMediaLine, codecs: readonly CodecName[], teRates: readonly number[]): Choice | undefined {
  for (const pt of line.payloadTypes) {
    const codec = codecOf(line, pt);
    if (!codec || !codecs.includes(codec)) continue;
    const clockRate = CODECS[codec].clockRate;
    const tePt = teRates.includes(clockRate)
      ? line.payloadTypes.find((p) => {
          const m = line.rtpmaps.get(p);
          return m?.encoding === 'TELEPHONE-EVENT' && m.clockRate === clockRate;
        })
      : undefined;
    return { codec, payloadType: pt, telephoneEvent: tePt === undefined ? undefined : { payloadType: tePt, clockRate } };
  }
  return undefined;
}

function isNullAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}

function negotiated(line: SdpMediaLine, choice: Choice, ours: Direction, ptime: number): NegotiatedMedia {
  const conn = line.connection;
  if (!conn) throw new SdpMalformedError('no c= line for the audio stream');
  return {
    codec: choice.codec,
    payloadType: choice.payloadType,
    clockRate: CODECS[choice.codec].clockRate,
    telephoneEvent: choice.telephoneEvent,
    remote: {
      address: conn.address,
      port: line.port,
      rtcpAddress: line.rtcp?.address ?? conn.address,
      rtcpPort: line.rtcp?.port ?? line.port + 1,
    },
    remoteSsrc: line.ssrc,
    remotePtime: line.ptime,
    ptime,
    direction: ours,
    remoteDirection: line.direction,
  };
}

interface AudioLineSpec {
  port: number;
  protocol: string;
  payloads: { pt: number; codec: CodecName | 'telephone-event'; clockRate: number }[];
  ptime: number;
  direction: Direction;
}

function audioMedia(spec: AudioLineSpec): Record<string, unknown> {
  return {
    type: 'audio',
    port: spec.port,
    protocol: spec.protocol,
    payloads: spec.payloads.map((p) => p.pt).join(' '),
    rtp: spec.payloads.map((p) => ({
      payload: p.pt,
      codec: p.codec === 'telephone-event' ? 'telephone-event' : CODECS[p.codec].encodingName,
      rate: p.clockRate,
    })),
    fmtp: spec.payloads.filter((p) => p.codec === 'telephone-event').map((p) => ({ payload: p.pt, config: DTMF_EVENTS })),
    ptime: spec.ptime,
    direction: spec.direction,
  };
}

function writeSdp(address: string, sessionId: string, sessionVersion: number, media: Record<string, unknown>[]): string {
  const ipVer = isIPv6(address) ? 6 : 4;
  return sdpTransform.write({
    version: 0,
    origin: { username: '-', sessionId, sessionVersion, netType: 'IN', ipVer, address },
    name: '-',
    connection: { version: ipVer, ip: address },
    timing: { start: 0, stop: 0 },
    media,
  });
}

const withoutOrigin = (sdp: string): string => sdp.replace(/^o=.*$/m, '');

/**
 * Answers an SDP offer: picks the first audio stream we can take and in it the offerer's most
 * preferred codec among ours, plus telephone-event at that codec's clock rate; every other m= line
 * is refused with port 0. Our direction mirrors the offer's (sendonly -> recvonly, ...); an old-style
 * hold (c=0.0.0.0) counts as the peer not wanting to receive. On a re-INVITE pass the previous
 * answer: an offer repeating the previous o= version gets the same answer, and our o= version goes
 * up only when the answer changes. Throws SdpNotAcceptableError (488) or SdpMalformedError (400).
 */
export function answerOffer(offer: string, caps: MediaCapabilities, ctx: AnswerContext): SdpAnswer {
  const sdp = readSdp(offer);
  const prev = ctx.previous;
  if (prev && sdp.origin && prev.remoteOrigin && sdp.origin.sessionId === prev.remoteOrigin.sessionId && sdp.origin.sessionVersion === prev.remoteOrigin.sessionVersion) {
    return prev;
  }
  const codecs = caps.codecs ?? DEFAULT_CODECS;
  const teRates = caps.telephoneEventRates ?? DEFAULT_TE_RATES;
  const ptime = caps.ptime ?? 20;
  let chosen: { index: number; line: SdpMediaLine; choice: Choice } | undefined;
  sdp.media.forEach((line, index) => {
    if (chosen || line.type !== 'audio' || line.port === 0 || !isRtpAvp(line.protocol)) return;
    const choice = choose(line, codecs, teRates);
    if (choice) chosen = { index, line, choice };
  });
  if (!chosen) {
    const audio = sdp.media.filter((m) => m.type === 'audio' && m.port !== 0);
    const reason = audio.length === 0 ? 'no active audio stream' : audio.every((m) => !isRtpAvp(m.protocol)) ? 'unsupported transport' : 'no common codec';
    throw new SdpNotAcceptableError(reason, { offered: audio.map((m) => `${m.protocol} ${m.formats}`) });
  }
  const { line, choice } = chosen;
  let peer = line.direction;
  if (line.connection && isNullAddress(line.connection.address)) {
    peer = peer === 'sendrecv' ? 'sendonly' : peer === 'recvonly' ? 'inactive' : peer;
  }
  const ours = mirrorDirection(peer);
  const media = negotiated(line, choice, ours, ptime);
  const payloads: AudioLineSpec['payloads'] = [{ pt: choice.payloadType, codec: choice.codec, clockRate: media.clockRate }];
  if (choice.telephoneEvent) payloads.push({ pt: choice.telephoneEvent.payloadType, codec: 'telephone-event', clockRate: choice.telephoneEvent.clockRate });
  const lines = sdp.media.map((m, i) =>
    i === chosen?.index
      ? audioMedia({ port: caps.rtpPort, protocol: m.protocol, payloads, ptime, direction: ours })
      : { type: m.type, port: 0, protocol: m.protocol, payloads: m.formats || '0', rtp: [], fmtp: [] },
  );
  let version = prev ? prev.sessionVersion : 0;
  let text = writeSdp(caps.address, ctx.sessionId, version, lines);
  if (prev && withoutOrigin(text) !== withoutOrigin(prev.sdp)) {
    version = prev.sessionVersion + 1;
    text = writeSdp(caps.address, ctx.sessionId, version, lines);
  }
  const remoteOrigin = sdp.origin ? { sessionId: sdp.origin.sessionId, sessionVersion: sdp.origin.sessionVersion } : undefined;
  return { sdp: text, media, sessionId: ctx.sessionId, sessionVersion: version, remoteOrigin };
}

export interface OfferOptions {
  sessionId: string;
  sessionVersion: number;
  /** Our direction; sendonly puts the peer on hold. */
  direction?: Direction;
}

/** An offer with one audio stream: our codecs in our order, telephone-event at each clock rate we take. */
export function createOffer(caps: MediaCapabilities, opts: OfferOptions): string {
  const codecs = caps.codecs ?? DEFAULT_CODECS;
  const teRates = caps.telephoneEventRates ?? DEFAULT_TE_RATES;
  const payloads: AudioLineSpec['payloads'] = codecs.map((c) => ({ pt: OFFER_PT[c], codec: c, clockRate: CODECS[c].clockRate }));
  const rates = [...new Set(codecs.map((c) => CODECS[c].clockRate))].filter((r) => teRates.includes(r));
  for (const rate of rates) payloads.push({ pt: OFFER_TE_PT[rate] ?? 101, codec: 'telephone-event', clockRate: rate });
  const media = audioMedia({ port: caps.rtpPort, protocol: 'RTP/AVP', payloads, ptime: caps.ptime ?? 20, direction: opts.direction ?? 'sendrecv' });
  return writeSdp(caps.address, opts.sessionId, opts.sessionVersion, [media]);
}

/** Reads the answer to our offer (made by createOffer with the same caps). Throws SdpNotAcceptableError if it refuses audio. */
export function readAnswer(answer: string, caps: MediaCapabilities): NegotiatedMedia {
  const sdp = readSdp(answer);
  const codecs = caps.codecs ?? DEFAULT_CODECS;
  const teRates = caps.telephoneEventRates ?? DEFAULT_TE_RATES;
  const line = sdp.media.find((m) => m.type === 'audio' && m.port !== 0 && isRtpAvp(m.protocol));
  if (!line) throw new SdpNotAcceptableError('the answer refused the audio stream');
  const choice = choose(line, codecs, teRates);
  if (!choice) throw new SdpNotAcceptableError('the answer has none of our codecs');
  let peer = line.direction;
  if (line.connection && isNullAddress(line.connection.address)) peer = peer === 'sendrecv' ? 'sendonly' : peer === 'recvonly' ? 'inactive' : peer;
  return negotiated(line, choice, mirrorDirection(peer), caps.ptime ?? 20);
}
