// ASR with Debian's pocketsphinx (0.8+5prealpha: `pocketsphinx_continuous`), the fallback engine
// when no Whisper model is installed. One decoder process per utterance, restricted by a JSGF
// grammar built for the turn; free turns (an open question) decode with the spa's caller language
// model when there is one (lm/caller-lm.ts), and with the en-us language model when no grammar
// is given.
//
// Audio reaches the decoder through a named pipe (mkfifo in a per-utterance temp folder, passed as
// `-infile`): a real OS pipe that it fread()s, never the socketpair Node gives a child's stdin. The
// decoder's own VAD may cut an utterance into several segments; their words are joined. Word
// timings come from `-time yes`.
//
// stream() starts the decoder when the caller starts talking and writes each frame into the pipe
// as it arrives, so the decoder keeps up with the caller and the end of the turn leaves only the
// last fread() block (2048 samples, 128 ms) and the final search to do. Decoders are started ahead
// of need (model and grammar loaded, blocked opening their pipe) for the grammar last used, so a
// turn never waits for one to load.
import { access, readFile, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import type { Logger } from '../../log.js';
import { systemClock, type Clock, type TimerHandle } from '../../shared/clock.js';
import { buildJsgf, parseDictionary } from './jsgf.js';
import { DecoderProcess, launchDecoder, WarmDecoders } from './pocketsphinx-process.js';
import { AsrEngineFailedError, AsrEngineMissingError, AsrTimeoutError } from './types.js';
import type { Asr, AsrCapabilities, AsrGrammar, AsrRecognizeOptions, AsrResult, AsrStream, AsrWord } from './types.js';
import type { LanguageModelFiles } from './lm/caller-lm.js';
import { hasVoicedSpeech } from './voicing.js';

const ENGINE = 'pocketsphinx';

export interface PocketsphinxConfig {
  /** Default `pocketsphinx_continuous`, looked up on PATH. */
  binary?: string;
  /** Folder with `en-us/` (acoustic model), `cmudict-en-us.dict`, `en-us.lm.bin` (Debian's pocketsphinx-en-us). */
  modelDir?: string;
  /** Hard limit per utterance, after which the decoder is killed. Default 10 s. */
  timeoutMs?: number;
  /** Words always allowed in open grammars (the service catalogue's names and descriptions). */
  vocabulary?: readonly string[];
  /** Answer clips without voiced speech with '' instead of decoding them. Default true. */
  voicingGate?: boolean;
  /** Where per-utterance temp folders go. Default the OS temp dir. */
  tmpDir?: string;
  /**
   * Word insertion probability (`-wip`). Default 1e-3: with pocketsphinx's 0.65, free word loops
   * fill pauses with short words ("a", "the"); 1e-3 took the conformance WER from 37% to 6%.
   */
  wordInsertionPenalty?: number;
  /** Extra decoder flags, e.g. ['-wip', '1e-5'] (tuning; defaults are set here). */
  extraArgs?: readonly string[];
  /** Decoders kept loaded for each of the two grammars last used (0: start one per utterance). Default 2: a turn and a barge-in check beside it. */
  warmDecoders?: number;
  /** A warm decoder unused this long is stopped. Default 60 s. */
  warmIdleMs?: number;
  /** A live-fed utterance never finished or cancelled is killed after this long. Default 120 s. */
  maxUtteranceMs?: number;
  /** The language model free turns decode with (grammar.free); null or absent: they use their phrases and words. */
  languageModel?: { current(): LanguageModelFiles | null };
  /** Language weight (-lw) with that model. Default 7 (tuned on the tuning voices and dev sentences, test/bench/hearing-lm.ts). */
  lmWeight?: number;
  /** Word insertion penalty (-wip) with that model. Default 0.65, pocketsphinx's own (tuned likewise). */
  lmWordInsertionPenalty?: number;
}

export interface PocketsphinxDeps {
  log: Logger;
  config?: PocketsphinxConfig;
  /** `elapsedMs` (monotonic), the utterance time limits and the warm decoders' idle time. Default the system clock. */
  clock?: Clock;
}

interface Loaded {
  binary: string;
  hmm: string;
  dict: string;
  lm: string;
  dictionary: Set<string>;
  /** The dictionary's lines by word (alternate pronunciations "word(2)" under "word"). */
  pronunciations: Map<string, string[]>;
}

/** A turn's decoder flags and files, and the key warm decoders are kept under. */
interface Plan {
  key: string;
  grammarText: string | null;
  turnDict: string | null;
  args: string[];
}

export class PocketsphinxAsr implements Asr {
  readonly name = ENGINE;
  /** `streaming`: stream() feeds the decoder live; its partials are the segments it has closed at pauses. */
  readonly capabilities: AsrCapabilities = { streaming: true, grammar: true, sampleRate: 16000 };
  readonly #deps: PocketsphinxDeps;
  #loading: Promise<Loaded> | null = null;
  #loaded: Loaded | null = null;
  readonly #active = new Set<DecoderProcess>();
  readonly #streams = new Set<PocketsphinxStream>();
  /** Decoders being killed and removed (stop() waits for them). */
  readonly #disposing = new Set<Promise<void>>();
  readonly #warm: WarmDecoders;

  constructor(deps: PocketsphinxDeps) {
    this.#deps = deps;
    const config = deps.config ?? {};
    this.#warm = new WarmDecoders({
      perKey: config.warmDecoders ?? 2,
      maxKeys: 2,
      idleMs: config.warmIdleMs ?? 60_000,
      clock: deps.clock ?? systemClock,
      onError: (err) => deps.log.debug({ err }, 'asr warm decoder failed to start'),
    });
  }

  async start(): Promise<void> {
    this.#warm.reopen();
    await this.#load();
  }

  async stop(): Promise<void> {
    for (const s of this.#streams) s.cancel();
    this.#streams.clear();
    const active = [...this.#active];
    this.#active.clear();
    await Promise.all([this.#warm.close(), ...active.map((d) => d.dispose()), ...this.#disposing]);
    this.#loading = null;
    this.#loaded = null;
  }

  async recognize(audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    const t0 = this.#now();
    const loaded = await this.#load();
    opts.signal?.throwIfAborted();
    const config = this.#deps.config ?? {};
    if ((config.voicingGate ?? true) && !hasVoicedSpeech(audio, 16000)) {
      return { text: '', confidence: null, words: [], elapsedMs: this.#now() - t0 };
    }
    const { decoder, grammar, key } = await this.#open(loaded, opts.grammar);
    decoder.feeder.write(audio);
    decoder.feeder.end();
    const result = await this.#result(decoder, grammar, opts.signal, config.timeoutMs ?? 10_000);
    this.#refill(loaded, opts.grammar, key);
    return { ...result, elapsedMs: this.#now() - t0 };
  }

  /**
   * An utterance fed live: the decoder starts now (a warm one when there is one) and decodes while
   * the caller talks, so finish() only waits for the tail. Audio before the decoder is up is kept.
   */
  stream(opts: AsrRecognizeOptions = {}): AsrStream {
    const s = new PocketsphinxStream({
      open: async () => {
        const loaded = await this.#load();
        const opened = await this.#open(loaded, opts.grammar);
        return { ...opened, refill: () => this.#refill(loaded, opts.grammar, opened.key) };
      },
      result: (decoder, grammar, signal) => this.#result(decoder, grammar, signal, this.#deps.config?.timeoutMs ?? 10_000),
      discard: (which) => {
        const disposing = Promise.resolve(which).then(
          (d) => {
            const decoder = d instanceof DecoderProcess ? d : d.decoder;
            this.#active.delete(decoder);
            return decoder.dispose();
          },
          () => undefined,
        );
        this.#disposing.add(disposing);
        void disposing.finally(() => this.#disposing.delete(disposing));
        return disposing;
      },
      voicingGate: this.#deps.config?.voicingGate ?? true,
      maxMs: this.#deps.config?.maxUtteranceMs ?? 120_000,
      clock: this.#clock,
      signal: opts.signal,
      onDone: () => this.#streams.delete(s),
    });
    this.#streams.add(s);
    return s;
  }

  get #clock(): Clock {
    return this.#deps.clock ?? systemClock;
  }

  #now(): number {
    return this.#clock.monotonic();
  }

  #load(): Promise<Loaded> {
    this.#loading ??= this.#check().then(
      (loaded) => (this.#loaded = loaded),
      (err: unknown) => {
        this.#loading = null;
        throw err;
      },
    );
    return this.#loading;
  }

  /** The decoder flags and files for a turn, and the key warm decoders are kept under. */
  #plan(loaded: Loaded, grammar: AsrGrammar | undefined): Plan {
    const config = this.#deps.config ?? {};
    const lm = grammar?.free ? config.languageModel?.current() : null;
    if (lm) {
      const args = ['-hmm', loaded.hmm, '-dict', lm.dict, '-lm', lm.lm, '-time', 'yes', '-lw', String(config.lmWeight ?? 7), '-wip', String(config.lmWordInsertionPenalty ?? 0.65), ...(config.extraArgs ?? [])];
      return { key: JSON.stringify([args, lm.key]), grammarText: null, turnDict: null, args };
    }
    const args = ['-hmm', loaded.hmm, '-dict', loaded.dict, '-time', 'yes', '-wip', String(config.wordInsertionPenalty ?? 1e-3)];
    let grammarText: string | null = null;
    let turnDict: string | null = null;
    if (grammar) {
      const built = buildJsgf(grammar, { dictionary: loaded.dictionary, vocabulary: config.vocabulary });
      if (built.dropped.length > 0) {
        this.#deps.log.debug({ droppedWords: built.dropped.length, pii: { dropped: built.dropped } }, 'asr grammar words not in the dictionary');
      }
      grammarText = built.jsgf;
      // A dictionary of just this turn's words: the decoder then starts in ~50 ms instead of
      // ~300 ms spent reading the 130,000-word dictionary (measured on the dev machine).
      turnDict = turnDictionary(grammarText, loaded.pronunciations);
    } else {
      args.push('-lm', loaded.lm);
    }
    args.push(...(config.extraArgs ?? []));
    return { key: JSON.stringify([args, grammarText]), grammarText, turnDict, args };
  }

  #launch(loaded: Loaded, plan: Plan): Promise<DecoderProcess> {
    const config = this.#deps.config ?? {};
    return launchDecoder({
      binary: loaded.binary,
      tmpRoot: config.tmpDir ?? tmpdir(),
      prepare: async (dir) => {
        const args = [...plan.args];
        if (plan.grammarText !== null) {
          await writeFile(join(dir, 'turn.gram'), plan.grammarText);
          args.push('-jsgf', join(dir, 'turn.gram'));
          if (plan.turnDict) {
            await writeFile(join(dir, 'turn.dict'), plan.turnDict);
            args[args.indexOf('-dict') + 1] = join(dir, 'turn.dict');
          }
        }
        return args;
      },
    }).catch((err: unknown) => {
      throw new AsrEngineFailedError(ENGINE, `could not start the decoder: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
    });
  }

  /** A decoder for this turn: a warm one with the same flags and grammar, else a new one. */
  async #open(loaded: Loaded, grammar: AsrGrammar | undefined): Promise<{ decoder: DecoderProcess; grammar: boolean; key: string }> {
    const plan = this.#plan(loaded, grammar);
    const decoder = this.#warm.take(plan.key) ?? (await this.#launch(loaded, plan));
    this.#active.add(decoder);
    // The next utterance (or a barge-in check running beside this one) gets a loaded decoder.
    this.#refill(loaded, grammar, plan.key);
    return { decoder, grammar: plan.grammarText !== null, key: plan.key };
  }

  /** After a turn: start a warm decoder for the next one with the same grammar (off the turn's path). */
  #refill(loaded: Loaded, grammar: AsrGrammar | undefined, key: string): void {
    if (this.#loaded !== loaded) return; // stopped meanwhile
    setImmediate(() => {
      if (this.#loaded !== loaded) return;
      this.#warm.fill(key, () => this.#launch(loaded, this.#plan(loaded, grammar)));
    });
  }

  /** Waits for the decoder to read everything and exit; its stdout parsed, or a typed error. */
  async #result(decoder: DecoderProcess, grammar: boolean, signal: AbortSignal | undefined, timeoutMs: number): Promise<Omit<AsrResult, 'elapsedMs'>> {
    const feeder = decoder.feeder;
    let timedOut = false;
    const kill = (): void => {
      feeder.abort();
      decoder.kill();
    };
    const clock = this.#clock;
    const timer = clock.setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    if (signal?.aborted) kill();
    else signal?.addEventListener('abort', kill, { once: true });
    try {
      const [end] = await Promise.all([decoder.exited, feeder.done]);
      if (signal?.aborted) throw signal.reason;
      if (timedOut) throw new AsrTimeoutError(ENGINE, timeoutMs);
      if (end.error) {
        if ('code' in end.error && end.error.code === 'ENOENT') throw new AsrEngineMissingError(ENGINE, 'decoder binary', { cause: end.error });
        throw new AsrEngineFailedError(ENGINE, end.error.message, { cause: end.error });
      }
      if (end.code !== 0) {
        throw new AsrEngineFailedError(ENGINE, `exit ${end.code ?? end.signal ?? '?'}`, { details: { exitCode: end.code, signal: end.signal, log: await decoder.logTail() } });
      }
      return parseOutput(decoder.stdout, grammar);
    } finally {
      clock.clearTimeout(timer);
      signal?.removeEventListener('abort', kill);
      this.#active.delete(decoder);
      await decoder.dispose();
    }
  }

  async #check(): Promise<Loaded> {
    const config = this.#deps.config ?? {};
    const binary = await findExecutable(config.binary ?? 'pocketsphinx_continuous');
    if (binary === null) throw new AsrEngineMissingError(ENGINE, `${config.binary ?? 'pocketsphinx_continuous'} (apt-get install pocketsphinx)`);
    const modelDir = config.modelDir ?? '/usr/share/pocketsphinx/model/en-us';
    const hmm = join(modelDir, 'en-us');
    const dict = join(modelDir, 'cmudict-en-us.dict');
    const lm = join(modelDir, 'en-us.lm.bin');
    for (const path of [join(hmm, 'mdef'), dict, lm]) {
      try {
        await access(path, constants.R_OK);
      } catch (cause) {
        throw new AsrEngineMissingError(ENGINE, `model file ${path} (apt-get install pocketsphinx-en-us)`, { cause });
      }
    }
    const text = await readFile(dict, 'utf8');
    const dictionary = parseDictionary(text);
    const pronunciations = new Map<string, string[]>();
    for (const line of text.split('\n')) {
      const head = line.split(/\s/, 1)[0];
      if (!head) continue;
      const word = head.replace(/\(\d+\)$/, '');
      const list = pronunciations.get(word);
      if (list) list.push(line);
      else pronunciations.set(word, [line]);
    }
    return { binary, hmm, dict, lm, dictionary, pronunciations };
  }

}

interface StreamDeps {
  open(): Promise<{ decoder: DecoderProcess; grammar: boolean; refill: () => void }>;
  result(decoder: DecoderProcess, grammar: boolean, signal: AbortSignal): Promise<Omit<AsrResult, 'elapsedMs'>>;
  /** Kills and forgets a decoder whose result is not wanted (once it has started). */
  discard(decoder: DecoderProcess | Promise<{ decoder: DecoderProcess }>): Promise<void>;
  voicingGate: boolean;
  maxMs: number;
  clock: Clock;
  signal: AbortSignal | undefined;
  onDone(): void;
}

/** One live-fed utterance (see AsrStream). cancel() kills its decoder; nothing is left behind. */
class PocketsphinxStream implements AsrStream {
  readonly #deps: StreamDeps;
  /** Audio written before the decoder was there (sent to it once it is). */
  #pending: Int16Array[] | null = [];
  readonly #audio: Int16Array[] = [];
  readonly #abort = new AbortController();
  readonly #opened: Promise<{ decoder: DecoderProcess; grammar: boolean; refill: () => void }>;
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
        if (this.#abort.signal.aborted) void deps.discard(opened.decoder);
        else {
          for (const chunk of this.#pending ?? []) opened.decoder.feeder.write(chunk);
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
    else this.#decoder?.feeder.write(copy);
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
      const result = await this.#deps.result(opened.decoder, opened.grammar, this.#abort.signal);
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

/** The dictionary lines for every word a JSGF grammar uses, or null when some word is missing. Pure. */
export function turnDictionary(jsgf: string, pronunciations: ReadonlyMap<string, readonly string[]>): string | null {
  const body = jsgf
    .split('\n')
    .filter((l) => !l.startsWith('#') && !/^\s*grammar\s/.test(l))
    .join(' ')
    .replace(/<[^>]*>/g, ' ');
  const words = new Set(body.match(/[a-z][a-z'.\-]*/g) ?? []);
  words.delete('public');
  const lines: string[] = [];
  for (const w of words) {
    const entry = pronunciations.get(w);
    if (!entry) return null;
    lines.push(...entry);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : null;
}

const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+|\(null\))$/i;

/** Parses `-time yes` output: a hypothesis line per segment, then "word start end posterior" lines. */
export function parseOutput(stdout: string, grammar: boolean): Omit<AsrResult, 'elapsedMs'> {
  const words: AsrWord[] = [];
  const hyps: string[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/i.exec(t);
    if (!m) {
      hyps.push(t);
      continue;
    }
    const word = (m[1] ?? '').replace(/\(\d+\)$/, '');
    if (FILLER.test(word)) continue;
    // Under a grammar pocketsphinx reports posterior 1 for every word: not a confidence.
    const p = Number(m[4]);
    words.push({
      word,
      startMs: Math.round(Number(m[2]) * 1000),
      endMs: Math.round(Number(m[3]) * 1000),
      confidence: grammar ? null : Math.min(1, Math.max(0, p)),
    });
  }
  const text = words.length > 0 ? words.map((w) => w.word).join(' ') : hyps.join(' ').replace(/\s+/g, ' ');
  const scores = words.map((w) => w.confidence).filter((c): c is number => c !== null);
  const confidence = grammar || scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
  return { text, confidence, words };
}

async function findExecutable(name: string): Promise<string | null> {
  const candidates = isAbsolute(name) || name.includes('/') ? [name] : (process.env['PATH'] ?? '').split(delimiter).filter(Boolean).map((d) => join(d, name));
  for (const path of candidates) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // next
    }
  }
  return null;
}
