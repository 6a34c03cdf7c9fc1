// One utterance fed to a pocketsphinx decoder live, while the caller talks (PocketsphinxAsr.stream()).
import type { Clock, TimerHandle } from '../../shared/clock.js';
import type { AudioShaper } from './narrowband.js';
import type { DecoderProcess } from './pocketsphinx-process.js';
import { parseOutput } from './sphinx-output.js';
import type { RejectionRule } from './sphinx-score.js';
import { AsrEngineFailedError } from './types.js';
import type { AsrResult, AsrStream } from './types.js';
import { hasVoicedSpeech } from './voicing.js';

const ENGINE = 'pocketsphinx';

/** How a decoder's output is read: under a grammar or not, and whether answers may be rejected. */
export interface ResultCheck {
  grammar: boolean;
  reject: RejectionRule | null;
}

interface OpenedStream {
  decoder: DecoderProcess;
  check: ResultCheck;
  shaper: AudioShaper | null;
  refill: () => void;
}

export interface StreamDeps {
  open(): Promise<OpenedStream>;
  result(decoder: DecoderProcess, check: ResultCheck, signal: AbortSignal): Promise<Omit<AsrResult, 'elapsedMs'>>;
  /** Kills and forgets a decoder whose result is not wanted (once it has started). */
  discard(decoder: DecoderProcess | Promise<{ decoder: DecoderProcess }>): Promise<void>;
  voicingGate: boolean;
  maxMs: number;
  clock: Clock;
  signal: AbortSignal | undefined;
  onDone(): void;
}

/** One live-fed utterance (see AsrStream). cancel() kills its decoder; nothing is left behind. */
export class PocketsphinxStream implements AsrStream {
  readonly #deps: StreamDeps;
  /** Audio written before the decoder was there (sent to it once it is). */
  #pending: Int16Array[] | null = [];
  readonly #audio: Int16Array[] = [];
  readonly #abort = new AbortController();
  readonly #opened: Promise<OpenedStream>;
  #shaper: AudioShaper | null = null;
  readonly #limit: TimerHandle;
  #decoder: DecoderProcess | null = null;
  #state: 'open' | 'finishing' | 'done' = 'open';

  constructor(deps: StreamDeps) {
    this.#deps = deps;
    const onAbort = (): void => this.cancel();
    if (deps.signal?.aborted) queueMicrotask(onAbort);
    else deps.signal?.addEventListener('abort', onAbort, { once: true });
    // A stream nobody finishes (a bug elsewhere) must not keep a decoder for ever.
    this.#limit = deps.clock.setTimeout(() => this.cancel(), deps.maxMs, { unref: true });
    this.#opened = deps.open().then(
      (opened) => {
        this.#decoder = opened.decoder;
        this.#shaper = opened.shaper;
        if (this.#abort.signal.aborted) void deps.discard(opened.decoder);
        else {
          for (const chunk of this.#pending ?? []) opened.decoder.feeder.write(this.#shape(chunk));
          if (this.#state !== 'open') opened.decoder.feeder.end();
        }
        this.#pending = null;
        return opened;
      },
      (err: unknown) => {
        this.#pending = null;
        throw err;
      },
    );
    // Failures surface from finish(); a cancelled stream's are nobody's concern.
    this.#opened.catch(() => undefined);
  }

  write(audio: Int16Array): void {
    if (this.#state !== 'open' || audio.length === 0) return;
    const copy = audio.slice();
    this.#audio.push(copy);
    if (this.#pending) this.#pending.push(copy);
    else this.#decoder?.feeder.write(this.#shape(copy));
  }

  #shape(audio: Int16Array): Int16Array {
    return this.#shaper ? this.#shaper.process(audio) : audio;
  }

  partial(): string {
    const out = this.#decoder?.stdout ?? '';
    const complete = out.slice(0, out.lastIndexOf('\n') + 1);
    return complete ? parseOutput(complete, true).text : '';
  }

  async finish(): Promise<AsrResult> {
    if (this.#state !== 'open') throw new AsrEngineFailedError(ENGINE, this.#abort.signal.aborted ? 'utterance cancelled' : 'utterance already finished');
    this.#state = 'finishing';
    const t0 = this.#deps.clock.monotonic();
    if (!this.#pending) this.#decoder?.feeder.end(); // else ended as soon as the decoder is there
    try {
      if (this.#deps.voicingGate && !hasVoicedSpeech(concat(this.#audio), 16000)) {
        this.#abort.abort(new AsrEngineFailedError(ENGINE, 'no voiced speech'));
        const opened = await this.#opened.catch(() => null);
        if (opened) await this.#deps.discard(opened.decoder);
        return { text: '', confidence: null, words: [], elapsedMs: this.#deps.clock.monotonic() - t0 };
      }
      const opened = await this.#opened;
      const result = await this.#deps.result(opened.decoder, opened.check, this.#abort.signal);
      opened.refill();
      return { ...result, elapsedMs: this.#deps.clock.monotonic() - t0 };
    } finally {
      this.#close();
    }
  }

  cancel(): void {
    if (this.#state === 'done') return;
    const wasOpen = this.#state === 'open';
    this.#abort.abort(new AsrEngineFailedError(ENGINE, 'utterance cancelled'));
    this.#decoder?.feeder.abort();
    // While finishing, the abort signal makes finish() kill the decoder and reject.
    if (wasOpen) {
      this.#close();
      void this.#deps.discard(this.#opened);
    }
  }

  #close(): void {
    this.#state = 'done';
    this.#deps.clock.clearTimeout(this.#limit);
    this.#audio.length = 0;
    this.#deps.onDone();
  }
}

function concat(chunks: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(chunks.reduce((n, c) => n + c.length, 0));
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
