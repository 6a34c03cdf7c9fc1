// Audio codecs the appliance speaks on RTP: G.711 µ-law (PCMU), G.711 A-law (PCMA) and linear
// 16-bit at 16 kHz (L16, network byte order). Each works on mono PCM at its own clock rate.
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from './g711.js';

export type CodecName = 'PCMU' | 'PCMA' | 'L16/16000';

export interface Codec {
  readonly name: CodecName;
  /** RTP payload type: static 0/8 for G.711, the negotiated dynamic one for L16. */
  readonly payloadType: number;
  /** RTP clock rate = sample rate of the PCM that encode() takes and decode() returns. */
  readonly clockRate: number;
  encode(pcm: Int16Array): Buffer;
  decode(payload: Buffer): Int16Array;
  /** Samples (= RTP timestamp units) in `ms` milliseconds of audio. */
  samplesPerFrame(ms: number): number;
}

/** What SDP needs to know about a codec we support. */
export interface CodecDescription {
  readonly name: CodecName;
  /** rtpmap encoding name as written in SDP. */
  readonly encodingName: string;
  readonly clockRate: number;
  /** Static payload type (RFC 3551), or undefined for a dynamic one. */
  readonly staticPayloadType: number | undefined;
}

export const CODECS: Readonly<Record<CodecName, CodecDescription>> = {
  PCMU: { name: 'PCMU', encodingName: 'PCMU', clockRate: 8000, staticPayloadType: 0 },
  PCMA: { name: 'PCMA', encodingName: 'PCMA', clockRate: 8000, staticPayloadType: 8 },
  'L16/16000': { name: 'L16/16000', encodingName: 'L16', clockRate: 16000, staticPayloadType: undefined },
};

abstract class BaseCodec implements Codec {
  abstract readonly name: CodecName;
  abstract readonly clockRate: number;
  constructor(readonly payloadType: number) {}
  abstract encode(pcm: Int16Array): Buffer;
  abstract decode(payload: Buffer): Int16Array;
  samplesPerFrame(ms: number): number {
    return Math.round((this.clockRate * ms) / 1000);
  }
}

export class PcmuCodec extends BaseCodec {
  readonly name = 'PCMU' as const;
  readonly clockRate = 8000;
  constructor(payloadType = 0) {
    super(payloadType);
  }
  encode(pcm: Int16Array): Buffer {
    return encodeUlaw(pcm);
  }
  decode(payload: Buffer): Int16Array {
    return decodeUlaw(payload);
  }
}

export class PcmaCodec extends BaseCodec {
  readonly name = 'PCMA' as const;
  readonly clockRate = 8000;
  constructor(payloadType = 8) {
    super(payloadType);
  }
  encode(pcm: Int16Array): Buffer {
    return encodeAlaw(pcm);
  }
  decode(payload: Buffer): Int16Array {
    return decodeAlaw(payload);
  }
}

/** L16 mono at 16 kHz: two bytes per sample, big-endian (RFC 3551 §4.5.11). */
export class L16Codec extends BaseCodec {
  readonly name = 'L16/16000' as const;
  readonly clockRate = 16000;
  encode(pcm: Int16Array): Buffer {
    const out = Buffer.allocUnsafe(pcm.length * 2);
    for (let i = 0; i < pcm.length; i++) out.writeInt16BE(pcm[i] ?? 0, i * 2);
    return out;
  }
  decode(payload: Buffer): Int16Array {
    const n = payload.length >> 1; // a stray odd byte is ignored
    const out = new Int16Array(n);
    for (let i = 0; i < n; i++) out[i] = payload.readInt16BE(i * 2);
    return out;
  }
}

/** Builds the codec for a negotiated name and payload type. */
export function createCodec(name: CodecName, payloadType: number): Codec {
  switch (name) {
    case 'PCMU':
      return new PcmuCodec(payloadType);
    case 'PCMA':
      return new PcmaCodec(payloadType);
    case 'L16/16000':
      return new L16Codec(payloadType);
  }
}
