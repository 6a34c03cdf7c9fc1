// Records a call as a stereo 16-bit PCM WAV: left = caller, right = the box. The two sides are kept
// aligned by sample count; a side that has sent nothing for more than maxSkewMs is padded with
// silence so the other is not held back. Audio streams to disk in batches (never the whole call in
// memory) and the RIFF/data sizes in the header are written when the recorder stops.
// A recording holds patient speech: the file is made 0600. A write that fails (disk full, disk
// gone read-only) ends the recording, not the call: what was written stays a valid WAV (the
// header is fixed up on stop when the disk allows), and the owner is told once through onError.
import { open } from 'node:fs/promises';
import type { Logger } from '../log.js';
import { PRIVATE_FILE_MODE } from '../store/private-files.js';
import { WAV_HEADER_BYTES, wavHeader } from '../shared/wav.js';
import { Downsampler2x } from './resampler.js';

/** The part of a file handle the recorder uses (node's FileHandle fits). */
export interface RecordingFile {
  write(buffer: Buffer, offset: number, length: number, position: number): Promise<{ bytesWritten: number }>;
  close(): Promise<void>;
}

/** Opens (creating or truncating) the file a recording goes to. */
export type OpenRecordingFile = (path: string) => Promise<RecordingFile>;

/** The default: a file only the daemon's user can read, whatever the umask or an older file's mode. */
export const openPrivateRecording: OpenRecordingFile = async (path) => {
  const file = await open(path, 'w', PRIVATE_FILE_MODE);
  try {
    await file.chmod(PRIVATE_FILE_MODE);
  } catch (err) {
    await file.close();
    throw err;
  }
  return file;
};

/** Receives both sides of a call frame by frame (RtpSession calls it once per 20 ms tick). */
export interface MediaTap {
  write(caller: Int16Array, box: Int16Array): void;
}

export interface CallRecorderOptions {
  path: string;
  /** Sample rate of the file; input is always 16 kHz. */
  sampleRate?: 16000 | 8000;
  maxSkewMs?: number;
  /** Bytes collected before a write to disk. */
  batchBytes?: number;
}

export interface CallRecorderStats {
  /** Stereo frames (sample pairs) in the file so far. */
  frames: number;
  paddedCaller: number;
  paddedBox: number;
  writeErrors: number;
  /** Bytes of audio (after the header) safely written. */
  writtenBytes: number;
}

export interface CallRecorderDeps {
  options: CallRecorderOptions;
  log?: Logger;
  /** Default: openPrivateRecording. */
  open?: OpenRecordingFile;
  /** The first write that failed: the recording stops there (called once). */
  onError?: (err: unknown) => void;
}

export interface RecordingResult {
  path: string;
  /** Audio in the file. */
  durationMs: number;
  /** false when a write failed: the file holds the call up to that point, or nothing usable. */
  complete: boolean;
}

class SampleFifo {
  private readonly chunks: Int16Array[] = [];
  private offset = 0;
  length = 0;

  push(pcm: Int16Array): void {
    if (pcm.length === 0) return;
    this.chunks.push(pcm);
    this.length += pcm.length;
  }

  /** Writes n samples to every second 16-bit slot of `out` starting at `slot`. */
  shiftInto(out: Buffer, slot: number, n: number): void {
    let i = 0;
    while (i < n) {
      const c = this.chunks[0];
      if (!c) break;
      out.writeInt16LE(c[this.offset] ?? 0, (slot + 2 * i) * 2);
      i++;
      if (++this.offset >= c.length) {
        this.chunks.shift();
        this.offset = 0;
      }
    }
    this.length -= i;
  }
}

export class CallRecorder implements MediaTap {
  readonly stats: CallRecorderStats = { frames: 0, paddedCaller: 0, paddedBox: 0, writeErrors: 0, writtenBytes: 0 };
  private readonly sampleRate: number;
  private readonly maxSkew: number;
  private readonly batchBytes: number;
  private readonly caller = new SampleFifo();
  private readonly box = new SampleFifo();
  private readonly down: [Downsampler2x, Downsampler2x] | undefined;
  private file: RecordingFile | undefined;
  private position = WAV_HEADER_BYTES;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;
  /** A write failed: nothing more is written but the final header. */
  private failed = false;

  constructor(private readonly deps: CallRecorderDeps) {
    const o = deps.options;
    this.sampleRate = o.sampleRate ?? 16000;
    this.maxSkew = Math.round(((o.maxSkewMs ?? 200) * this.sampleRate) / 1000);
    this.batchBytes = o.batchBytes ?? 64 * 1024;
    this.down = this.sampleRate === 8000 ? [new Downsampler2x(), new Downsampler2x()] : undefined;
  }

  get path(): string {
    return this.deps.options.path;
  }

  /** Creates the file (replacing one at the path) with a provisional header. Rejects when it cannot. */
  async start(): Promise<void> {
    const file = await (this.deps.open ?? openPrivateRecording)(this.path);
    try {
      await file.write(wavHeader({ sampleRate: this.sampleRate, channels: 2 }, 0), 0, WAV_HEADER_BYTES, 0);
    } catch (err) {
      await file.close().catch(() => undefined);
      throw err;
    }
    this.file = file;
  }

  /** false once a write has failed. */
  get healthy(): boolean {
    return !this.failed;
  }

  /** One tick of both sides (same length, 16 kHz). */
  write(caller: Int16Array, box: Int16Array): void {
    this.appendCaller(caller);
    this.appendBox(box);
  }

  appendCaller(pcm: Int16Array): void {
    if (this.stopped) return;
    this.caller.push(this.down ? this.down[0].process(pcm) : pcm.slice());
    this.align(this.caller, this.box, 'paddedBox');
    this.drain();
  }

  appendBox(pcm: Int16Array): void {
    if (this.stopped) return;
    this.box.push(this.down ? this.down[1].process(pcm) : pcm.slice());
    this.align(this.box, this.caller, 'paddedCaller');
    this.drain();
  }

  /** Resolves when the batches handed to the disk so far are written. */
  async written(): Promise<void> {
    await this.writing;
  }

  /**
   * Pads the shorter side to the end, writes the rest and the final header (sized to what was
   * really written), closes the file. Never rejects: a failure shows as complete = false.
   */
  async stop(): Promise<RecordingResult> {
    if (!this.stopped) {
      this.stopped = true;
      const gap = this.caller.length - this.box.length;
      if (gap > 0) this.padTo(this.box, gap, 'paddedBox');
      if (gap < 0) this.padTo(this.caller, -gap, 'paddedCaller');
      this.drain();
      this.writeBatch();
      const file = this.file;
      this.file = undefined;
      this.writing = this.writing.then(async () => {
        if (!file) return;
        try {
          await file.write(wavHeader({ sampleRate: this.sampleRate, channels: 2 }, this.audioBytes), 0, WAV_HEADER_BYTES, 0);
        } catch (err) {
          this.fail(err);
        }
        try {
          await file.close();
        } catch (err) {
          this.fail(err);
        }
      });
    }
    await this.writing;
    return { path: this.path, durationMs: Math.round((this.audioBytes / 4 / this.sampleRate) * 1000), complete: !this.failed };
  }

  /** Whole stereo frames written. */
  private get audioBytes(): number {
    return this.stats.writtenBytes - (this.stats.writtenBytes % 4);
  }

  private fail(err: unknown): void {
    this.stats.writeErrors++;
    if (this.failed) return;
    this.failed = true;
    this.deps.log?.warn({ err }, 'call recording write failed: the recording stops here, the call goes on');
    try {
      this.deps.onError?.(err);
    } catch (cbErr) {
      this.deps.log?.error({ err: cbErr }, 'recording error handler failed');
    }
  }

  private align(ahead: SampleFifo, behind: SampleFifo, counter: 'paddedCaller' | 'paddedBox'): void {
    const lag = ahead.length - behind.length;
    if (lag > this.maxSkew) this.padTo(behind, lag - this.maxSkew, counter);
  }

  private padTo(fifo: SampleFifo, n: number, counter: 'paddedCaller' | 'paddedBox'): void {
    fifo.push(new Int16Array(n));
    this.stats[counter] += n;
  }

  private drain(): void {
    const n = Math.min(this.caller.length, this.box.length);
    if (n === 0) return;
    const out = Buffer.allocUnsafe(n * 4);
    this.caller.shiftInto(out, 0, n);
    this.box.shiftInto(out, 1, n);
    this.stats.frames += n;
    this.pending.push(out);
    this.pendingBytes += out.length;
    if (this.pendingBytes >= this.batchBytes) this.writeBatch();
  }

  private writeBatch(): void {
    if (this.pendingBytes === 0) return;
    const data = Buffer.concat(this.pending, this.pendingBytes);
    this.pending = [];
    this.pendingBytes = 0;
    const file = this.file;
    if (!file || this.failed) return; // not started, or the disk refused: nothing more is written
    const at = this.position;
    this.position += data.length;
    this.writing = this.writing.then(async () => {
      if (this.failed) return;
      try {
        const { bytesWritten } = await file.write(data, 0, data.length, at);
        this.stats.writtenBytes += bytesWritten;
        if (bytesWritten < data.length) this.fail(Object.assign(new Error('short write: the disk is full'), { code: 'ENOSPC' }));
      } catch (err) {
        this.fail(err);
      }
    });
  }
}
