// WAV files of 16-bit PCM, the one reader and the one writer of the appliance: flite's and
// espeak-ng's output, call recordings, the caller simulator's prompts, the test peers' dumps.
// Here rather than in media/ or voice/: both read or write WAV and neither depends on the other.
//
// Reading (RIFF/WAVE, PCM or WAVE_FORMAT_EXTENSIBLE with a PCM sub-format, 16 bits, any rate and
// channel count): chunks other than `fmt ` and `data` are skipped (LIST, fact, cue...), odd-sized
// chunks have their pad byte. A data chunk whose size a streaming writer never filled in (0 or
// 0xFFFFFFFF, as a recording cut short leaves it) or that runs past the end of the file (a file cut
// short) is read to the end of the file; `sized` says whether the header's sizes matched the file.
// Anything else malformed is a WavFormatError naming the problem, never a RangeError from a read
// past the end.
import { ApplianceError } from '../errors.js';

/** Audio as 16-bit samples. */
export interface PcmAudio {
  sampleRate: number;
  channels: number;
  /** Interleaved when channels > 1 (frame by frame: left, right, left, ...). */
  samples: Int16Array;
}

export interface WavAudio extends PcmAudio {
  /** The RIFF and data sizes in the header match the file: its writer finished it. */
  sized: boolean;
}

export type WavProblem =
  /** No RIFF/WAVE signature. */
  | 'not-wav'
  /** A chunk header or the fmt chunk is cut off. */
  | 'truncated'
  /** Not 16-bit integer PCM (float, A-law, 8 or 24 bits...). */
  | 'unsupported'
  /** No channels, no sample rate, or a block size that is not channels x 2 bytes. */
  | 'bad-format'
  /** A data chunk before any fmt chunk. */
  | 'no-fmt'
  | 'no-data';

export class WavFormatError extends ApplianceError {
  readonly problem: WavProblem;
  constructor(problem: WavProblem, message: string) {
    super('SPA_ERR_WAV_FORMAT', message, { details: { problem } });
    this.problem = problem;
  }
}

const FORMAT_PCM = 1;
const FORMAT_EXTENSIBLE = 0xfffe;
/** A data size a streaming writer leaves when it cannot go back to fill it in. */
const UNKNOWN_SIZE = 0xffffffff;
const MAX_SAMPLE_RATE = 768_000;

interface Fmt {
  channels: number;
  sampleRate: number;
  blockAlign: number;
}

/** Reads a 16-bit PCM WAV file. Throws WavFormatError on anything it cannot read as one. */
export function readWav(buf: Buffer): WavAudio {
  if (buf.length < 12 || buf.toString('latin1', 0, 4) !== 'RIFF' || buf.toString('latin1', 8, 12) !== 'WAVE') {
    throw new WavFormatError('not-wav', 'not a RIFF/WAVE file');
  }
  const riffSize = buf.readUInt32LE(4);
  let fmt: Fmt | null = null;
  let off = 12;
  while (off < buf.length) {
    if (off + 8 > buf.length) throw new WavFormatError('truncated', `a chunk header is cut off at byte ${off}`);
    const id = buf.toString('latin1', off, off + 4);
    const declared = buf.readUInt32LE(off + 4);
    const body = off + 8;
    const available = buf.length - body;
    if (id === 'fmt ') {
      fmt = readFmt(buf, body, Math.min(declared, available), declared);
    } else if (id === 'data') {
      if (!fmt) throw new WavFormatError('no-fmt', 'the data chunk comes before any fmt chunk');
      const unknown = declared === UNKNOWN_SIZE || (declared === 0 && available > 0) || declared > available;
      const bytes = unknown ? available : declared;
      const frames = Math.floor(bytes / fmt.blockAlign);
      const samples = new Int16Array(frames * fmt.channels);
      for (let i = 0; i < samples.length; i++) samples[i] = buf.readInt16LE(body + 2 * i);
      return { sampleRate: fmt.sampleRate, channels: fmt.channels, samples, sized: !unknown && riffSize === buf.length - 8 };
    }
    // Skipped chunk (or a second fmt): on to the next, past the pad byte of an odd size.
    if (declared > available) throw new WavFormatError('truncated', `the ${JSON.stringify(id)} chunk runs past the end of the file`);
    off = body + declared + (declared % 2);
  }
  throw new WavFormatError('no-data', 'no data chunk');
}

function readFmt(buf: Buffer, body: number, size: number, declared: number): Fmt {
  if (declared < 16) throw new WavFormatError('truncated', `the fmt chunk is ${declared} bytes, at least 16 are needed`);
  if (size < 16) throw new WavFormatError('truncated', 'the fmt chunk is cut off');
  let format = buf.readUInt16LE(body);
  const channels = buf.readUInt16LE(body + 2);
  const sampleRate = buf.readUInt32LE(body + 4);
  const blockAlign = buf.readUInt16LE(body + 12);
  const bits = buf.readUInt16LE(body + 14);
  // WAVE_FORMAT_EXTENSIBLE: the real format is the first two bytes of the sub-format GUID.
  if (format === FORMAT_EXTENSIBLE && size >= 26) format = buf.readUInt16LE(body + 24);
  if ((format !== FORMAT_PCM && format !== FORMAT_EXTENSIBLE) || bits !== 16) {
    throw new WavFormatError('unsupported', `unsupported WAV: format ${format}, ${bits} bits (16-bit PCM is read)`);
  }
  if (channels === 0) throw new WavFormatError('bad-format', 'the fmt chunk gives no channels');
  if (sampleRate === 0 || sampleRate > MAX_SAMPLE_RATE) throw new WavFormatError('bad-format', `sample rate ${sampleRate} Hz`);
  if (blockAlign !== channels * 2) throw new WavFormatError('bad-format', `block size ${blockAlign} for ${channels} channels of 16 bits`);
  return { channels, sampleRate, blockAlign };
}

/** One channel of interleaved audio (0 = left). */
export function channel(audio: PcmAudio, index: number): Int16Array {
  if (!Number.isInteger(index) || index < 0 || index >= audio.channels) throw new RangeError(`no channel ${index} in ${audio.channels}-channel audio`);
  const out = new Int16Array(Math.floor(audio.samples.length / audio.channels));
  for (let i = 0; i < out.length; i++) out[i] = audio.samples[i * audio.channels + index] ?? 0;
  return out;
}

export interface WavFormat {
  sampleRate: number;
  channels: number;
}

/** Size of the header wavHeader() writes: audio starts at this offset. */
export const WAV_HEADER_BYTES = 44;

/**
 * The 44-byte header of a 16-bit PCM WAV holding `dataBytes` of audio. A streaming writer (the
 * call recorder) writes it with 0 first, appends the audio, then writes it again at offset 0 with
 * the final size. Sizes beyond 4 GiB are capped (the file is then read to its end).
 */
export function wavHeader(format: WavFormat, dataBytes: number): Buffer {
  const { sampleRate, channels } = format;
  if (!Number.isInteger(channels) || channels < 1 || channels > 0xffff) throw new RangeError(`WAV channels ${channels}`);
  if (!Number.isInteger(sampleRate) || sampleRate < 1 || sampleRate > MAX_SAMPLE_RATE) throw new RangeError(`WAV sample rate ${sampleRate}`);
  const h = Buffer.alloc(WAV_HEADER_BYTES);
  h.write('RIFF', 0, 'latin1');
  h.writeUInt32LE(Math.min(UNKNOWN_SIZE, 36 + dataBytes), 4);
  h.write('WAVE', 8, 'latin1');
  h.write('fmt ', 12, 'latin1');
  h.writeUInt32LE(16, 16);
  h.writeUInt16LE(FORMAT_PCM, 20);
  h.writeUInt16LE(channels, 22);
  h.writeUInt32LE(sampleRate, 24);
  h.writeUInt32LE(sampleRate * channels * 2, 28);
  h.writeUInt16LE(channels * 2, 32);
  h.writeUInt16LE(16, 34);
  h.write('data', 36, 'latin1');
  h.writeUInt32LE(Math.min(UNKNOWN_SIZE, dataBytes), 40);
  return h;
}

/** A whole WAV file of `samples` (interleaved when channels > 1). */
export function wavFile(samples: Int16Array, format: WavFormat): Buffer {
  const header = wavHeader(format, samples.length * 2);
  if (samples.length % format.channels !== 0) throw new RangeError(`${samples.length} samples do not make whole ${format.channels}-channel frames`);
  const out = Buffer.alloc(WAV_HEADER_BYTES + samples.length * 2);
  header.copy(out, 0);
  for (let i = 0; i < samples.length; i++) out.writeInt16LE(samples[i] ?? 0, WAV_HEADER_BYTES + 2 * i);
  return out;
}
