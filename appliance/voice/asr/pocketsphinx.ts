// ASR with Debian's pocketsphinx (0.8+5prealpha: `pocketsphinx_continuous`), the fallback engine
// when no Whisper model is installed. One decoder process per utterance, restricted by a JSGF
// grammar built for the turn (or the en-us language model when no grammar is given).
//
// Audio reaches the decoder through a named pipe (mkfifo in a per-utterance temp folder, passed as
// `-infile`): a real OS pipe that it fread()s, never the socketpair Node gives a child's stdin. The decoder's own VAD may cut an utterance into several segments;
// their words are joined. Word timings come from `-time yes`.
import { spawn } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdtemp, open, readFile, rm, writeFile } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Logger } from '../../log.js';
import { buildJsgf, parseDictionary } from './jsgf.js';
import { AsrEngineFailedError, AsrEngineMissingError, AsrTimeoutError } from './types.js';
import type { Asr, AsrCapabilities, AsrRecognizeOptions, AsrResult, AsrWord } from './types.js';
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
}

export interface PocketsphinxDeps {
  log: Logger;
  config?: PocketsphinxConfig;
  /** Monotonic milliseconds, for `elapsedMs`. */
  now?: () => number;
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

export class PocketsphinxAsr implements Asr {
  readonly name = ENGINE;
  readonly capabilities: AsrCapabilities = { streaming: false, grammar: true, sampleRate: 16000 };
  readonly #deps: PocketsphinxDeps;
  #loading: Promise<Loaded> | null = null;
  readonly #running = new Set<AbortController>();

  constructor(deps: PocketsphinxDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    await this.#load();
  }

  async stop(): Promise<void> {
    for (const c of this.#running) c.abort(new AsrEngineFailedError(ENGINE, 'stopped'));
    this.#running.clear();
    this.#loading = null;
  }

  async recognize(audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    const now = this.#deps.now ?? (() => performance.now());
    const t0 = now();
    const loaded = await this.#load();
    opts.signal?.throwIfAborted();
    const config = this.#deps.config ?? {};
    if ((config.voicingGate ?? true) && !hasVoicedSpeech(audio, 16000)) {
      return { text: '', confidence: null, words: [], elapsedMs: now() - t0 };
    }
    const args = ['-hmm', loaded.hmm, '-dict', loaded.dict, '-time', 'yes', '-wip', String(config.wordInsertionPenalty ?? 1e-3)];
    let grammarText: string | null = null;
    if (opts.grammar) {
      const built = buildJsgf(opts.grammar, { dictionary: loaded.dictionary, vocabulary: config.vocabulary });
      if (built.dropped.length > 0) {
        this.#deps.log.debug({ droppedWords: built.dropped.length, pii: { dropped: built.dropped } }, 'asr grammar words not in the dictionary');
      }
      grammarText = built.jsgf;
    }
    const dir = await mkdtemp(join(config.tmpDir ?? tmpdir(), 'spa-asr-'));
    const controller = new AbortController();
    this.#running.add(controller);
    const onAbort = (): void => controller.abort(opts.signal?.reason);
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (grammarText !== null) {
        await writeFile(join(dir, 'turn.gram'), grammarText);
        args.push('-jsgf', join(dir, 'turn.gram'));
        // A dictionary of just this turn's words: the decoder then starts in ~50 ms instead of
        // ~300 ms spent reading the 130,000-word dictionary (measured on the dev machine).
        const turnDict = turnDictionary(grammarText, loaded.pronunciations);
        if (turnDict) {
          await writeFile(join(dir, 'turn.dict'), turnDict);
          args[args.indexOf('-dict') + 1] = join(dir, 'turn.dict');
        }
      } else {
        args.push('-lm', loaded.lm);
      }
      const fifo = join(dir, 'audio.raw');
      await runQuiet('mkfifo', ['-m', '600', fifo]);
      args.push('-infile', fifo, '-logfn', join(dir, 'decoder.log'), ...(config.extraArgs ?? []));
      const out = await this.#decode(loaded.binary, args, fifo, audio, dir, controller.signal, config.timeoutMs ?? 10_000);
      const result = parseOutput(out, grammarText !== null);
      return { ...result, elapsedMs: now() - t0 };
    } finally {
      opts.signal?.removeEventListener('abort', onAbort);
      this.#running.delete(controller);
      await rm(dir, { recursive: true, force: true });
    }
  }

  #load(): Promise<Loaded> {
    this.#loading ??= this.#check().catch((err: unknown) => {
      this.#loading = null;
      throw err;
    });
    return this.#loading;
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

  /** Runs one decoder over `audio` fed through `fifo`; resolves with its stdout. */
  async #decode(binary: string, args: string[], fifo: string, audio: Int16Array, dir: string, signal: AbortSignal, timeoutMs: number): Promise<string> {
    const child = spawn(binary, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let gone = false;
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.resume();
    const closed = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, sig) => resolve({ code, signal: sig }));
    }).finally(() => (gone = true));
    let timedOut = false;
    const kill = (): void => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    };
    const timer = setTimeout(() => {
      timedOut = true;
      kill();
    }, timeoutMs);
    // Aborted while the temp files were being made: the event has fired already.
    if (signal.aborted) kill();
    else signal.addEventListener('abort', kill, { once: true });
    try {
      const [end] = await Promise.all([closed, feedFifo(fifo, audio, closed, () => gone)]);
      if (signal.aborted) throw signal.reason;
      if (timedOut) throw new AsrTimeoutError(ENGINE, timeoutMs);
      if (end.error) {
        if ('code' in end.error && end.error.code === 'ENOENT') throw new AsrEngineMissingError(ENGINE, binary, { cause: end.error });
        throw new AsrEngineFailedError(ENGINE, end.error.message, { cause: end.error });
      }
      if (end.code !== 0) {
        const logTail = (await readFile(join(dir, 'decoder.log'), 'utf8').catch(() => '')).split('\n').filter((l) => /ERROR|FATAL/.test(l)).slice(-3);
        throw new AsrEngineFailedError(ENGINE, `exit ${end.code ?? end.signal ?? '?'}`, { details: { exitCode: end.code, signal: end.signal, log: logTail } });
      }
      return stdout;
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', kill);
    }
  }
}

/**
 * Writes `audio` into the named pipe without ever blocking a libuv pool thread: the FIFO is opened
 * non-blocking (ENXIO until the decoder has opened its end: retried every few ms), and a full pipe
 * (EAGAIN) is waited out the same way. A blocking open would park a pool thread until the decoder
 * loads its model, and a decoder that dies first would park it for good, starving every fs, dns
 * and crypto call of the process. A decoder gone mid-write (EPIPE) ends the feed: its exit status
 * tells why.
 */
async function feedFifo(fifo: string, audio: Int16Array, _decoderGone: Promise<unknown>, isGone: () => boolean): Promise<void> {
  const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
  const code = (err: unknown): string | undefined => (err instanceof Error && 'code' in err ? String(err.code) : undefined);
  let handle: FileHandle | null = null;
  while (!handle) {
    if (isGone()) return;
    try {
      handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
    } catch (err) {
      if (code(err) !== 'ENXIO') throw err;
      await pause();
    }
  }
  try {
    const bytes = new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength);
    let offset = 0;
    while (offset < bytes.length) {
      try {
        const { bytesWritten } = await handle.write(bytes, offset, Math.min(65536, bytes.length - offset));
        offset += bytesWritten;
      } catch (err) {
        if (code(err) === 'EAGAIN') {
          if (isGone()) return;
          await pause();
          continue;
        }
        if (code(err) === 'EPIPE') return;
        throw err;
      }
    }
  } finally {
    await handle.close();
  }
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

function runQuiet(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new AsrEngineFailedError(ENGINE, `${binary} exit ${code ?? '?'}`))));
  });
}
