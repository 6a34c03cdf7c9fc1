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
import { access, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Logger } from '../../log.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { fillerDictionary, garbageFor } from './garbage.js';
import { buildJsgf, parseDictionary } from './jsgf.js';
import { featParams8k, narrowbandFrontEnd, type AudioShaper, type NarrowbandFrontEnd } from './narrowband.js';
import { judge, parseBacktrace, scorePath, type RejectionRule } from './sphinx-score.js';
import { DecoderProcess, launchDecoder, WarmDecoders } from './pocketsphinx-process.js';
import { AsrEngineFailedError, AsrEngineMissingError, AsrTimeoutError } from './types.js';
import type { Asr, AsrCapabilities, AsrGrammar, AsrRecognizeOptions, AsrResult, AsrStream } from './types.js';
import type { LanguageModelFiles } from './lm/caller-lm.js';
import { PocketsphinxStream, type ResultCheck } from './pocketsphinx-stream.js';
import { parseOutput, turnDictionary } from './sphinx-output.js';
import { hasVoicedSpeech } from './voicing.js';

export { parseOutput, turnDictionary } from './sphinx-output.js';

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
  /**
   * Language weight (-lw) with that model. Default 7 (tuned on the tuning voices and dev sentences, test/bench/hearing-lm.ts).
   * Re-checked on open turns with the understanding scored (test/bench/hearing/sweep.sh, 100 dev lines per band): -lw 5.5,
   * 8.5, 10 and 13, the 2nd/3rd-pass weights (-fwdflatlw/-bestpathlw, 8.5/9.5 by default) set to 7 or 10/11, -wip 3, -bestpath no
   * (200 lines) all did worse or moved intent and key slots apart within the noise; wider beams doubled the decode time.
   */
  lmWeight?: number;
  /** Word insertion penalty (-wip) with that model. Default 0.65, pocketsphinx's own (tuned likewise). */
  lmWordInsertionPenalty?: number;
  /**
   * Closed constrained turns (yes/no): an answer whose words score below this per frame is
   * rejected (see sphinx-score.ts), wideband and narrowband apart. Defaults tuned on the tuning
   * voices (test/bench/hearing-nb.ts --tune).
   */
  minScorePerFrame?: { wideband: number; narrowband: number };
  /** The floor for the grammar's committing answers (a yes), stricter than minScorePerFrame; tuned likewise. */
  minCommitScorePerFrame?: { wideband: number; narrowband: number };
  /**
   * The floor for a check's confirmations (grammar.check: "correct" to "Was that Botox?"): the
   * loosest that took no out-of-grammar speech or noise for a yes on the tuning voices
   * (test/bench/hearing-nb.ts --tune --turn check: 0 of 125 both bands; -45 wideband took 2.4%,
   * -55 narrowband 3.2%). A rejected answer to a check costs nothing: the detail stands for the
   * read-back and the check is not asked again (agent/slot-check.ts).
   */
  minCheckScorePerFrame?: { wideband: number; narrowband: number };
  /** Cost of each garbage (filler) word on a constrained turn (-fillprob; lower lets fewer answers go to garbage): one for both bands, or each its own. */
  garbagePenalty?: number | { wideband: number; narrowband: number };
  /** Whether constrained turns get the garbage (false: the score floor alone rejects). */
  garbagePath?: boolean;
  /** How narrowband turns are decoded: grammar turns and language-model turns apart. */
  narrowband?: { grammar?: NarrowbandFrontEnd; languageModel?: NarrowbandFrontEnd; bandFillRms?: number };
  /**
   * MLLR transforms of the acoustic model (`-mllr`) for language-model (open) turns, one per band,
   * over ADAPTATION_DEFAULTS; null turns a band's off. A band without one, or whose file cannot be
   * read, decodes with the stock model. Grammar turns keep the stock model: their score floors
   * (minScorePerFrame and the like) were tuned on its scores, and a transform moves them.
   */
  adaptation?: { wideband?: string | null; narrowband?: string | null };
  /**
   * A MAP-adapted copy of the acoustic model (a `-hmm` folder made by test/bench/hearing/adapt-model.sh
   * `map`) per band, for language-model turns instead of the stock model (with the band's MLLR
   * transform on top when it has one), and for grammar turns too with `grammarTurns` (their score
   * floors were tuned on the stock model: measure false yes before). None by default (tuning: see
   * adapt/README.md); a folder without the model's files leaves the stock model, with a warning.
   */
  adaptedModel?: { wideband?: string; narrowband?: string; grammarTurns?: boolean };
}

/**
 * The acoustic model's adaptation by default: narrowband turns decode with an MLLR transform
 * learned on tuning voices through the phone line and band filling (adapt/README.md: how it was
 * made and measured). Wideband has none: adapted on one tuning voice, it did worse on the other.
 */
export const ADAPTATION_DEFAULTS: { wideband: string | null; narrowband: string | null } = {
  wideband: null,
  narrowband: fileURLToPath(new URL('../../../../appliance/voice/asr/adapt/narrowband.mllr', import.meta.url)),
};

/**
 * Defaults tuned on the tuning voices and the tuning half of the out-of-grammar phrases
 * (test/bench/hearing-nb.ts --tune --penalties 1e-8,1e-4,1e-2,0.3): the loosest settings that kept
 * false accepts of out-of-grammar speech and noise at or below 2% (1.6% both bands), which heard
 * 37% (wideband) and 28% (narrowband) of real yes/no answers at the first try. Band filling for
 * both turn types: on the tuning voices the 8 kHz front end heard 5% of yes/no answers against band
 * filling's 35%, and on open turns (dev sentences, caller model) it had WER 96% and kept no key
 * word, against 67% and 40% with band filling (--tune --only open --open 8).
 */
export const SPHINX_TURN_DEFAULTS = {
  minScorePerFrame: { wideband: -50, narrowband: -50 },
  minCommitScorePerFrame: { wideband: -45, narrowband: -40 },
  minCheckScorePerFrame: { wideband: -40, narrowband: -50 },
  garbagePenalty: { wideband: 1e-8, narrowband: 1e-4 },
  garbagePath: true,
  narrowband: { grammar: 'band-fill', languageModel: 'band-fill' },
} as const satisfies Pick<PocketsphinxConfig, 'minScorePerFrame' | 'minCommitScorePerFrame' | 'minCheckScorePerFrame' | 'garbagePenalty' | 'garbagePath' | 'narrowband'>;

export interface PocketsphinxDeps {
  log: Logger;
  config?: PocketsphinxConfig;
  /** `elapsedMs` (monotonic), the utterance time limits and the warm decoders' idle time. Default the system clock. */
  clock?: Clock;
}

interface Loaded {
  binary: string;
  hmm: string;
  /** The acoustic model with the 8 kHz front end's feat.params (links to the model's files); null when it could not be made. */
  hmm8k: string | null;
  dict: string;
  lm: string;
  dictionary: Set<string>;
  /** The acoustic model's filler dictionary (noisedict). */
  noisedict: string;
  /** The dictionary's lines by word (alternate pronunciations "word(2)" under "word"). */
  pronunciations: Map<string, string[]>;
  /** The acoustic model's MLLR transform per band (readable files only). */
  mllr: { wideband: string | null; narrowband: string | null };
  /** A MAP-adapted acoustic model folder per band (complete folders only). */
  mapped: { wideband: string | null; narrowband: string | null };
}

/** A turn's decoder flags and files, and the key warm decoders are kept under. */
interface Plan {
  key: string;
  grammarText: string | null;
  turnDict: string | null;
  /** The filler dictionary with the garbage words (constrained turns), else null. */
  fillerDict: string | null;
  args: string[];
  /** What happens to the audio on its way to the decoder (narrowband turns). */
  shaper: (() => AudioShaper) | null;
  check: ResultCheck;
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
    const loading = this.#loading;
    this.#loading = null;
    this.#loaded = null;
    // The 8 kHz model folder, once the load under way (if any) has made it.
    const hmm8k = (await loading?.catch(() => null))?.hmm8k;
    if (hmm8k) await rm(hmm8k, { recursive: true, force: true });
  }

  async recognize(audio: Int16Array, opts: AsrRecognizeOptions = {}): Promise<AsrResult> {
    const t0 = this.#now();
    const loaded = await this.#load();
    opts.signal?.throwIfAborted();
    const config = this.#deps.config ?? {};
    if ((config.voicingGate ?? true) && !hasVoicedSpeech(audio, 16000)) {
      return { text: '', confidence: null, words: [], elapsedMs: this.#now() - t0 };
    }
    const { decoder, plan } = await this.#open(loaded, opts.grammar, opts.narrowband === true);
    decoder.feeder.write(plan.shaper ? plan.shaper().process(audio) : audio);
    decoder.feeder.end();
    const result = await this.#result(decoder, plan.check, opts.signal, config.timeoutMs ?? 10_000);
    this.#refill(loaded, opts.grammar, opts.narrowband === true, plan.key);
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
        const narrow = opts.narrowband === true;
        const { decoder, plan } = await this.#open(loaded, opts.grammar, narrow);
        return { decoder, check: plan.check, shaper: plan.shaper?.() ?? null, refill: () => this.#refill(loaded, opts.grammar, narrow, plan.key) };
      },
      result: (decoder, check, signal) => this.#result(decoder, check, signal, this.#deps.config?.timeoutMs ?? 10_000),
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
  #plan(loaded: Loaded, grammar: AsrGrammar | undefined, narrowband: boolean): Plan {
    const config = this.#deps.config ?? {};
    const nb = { ...SPHINX_TURN_DEFAULTS.narrowband, ...config.narrowband };
    const lm = grammar?.free ? config.languageModel?.current() : null;
    if (lm) {
      const front = narrowband ? this.#front(loaded, nb.languageModel, nb.bandFillRms) : null;
      const args = ['-hmm', mapped(loaded, narrowband) ?? front?.hmm ?? loaded.hmm, ...mllrArgs(loaded, narrowband), '-dict', lm.dict, '-lm', lm.lm, '-time', 'yes', '-lw', String(config.lmWeight ?? 7), '-wip', String(config.lmWordInsertionPenalty ?? 0.65), ...(front?.args ?? []), ...(config.extraArgs ?? [])];
      return { key: JSON.stringify([args, lm.key, narrowband && nb]), grammarText: null, turnDict: null, fillerDict: null, args, shaper: front?.shaper ?? null, check: { grammar: false, reject: null } };
    }
    const front = narrowband ? this.#front(loaded, nb.grammar, nb.bandFillRms) : null;
    const grammarModel = config.adaptedModel?.grammarTurns ? mapped(loaded, narrowband) : null;
    const args = ['-hmm', grammarModel ?? front?.hmm ?? loaded.hmm, '-dict', loaded.dict, '-time', 'yes', '-wip', String(config.wordInsertionPenalty ?? 1e-3), ...(front?.args ?? [])];
    let grammarText: string | null = null;
    let turnDict: string | null = null;
    let reject: RejectionRule | null = null;
    let fillers: string | null = null;
    if (grammar) {
      let built = buildJsgf(grammar, { dictionary: loaded.dictionary, vocabulary: config.vocabulary });
      if (grammar.constrained) {
        // The garbage as filler words beside the answers, and the best path's scores in the log to judge them by.
        const garbage = (config.garbagePath ?? SPHINX_TURN_DEFAULTS.garbagePath) ? garbageFor(built.vocabulary, loaded.pronunciations) : [];
        if (garbage.length > 0) {
          built = buildJsgf(grammar, { dictionary: loaded.dictionary, vocabulary: config.vocabulary, orNothing: true });
          fillers = fillerDictionary(loaded.noisedict, garbage, loaded.pronunciations);
          const penalty = config.garbagePenalty ?? SPHINX_TURN_DEFAULTS.garbagePenalty;
          args.push('-fillprob', String(typeof penalty === 'number' ? penalty : narrowband ? penalty.narrowband : penalty.wideband));
        }
        const floor = { ...SPHINX_TURN_DEFAULTS.minScorePerFrame, ...config.minScorePerFrame };
        // The floor was tuned on closed answers (yes/no); word loops (a name, a choice, digits)
        // score lower per frame when right ("my name is jane smith": -46), so they have the garbage only.
        const commit = grammar.check ? { ...SPHINX_TURN_DEFAULTS.minCheckScorePerFrame, ...config.minCheckScorePerFrame } : { ...SPHINX_TURN_DEFAULTS.minCommitScorePerFrame, ...config.minCommitScorePerFrame };
        reject = {
          garbage: new Set(),
          // Only yes/no (the grammar with committing answers) has the floor: a closed list of
          // choices ("the first one") fits worse per frame when right, and the e2e caller's right
          // choices fell below it; the garbage alone rejects there.
          minWordsPerFrame: !grammar.closed || !grammar.committing ? -Infinity : narrowband ? floor.narrowband : floor.wideband,
          ...(grammar.closed && grammar.committing ? { committing: { phrases: new Set(grammar.committing), minWordsPerFrame: narrowband ? commit.narrowband : commit.wideband } } : {}),
        };
        args.push('-backtrace', 'yes');
      }
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
    return { key: JSON.stringify([args, grammarText, narrowband && nb]), grammarText, turnDict, fillerDict: fillers, args, shaper: front?.shaper ?? null, check: { grammar: grammarText !== null, reject } };
  }

  /** A narrowband front end's shaper, flags and model folder (band filling when the 8 kHz model folder could not be made). */
  #front(loaded: Loaded, kind: NarrowbandFrontEnd, bandFillRms: number | undefined): ReturnType<typeof narrowbandFrontEnd> & { hmm: string } {
    const front = narrowbandFrontEnd(kind === 'samprate-8k' && !loaded.hmm8k ? 'band-fill' : kind, { bandFillRms });
    return { ...front, hmm: front.eightKhzModel && loaded.hmm8k ? loaded.hmm8k : loaded.hmm };
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
          if (plan.fillerDict !== null) {
            await writeFile(join(dir, 'turn.fdict'), plan.fillerDict);
            args.push('-fdict', join(dir, 'turn.fdict'));
          }
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
  async #open(loaded: Loaded, grammar: AsrGrammar | undefined, narrowband: boolean): Promise<{ decoder: DecoderProcess; plan: Plan }> {
    const plan = this.#plan(loaded, grammar, narrowband);
    const decoder = this.#warm.take(plan.key) ?? (await this.#launch(loaded, plan));
    this.#active.add(decoder);
    // The next utterance (or a barge-in check running beside this one) gets a loaded decoder.
    this.#refill(loaded, grammar, narrowband, plan.key);
    return { decoder, plan };
  }

  /** After a turn: start a warm decoder for the next one with the same grammar (off the turn's path). */
  #refill(loaded: Loaded, grammar: AsrGrammar | undefined, narrowband: boolean, key: string): void {
    if (this.#loaded !== loaded) return; // stopped meanwhile
    setImmediate(() => {
      if (this.#loaded !== loaded) return;
      this.#warm.fill(key, () => this.#launch(loaded, this.#plan(loaded, grammar, narrowband)));
    });
  }

  /** Waits for the decoder to read everything and exit; its stdout parsed, or a typed error. */
  async #result(decoder: DecoderProcess, check: ResultCheck, signal: AbortSignal | undefined, timeoutMs: number): Promise<Omit<AsrResult, 'elapsedMs'>> {
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
      const result = parseOutput(decoder.stdout, check.grammar);
      if (!check.reject) return result;
      const score = scorePath(parseBacktrace(await decoder.log()));
      const verdict = judge(result.words?.map((w) => w.word) ?? [], score, check.reject);
      return { ...result, fit: score.wordsPerFrame, ...(verdict.rejected ? { rejected: true } : {}) };
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
    const nb = { ...SPHINX_TURN_DEFAULTS.narrowband, ...config.narrowband };
    const wants8k = nb.grammar === 'samprate-8k' || nb.languageModel === 'samprate-8k';
    const hmm8k = !wants8k
      ? null
      : await this.#eightKhzModel(hmm).catch((err: unknown) => {
          this.#deps.log.warn({ err }, 'asr: could not prepare the 8 kHz front end; narrowband turns use band filling');
          return null;
        });
    const noisedict = await readFile(join(hmm, 'noisedict'), 'utf8').catch(() => '<s> SIL\n</s> SIL\n<sil> SIL\n');
    const adaptation = { ...ADAPTATION_DEFAULTS, ...config.adaptation };
    const mllr = { wideband: await this.#readable(adaptation.wideband), narrowband: await this.#readable(adaptation.narrowband) };
    const mapped = { wideband: await this.#modelFolder(config.adaptedModel?.wideband), narrowband: await this.#modelFolder(config.adaptedModel?.narrowband) };
    return { binary, hmm, hmm8k, dict, lm, dictionary, pronunciations, noisedict, mllr, mapped };
  }

  /** The adapted model folder when it holds the files a decoder loads; else null and a warning (the stock model decodes). */
  async #modelFolder(dir: string | undefined): Promise<string | null> {
    if (dir === undefined) return null;
    try {
      for (const name of ADAPTED_MODEL_FILES) await access(join(dir, name), constants.R_OK);
      return dir;
    } catch (err) {
      this.#deps.log.warn({ err, dir }, 'asr: adapted acoustic model incomplete; decoding with the stock model');
      return null;
    }
  }

  /** The adaptation file when it can be read; else null and a warning (the stock model decodes). */
  async #readable(file: string | null): Promise<string | null> {
    if (file === null) return null;
    try {
      await access(file, constants.R_OK);
      return file;
    } catch (err) {
      this.#deps.log.warn({ err, file }, 'asr: acoustic model adaptation not readable; decoding with the stock model');
      return null;
    }
  }

  /** A folder of links to the acoustic model's files with the 8 kHz feat.params (narrowband.ts). */
  async #eightKhzModel(hmm: string): Promise<string> {
    const dir = await mkdtemp(join(this.#deps.config?.tmpDir ?? tmpdir(), 'spa-asr-8k-'));
    for (const name of await readdir(hmm)) if (name !== 'feat.params') await symlink(join(hmm, name), join(dir, name));
    await writeFile(join(dir, 'feat.params'), featParams8k(await readFile(join(hmm, 'feat.params'), 'utf8')));
    return dir;
  }

}

/** The files of an acoustic model folder a decoder loads (what adapt-model.sh `map` writes). */
export const ADAPTED_MODEL_FILES = ['mdef', 'means', 'variances', 'sendump', 'transition_matrices', 'feat.params', 'noisedict'] as const;

/** A band's MAP-adapted model folder (null: the stock model). */
function mapped(loaded: Loaded, narrowband: boolean): string | null {
  return narrowband ? loaded.mapped.narrowband : loaded.mapped.wideband;
}

/** The decoder flags of a band's MLLR transform on a language-model turn (none without one). */
function mllrArgs(loaded: Loaded, narrowband: boolean): string[] {
  const file = narrowband ? loaded.mllr.narrowband : loaded.mllr.wideband;
  return file === null ? [] : ['-mllr', file];
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
