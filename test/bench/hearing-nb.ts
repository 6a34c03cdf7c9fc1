// npm run bench -- hearing-nb [--tune] [--open N] [--only constrained|open] [--front band-fill,samprate-8k,plain]
//                             [--yes-no-only | --skip-yes-no] [--penalties P1,P2 | --garbage on,off] [--band-rms X] [--turn check] [--no-before]
// Constrained turns and narrowband (G.711) speech with pocketsphinx:
//  - yes/no turns: real answers (the grammar's phrases) must still be heard, while out-of-grammar
//    speech ("hold on a second", questions) and noise must not come out as a yes or a no: the
//    false-accept rate, wideband and narrowband, before (a plain closed grammar) and after (the
//    garbage path and the score rejection of sphinx-score.ts);
//  - a choice among offered slots and spoken digits: sentence accuracy;
//  - open turns on narrowband calls with the caller language model: WER and key words kept;
//  - the narrowband front ends side by side: 'plain' (the upsampled call as it comes), 'band-fill'
//    and 'samprate-8k' (narrowband.ts); decode time p50/p95 of each.
// Audio: flite/espeak-ng at 16 kHz, perturbed (tempo 0.9/1.1, pitch +-200 cents, white noise at
// 15/20/30 dB SNR, in turn), then for narrowband a real G.711 round trip through the appliance's
// codec with 0-3% packet loss (hearing/phone-line.ts).
// Default: test voices and the test half of the out-of-grammar phrases and noises, the appliance's
// settings. --tune: tuning voices and the tuning half, every clip decoded with no score floor and
// the floor swept afterwards (choose SPHINX_TURN_DEFAULTS from this, never from the test run).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSpa } from '../../appliance/booking/demo-spa.js';
import { corpusWorld } from '../../appliance/agent/nlu/lab.js';
import { defaultUnderstander } from '../../appliance/agent/nlu/understander.js';
import { createLogger } from '../../appliance/log.js';
import { callerExpectation, type CallerExpects } from '../../appliance/voice/asr/caller-grammars.js';
import { pronunciationsOf } from '../../appliance/voice/asr/lm/caller-lm-build.js';
import { CallerLanguageModel, callerDomainOf } from '../../appliance/voice/asr/lm/caller-lm.js';
import type { NarrowbandFrontEnd } from '../../appliance/voice/asr/narrowband.js';
import { PocketsphinxAsr, type PocketsphinxConfig } from '../../appliance/voice/asr/pocketsphinx.js';
import type { AsrGrammar, AsrResult } from '../../appliance/voice/asr/types.js';
import { seededRandom } from '../../appliance/shared/random.js';
import { addTo, newTally, Scorer, type Tally } from './hearing/score.js';
import { phoneLine } from '../helpers/phone-line.js';
import { addNoise, perturb, speak, TEST_VOICES, TUNING_VOICES, type Condition, type VoiceName } from './hearing/voices.js';
import { emit, percentile } from './report.js';

const BENCH = 'hearing-nb';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CACHE = join(ROOT, '.bench-tmp', 'speech');
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Tuning voices here: Part A's two, flite's kal and two espeak-ng variants not among the test voices. */
const NB_TUNING_VOICES: readonly VoiceName[] = [...TUNING_VOICES, 'flite:kal', 'espeak:en-us+m1', 'espeak:en-us+f4'];

/**
 * --turn check: the answers to a check ("Was that Botox?") on the check grammar instead, with its
 * own confirmations and corrections ("no thursday" is a no).
 */
const CHECK_TURN = process.argv.includes('--turn') && process.argv[process.argv.indexOf('--turn') + 1] === 'check';
const YES = CHECK_TURN ? ['yes', 'yeah', 'yep', 'correct', "that's right", "that's correct", 'yes it is', "yes that's right", 'right'] : ['yes', 'yes please', 'yeah', 'sure', 'correct', "that's right", 'that works', 'okay', 'sounds good'];
const NO = CHECK_TURN ? ['no', "that's wrong", 'not really', 'no it was not', 'no thursday', 'no wednesday', 'no botox', 'no chemical peel', 'actually friday'] : ['no', 'no thanks', 'no thank you', "that's wrong", "that doesn't work", 'not really'];
/** The grammar the yes/no figures are for. */
const YES_NO_TURN: CallerExpects = CHECK_TURN ? 'check' : 'yes-no';

/** Out-of-grammar speech on a yes/no turn, written for this bench (not from any list in the code). */
const OUT_OF_GRAMMAR = {
  tuning: [
    'can you repeat that', 'how much does it cost', "i don't know", 'let me check my calendar', 'who is this',
    'what time is it', 'sorry i was distracted', 'is that in the morning', 'can i bring my daughter', 'maybe later',
    'what was the address', 'i think so but let me ask', 'one moment please', 'is there parking', 'who will i see',
    'my phone is breaking up', 'say again', 'which one was that', 'i have to go', 'hello are you there',
  ],
  test: [
    "um i'm not sure", 'what did you say', 'hold on a second', 'hang on let me think', 'pardon me', 'wait what was that',
    'i need to ask my husband', 'do you take credit cards', 'give me a minute', "i'm not really sure about that",
    'could you say that again', 'what was the price again', 'is the doctor a woman', 'how long does it take',
    'let me find a pen', 'the kids are yelling sorry', 'is that the earliest', 'i was hoping for friday',
    'can you text me instead', 'what is your name',
  ],
};

const CHOICES = ['the first one', 'the second one', 'the third one', 'the last one', 'the earlier one', 'the later one'];

type Kind = 'answer' | 'oog' | 'noise';
interface Clip {
  kind: Kind;
  said: string;
  audio: Int16Array;
  voice: string;
  condition: string;
}

type NbCondition = Condition | 'noise15' | 'noise30';
const NB_CONDITIONS: readonly NbCondition[] = ['clean', 'tempo0.9', 'tempo1.1', 'pitch+200', 'pitch-200', 'noise15', 'noise20', 'noise30'];

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function condition(audio: Int16Array, c: NbCondition, seed: number): Promise<Int16Array> {
  if (c === 'noise15') return addNoise(audio, 15, seed);
  if (c === 'noise30') return addNoise(audio, 30, seed);
  return perturb(audio, c, seed);
}

/** Noises that are not speech, and speech-like noise (a sentence played backwards). */
async function noises(seed: number, voice: VoiceName): Promise<{ said: string; audio: Int16Array }[]> {
  const rng = seededRandom(seed);
  const len = (ms: number): number => Math.round(16 * ms);
  const white = new Int16Array(len(700));
  for (let i = 0; i < white.length; i++) white[i] = Math.round((rng() - 0.5) * 4000);
  const rumble = new Int16Array(len(900));
  let v = 0;
  for (let i = 0; i < rumble.length; i++) rumble[i] = Math.round((v = 0.97 * v + (rng() - 0.5) * 1600));
  const burst = new Int16Array(len(400));
  for (let i = 0; i < burst.length; i++) burst[i] = Math.round((rng() - 0.5) * 12000 * Math.exp(-i / len(120)));
  const hum = new Int16Array(len(800));
  for (let i = 0; i < hum.length; i++) hum[i] = Math.round(3000 * Math.sin((2 * Math.PI * 120 * i) / 16000) + 1500 * Math.sin((2 * Math.PI * 240 * i) / 16000));
  const backwards = (await speak(seed % 2 === 0 ? 'we will see you then' : 'thanks for calling back', voice)).reverse();
  return [
    { said: '(white noise)', audio: white },
    { said: '(rumble)', audio: rumble },
    { said: '(burst)', audio: burst },
    { said: '(hum)', audio: hum },
    { said: '(backwards speech)', audio: backwards },
  ];
}

interface Outcome {
  clip: Clip;
  r: AsrResult;
}

function norm(text: string): string {
  return text.toLowerCase().replace(/[^a-z' ]/g, '').replace(/\s+/g, ' ').trim();
}

/** What a heard yes/no answer means: 'yes', 'no', or null when it is neither or was rejected (`floor`: an extra score floor, tuning). */
function polarity(r: AsrResult, floor: number | null = null): 'yes' | 'no' | null {
  if (r.rejected || r.text === '') return null;
  if (floor !== null && (r.fit ?? -Infinity) < floor) return null;
  const t = norm(r.text);
  if (YES.includes(t)) return 'yes';
  if (NO.includes(t) || (CHECK_TURN && /^(?:no|actually) \S/.test(t))) return 'no';
  return null;
}

function expected(said: string): 'yes' | 'no' | null {
  return YES.includes(said) ? 'yes' : NO.includes(said) ? 'no' : null;
}

type Front = NarrowbandFrontEnd | 'plain';
interface System {
  name: string;
  narrowband: boolean;
  /** The turn's grammar is constrained (garbage path and rejection) or a plain closed one (before). */
  constrained: boolean;
  asr: PocketsphinxAsr;
}

function rate(n: number, d: number): number {
  return d === 0 ? Number.NaN : (100 * n) / d;
}

/** Yes/no figures of one system: answers heard right, out-of-grammar and noise taken as yes or no. */
function yesNoFigures(outcomes: readonly Outcome[], floor: number | null = null): { answered: number; answers: number; falseAccept: number; falseYes: number; others: number; oogFalse: number; oog: number; noiseFalse: number; noise: number } {
  const answers = outcomes.filter((o) => o.clip.kind === 'answer');
  const others = outcomes.filter((o) => o.clip.kind !== 'answer');
  const accepted = (o: Outcome): boolean => polarity(o.r, floor) !== null;
  return {
    answered: answers.filter((o) => polarity(o.r, floor) === expected(o.clip.said)).length,
    answers: answers.length,
    falseAccept: others.filter(accepted).length,
    falseYes: others.filter((o) => polarity(o.r, floor) === 'yes').length,
    others: others.length,
    oogFalse: others.filter((o) => o.clip.kind === 'oog' && accepted(o)).length,
    oog: others.filter((o) => o.clip.kind === 'oog').length,
    noiseFalse: others.filter((o) => o.clip.kind === 'noise' && accepted(o)).length,
    noise: others.filter((o) => o.clip.kind === 'noise').length,
  };
}

export async function run(): Promise<void> {
  const tune = process.argv.includes('--tune');
  const voices = tune ? NB_TUNING_VOICES : TEST_VOICES;
  const only = arg('only');
  const fronts = (arg('front') ?? 'plain,band-fill,samprate-8k').split(',') as Front[];
  const openN = Number(arg('open') ?? 24);
  const log = createLogger({ level: 'silent' });
  const spa = demoSpa();
  const catalogue = (): string[] => spa.services.flatMap((s) => [s.name, ...s.aliases]);
  const off = { wideband: -1e9, narrowband: -1e9 };
  const base: PocketsphinxConfig = { timeoutMs: 60_000, warmDecoders: 0, ...(tune ? { minScorePerFrame: off, ...(CHECK_TURN ? { minCheckScorePerFrame: off } : {}) } : {}) };
  const grammarOf = (expects: CallerExpects, constrained: boolean): AsrGrammar => {
    const g = callerExpectation(expects, catalogue).grammar ?? {};
    return { ...g, constrained };
  };
  const frontConfig = (f: Front): PocketsphinxConfig => (f === 'plain' ? {} : { narrowband: { grammar: f, languageModel: f } });
  const weights = arg('penalties')?.split(',').map(Number);
  const bandRms = arg('band-rms') ? Number(arg('band-rms')) : undefined;
  // --penalties P1,P2: tuning the garbage words' cost (and --band-rms the band filling), wideband and band-filled narrowband.
  // --garbage on,off: with and without the garbage path (the score floor swept either way).
  const garbage = arg('garbage')?.split(',');
  // --no-before: only the appliance's constrained systems (not the plain closed grammar of before).
  const noBefore = process.argv.includes('--no-before');
  const systems: System[] = weights ? weights.flatMap((w) => [
    { name: `wide_p${w}`, narrowband: false, constrained: true, asr: new PocketsphinxAsr({ log, config: { ...base, garbagePenalty: w } }) },
    { name: `nb_band-fill_p${w}`, narrowband: true, constrained: true, asr: new PocketsphinxAsr({ log, config: { ...base, garbagePenalty: w, narrowband: { grammar: 'band-fill', languageModel: 'band-fill', ...(bandRms ? { bandFillRms: bandRms } : {}) } } }) },
  ]) : garbage ? garbage.flatMap((g) => [
    { name: `wide_garbage_${g}`, narrowband: false, constrained: true, asr: new PocketsphinxAsr({ log, config: { ...base, garbagePath: g === 'on' } }) },
    { name: `nb_band-fill_garbage_${g}`, narrowband: true, constrained: true, asr: new PocketsphinxAsr({ log, config: { ...base, garbagePath: g === 'on', narrowband: { grammar: 'band-fill', languageModel: 'band-fill', ...(bandRms ? { bandFillRms: bandRms } : {}) } } }) },
  ]) : [
    ...(noBefore ? [] : [{ name: 'wide_before', narrowband: false, constrained: false, asr: new PocketsphinxAsr({ log, config: base }) }]),
    { name: 'wide', narrowband: false, constrained: true, asr: new PocketsphinxAsr({ log, config: base }) },
    ...fronts.map((f) => ({ name: `nb_${f}`, narrowband: f !== 'plain', constrained: true, asr: new PocketsphinxAsr({ log, config: { ...base, ...frontConfig(f) } }) })),
    ...(noBefore ? [] : [{ name: 'nb_before', narrowband: false, constrained: false, asr: new PocketsphinxAsr({ log, config: base }) }]),
  ];
  const extra = { voices: voices.join(','), half: tune ? 'tuning' : 'test', conditions: NB_CONDITIONS.join(','), loss: '0-3%' };
  const t0 = performance.now();
  for (const s of systems) await s.asr.start();
  try {
    if (only !== 'open') await constrainedTurns(systems, voices, tune, grammarOf, extra);
    if (only !== 'constrained') await openTurns(voices, tune, fronts, openN, base, catalogue, extra);
  } finally {
    for (const s of systems) await s.asr.stop();
  }
  emit(BENCH, 'bench_wall_s', (performance.now() - t0) / 1000, 's');
}

/** A clip spoken and perturbed, from the bench's cache when made before (synthesis is most of a run's time). */
async function cachedClip(said: string, voice: VoiceName, c: NbCondition, seed: number): Promise<Int16Array> {
  const file = join(CACHE, 'clips', `${createHash('sha256').update(JSON.stringify([said, voice, c, seed])).digest('hex').slice(0, 24)}.raw`);
  try {
    const buf = await readFile(file);
    return new Int16Array(buf.buffer, buf.byteOffset, buf.byteLength / 2).slice();
  } catch {
    const audio = await condition(await speak(said, voice), c, seed);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, Buffer.from(audio.buffer, audio.byteOffset, audio.byteLength));
    return audio;
  }
}

/** Speech through the condition (the phone line is added per system). */
async function clipsFor(texts: readonly string[], kind: Kind, voices: readonly VoiceName[], seed0: number): Promise<Clip[]> {
  const clips: Clip[] = [];
  let k = seed0;
  for (const said of texts) {
    for (const voice of voices) {
      const c = NB_CONDITIONS[k % NB_CONDITIONS.length] ?? 'clean';
      clips.push({ kind, said, voice, condition: c, audio: await cachedClip(said, voice, c, k) });
      k++;
    }
  }
  return clips;
}

function lineFor(clip: Clip, i: number): Int16Array {
  return phoneLine(clip.audio, { lossPct: i % 4, seed: i + 1, law: i % 2 === 0 ? 'ulaw' : 'alaw' });
}

async function decodeAll(systems: readonly System[], clips: readonly Clip[], grammar: (constrained: boolean) => AsrGrammar): Promise<Map<string, Outcome[]>> {
  const out = new Map<string, Outcome[]>(systems.map((s) => [s.name, []]));
  let i = 0;
  for (const clip of clips) {
    const narrow = lineFor(clip, i++);
    if (i % 20 === 0) console.error(`${i}/${clips.length} clips`);
    for (const s of systems) {
      const audio = s.name.startsWith('wide') ? clip.audio : narrow;
      const r = await s.asr.recognize(audio, { grammar: grammar(s.constrained), narrowband: s.narrowband });
      out.get(s.name)?.push({ clip, r });
    }
  }
  return out;
}

async function constrainedTurns(systems: readonly System[], voices: readonly VoiceName[], tune: boolean, grammarOf: (e: CallerExpects, constrained: boolean) => AsrGrammar, extra: Record<string, unknown>): Promise<void> {
  const half = tune ? 'tuning' : 'test';
  if (process.argv.includes('--cross')) return crossCheck(voices, tune, grammarOf, half);
  if (!process.argv.includes('--skip-yes-no')) await yesNoTurns(systems, voices, tune, grammarOf, extra, half);
  if (process.argv.includes('--yes-no-only')) return;
  await choiceAndDigits(systems, voices, tune, grammarOf, extra);
}

async function yesNoTurns(systems: readonly System[], voices: readonly VoiceName[], tune: boolean, grammarOf: (e: CallerExpects, constrained: boolean) => AsrGrammar, extra: Record<string, unknown>, half: 'tuning' | 'test'): Promise<void> {
  const clips = [
    ...(await clipsFor([...YES, ...NO], 'answer', voices, tune ? 100 : 200)),
    ...(await clipsFor(OUT_OF_GRAMMAR[half], 'oog', voices, tune ? 300 : 400)),
  ];
  for (const [v, voice] of voices.entries()) {
    for (const noise of await noises((tune ? 11 : 51) + v, voice)) clips.push({ kind: 'noise', said: noise.said, audio: noise.audio, voice, condition: 'noise' });
  }
  const yesNo = await decodeAll(systems, clips, (c) => grammarOf(YES_NO_TURN, c));
  for (const s of systems) {
    const outcomes = yesNo.get(s.name) ?? [];
    const f = yesNoFigures(outcomes);
    const times = outcomes.map((o) => o.r.elapsedMs).sort((a, b) => a - b);
    emit(BENCH, `${s.name}_yes_no_answers_heard`, rate(f.answered, f.answers), '%', { ...extra, answers: f.answers });
    emit(BENCH, `${s.name}_false_accept`, rate(f.falseAccept, f.others), '%', { ...extra, tries: f.others, false_yes_pct: rate(f.falseYes, f.others), out_of_grammar_pct: rate(f.oogFalse, f.oog), noise_pct: rate(f.noiseFalse, f.noise) });
    emit(BENCH, `${s.name}_yes_no_decode_ms_p50`, percentile(times, 50), 'ms');
    emit(BENCH, `${s.name}_yes_no_decode_ms_p95`, percentile(times, 95), 'ms');
    if (tune && s.constrained) {
      // The floor swept: answers heard vs false accepts.
      for (const floor of [-30, -40, -50, -60, -70, -80, -90, -100, -120, -150]) {
        const g = yesNoFigures(outcomes, floor);
        emit(BENCH, `${s.name}_sweep`, floor, 'score/frame', { answers_heard_pct: rate(g.answered, g.answers), false_accept_pct: rate(g.falseAccept, g.others), false_yes_pct: rate(g.falseYes, g.others) });
      }
      // A false no costs a question ("what should I change?"), a false yes a wrong booking: a
      // floor for each answer.
      for (const yesFloor of CHECK_TURN ? [-40, -45, -50, -55, -60, -70] : [-35, -40, -45, -50]) {
        for (const noFloor of [-40, -50, -60, -70, -1e9]) {
          const said = (o: Outcome): 'yes' | 'no' | null => { const p = polarity(o.r); return p === null ? null : (o.r.fit ?? -Infinity) >= (p === 'yes' ? yesFloor : noFloor) ? p : null; };
          const answers = outcomes.filter((o) => o.clip.kind === 'answer');
          const others = outcomes.filter((o) => o.clip.kind !== 'answer');
          emit(BENCH, `${s.name}_sweep_yes_no`, yesFloor, 'yes floor', { no_floor: noFloor, answers_heard_pct: rate(answers.filter((o) => said(o) === expected(o.clip.said)).length, answers.length), yes_heard_pct: rate(answers.filter((o) => expected(o.clip.said) === 'yes' && said(o) === 'yes').length, answers.filter((o) => expected(o.clip.said) === 'yes').length), false_accept_pct: rate(others.filter((o) => said(o) !== null).length, others.length), false_yes_pct: rate(others.filter((o) => said(o) === 'yes').length, others.length), yes_as_no_pct: rate(answers.filter((o) => expected(o.clip.said) === 'yes' && said(o) === 'no').length, answers.filter((o) => expected(o.clip.said) === 'yes').length) });
        }
      }
      const fits = (pred: (o: Outcome) => boolean): number[] => outcomes.filter(pred).map((o) => o.r.fit ?? Number.NaN).filter(Number.isFinite).sort((a, b) => a - b);
      const right = fits((o) => o.clip.kind === 'answer' && polarity(o.r) === expected(o.clip.said));
      const wrong = fits((o) => o.clip.kind !== 'answer' && polarity(o.r) !== null);
      emit(BENCH, `${s.name}_fit_right_answers`, percentile(right, 50), 'score/frame p50', { p5: percentile(right, 5), p10: percentile(right, 10), n: right.length });
      emit(BENCH, `${s.name}_fit_false_accepts`, percentile(wrong, 50), 'score/frame p50', { p90: percentile(wrong, 90), p95: percentile(wrong, 95), max: wrong.at(-1) ?? null, n: wrong.length });
    }
    if (process.env['SPA_BENCH_VERBOSE']) {
      for (const o of outcomes) if ((o.clip.kind === 'answer') !== (polarity(o.r) !== null)) console.error(`${s.name} ${o.clip.kind} ${o.clip.voice} ${o.clip.condition} said "${o.clip.said}" heard "${o.r.text}" rejected=${String(o.r.rejected ?? false)} fit=${String(o.r.fit)}`);
    }
  }
}

/**
 * Tuning experiment (--cross): each yes/no clip decoded twice, by the turn's grammar and by the
 * caller language model; the language model's words read by the understanding layer (after a
 * confirmation question). Strategies compared: the grammar with the score floor; the language
 * model alone; the grammar's answer kept only when the language model's reading agrees.
 */
async function crossCheck(voices: readonly VoiceName[], tune: boolean, grammarOf: (e: CallerExpects, constrained: boolean) => AsrGrammar, half: 'tuning' | 'test'): Promise<void> {
  const log = createLogger({ level: 'silent' });
  const spa = demoSpa();
  const catalogue = (): string[] => spa.services.flatMap((s) => [s.name, ...s.aliases]);
  const world = corpusWorld();
  const { understander } = defaultUnderstander();
  const lm = new CallerLanguageModel({ log, source: { domain: () => callerDomainOf(spa), revision: () => 0 }, cacheDir: CACHE });
  await lm.start();
  const base: PocketsphinxConfig = { timeoutMs: 60_000, warmDecoders: 0, minScorePerFrame: { wideband: -1e9, narrowband: -1e9 } };
  const band = { narrowband: { grammar: 'band-fill', languageModel: 'band-fill' } } as const;
  const gWide = new PocketsphinxAsr({ log, config: base });
  const gNb = new PocketsphinxAsr({ log, config: { ...base, ...band } });
  const lWide = new PocketsphinxAsr({ log, config: { ...base, languageModel: lm } });
  const lNb = new PocketsphinxAsr({ log, config: { ...base, languageModel: lm, ...band } });
  const all = [gWide, gNb, lWide, lNb];
  for (const a of all) await a.start();
  const clips = [
    ...(await clipsFor([...YES, ...NO], 'answer', voices, tune ? 100 : 200)),
    ...(await clipsFor(OUT_OF_GRAMMAR[half], 'oog', voices, tune ? 300 : 400)),
  ];
  for (const [v, voice] of voices.entries()) {
    for (const noise of await noises((tune ? 11 : 51) + v, voice)) clips.push({ kind: 'noise', said: noise.said, audio: noise.audio, voice, condition: 'noise' });
  }
  const open: AsrGrammar = { ...(callerExpectation('open', catalogue).grammar ?? {}), free: true };
  type Row = { clip: Clip; g: AsrResult; l: AsrResult; lp: 'yes' | 'no' | null };
  const rows = { wide: [] as Row[], nb: [] as Row[] };
  const ctx = world.context({ after: 'confirm' });
  const reading = async (text: string): Promise<'yes' | 'no' | null> => {
    if (text.trim() === '') return null;
    const u = await understander.understand(text, ctx);
    if (u.yes && !u.no) return 'yes';
    if (u.no && !u.yes) return 'no';
    return null;
  };
  try {
    let i = 0;
    for (const clip of clips) {
      const narrow = lineFor(clip, i++);
      if (i % 20 === 0) console.error(`${i}/${clips.length} clips`);
      for (const [band2, audio, g, l] of [['wide', clip.audio, gWide, lWide], ['nb', narrow, gNb, lNb]] as const) {
        const gr = await g.recognize(audio, { grammar: grammarOf('yes-no', true), narrowband: band2 === 'nb' });
        const lr = await l.recognize(audio, { grammar: open, narrowband: band2 === 'nb' });
        rows[band2].push({ clip, g: gr, l: lr, lp: await reading(lr.text) });
        if (process.env['SPA_BENCH_VERBOSE']) console.error(`${band2} ${clip.kind} "${clip.said}" grammar "${gr.text}" fit=${String(gr.fit)} lm "${lr.text}" -> ${String(rows[band2].at(-1)?.lp)} ${Math.round(gr.elapsedMs)}/${Math.round(lr.elapsedMs)} ms`);
      }
    }
  } finally {
    for (const a of all) await a.stop();
    await lm.stop();
  }
  const strategies: Record<string, (r: Row) => 'yes' | 'no' | null> = {
    grammar_floor40: (r) => polarity(r.g, -40),
    grammar_floor50: (r) => polarity(r.g, -50),
    grammar_only: (r) => polarity(r.g),
    lm_reading: (r) => r.lp,
    agree: (r) => { const p = polarity(r.g); return p !== null && p === r.lp ? p : null; },
    agree_or_fit40: (r) => { const p = polarity(r.g); return p !== null && (p === r.lp || (r.lp === null && (r.g.fit ?? -Infinity) >= -40)) ? p : null; },
    agree_or_fit50: (r) => { const p = polarity(r.g); return p !== null && (p === r.lp || (r.lp === null && (r.g.fit ?? -Infinity) >= -50)) ? p : null; },
  };
  for (const [band2, rs] of Object.entries(rows)) {
    for (const [name, f] of Object.entries(strategies)) {
      const answers = rs.filter((r) => r.clip.kind === 'answer');
      const others = rs.filter((r) => r.clip.kind !== 'answer');
      const heard = answers.filter((r) => f(r) === expected(r.clip.said)).length;
      const fa = others.filter((r) => f(r) !== null).length;
      const fy = others.filter((r) => f(r) === 'yes').length;
      emit(BENCH, `cross_${band2}_${name}`, rate(heard, answers.length), '% answers heard', { half, false_accept_pct: rate(fa, others.length), false_yes_pct: rate(fy, others.length), tries: others.length });
    }
    const ms = rs.map((r) => r.l.elapsedMs).sort((a, b) => a - b);
    emit(BENCH, `cross_${band2}_lm_decode_ms_p50`, percentile(ms, 50), 'ms', { p95: percentile(ms, 95) });
  }
}

/** Choice among offered slots and spoken digits: sentence accuracy (accepted and right). */
async function choiceAndDigits(systems: readonly System[], voices: readonly VoiceName[], tune: boolean, grammarOf: (e: CallerExpects, constrained: boolean) => AsrGrammar, extra: Record<string, unknown>): Promise<void> {
  const rng = seededRandom(tune ? 5 : 9);
  const numbers = Array.from({ length: 6 }, () => Array.from({ length: 7 }, () => ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'][Math.floor(rng() * 10)]).join(' '));
  if (process.argv.includes('--choice-lm')) return choiceByLanguageModel(systems, voices, tune, grammarOf);
  for (const [turn, texts] of [['choice', CHOICES], ['digits', numbers]] as const) {
    const turnClips = await clipsFor(texts, 'answer', voices, tune ? 600 : 700);
    const heard = await decodeAll(systems.filter((s) => s.constrained), turnClips, () => grammarOf(turn, true));
    for (const [name, outcomes] of heard) {
      const right = outcomes.filter((o) => !o.r.rejected && norm(o.r.text) === norm(o.clip.said)).length;
      const rejected = outcomes.filter((o) => o.r.rejected).length;
      emit(BENCH, `${name}_${turn}_sentence_accuracy`, rate(right, outcomes.length), '%', { ...extra, utterances: outcomes.length, rejected_pct: rate(rejected, outcomes.length) });
    }
  }
}

/** The ordinal a choice answer names ('first', 'second', ...), or null for none or several. */
function ordinalOf(text: string): string | null {
  const found = norm(text).split(' ').filter((w) => ['first', 'second', 'third', 'last', 'earlier', 'later'].includes(w));
  return new Set(found).size === 1 ? (found[0] ?? null) : null;
}

/**
 * Tuning experiment (--choice-lm): picking an offered slot decoded by the choice grammar and by the
 * caller language model, judged on the ordinal heard (what the dialog acts on).
 */
async function choiceByLanguageModel(systems: readonly System[], voices: readonly VoiceName[], tune: boolean, grammarOf: (e: CallerExpects, constrained: boolean) => AsrGrammar): Promise<void> {
  const log = createLogger({ level: 'silent' });
  const spa = demoSpa();
  const catalogue = (): string[] => spa.services.flatMap((s) => [s.name, ...s.aliases]);
  const lm = new CallerLanguageModel({ log, source: { domain: () => callerDomainOf(spa), revision: () => 0 }, cacheDir: CACHE });
  await lm.start();
  const base: PocketsphinxConfig = { timeoutMs: 60_000, warmDecoders: 0 };
  const lWide = new PocketsphinxAsr({ log, config: { ...base, languageModel: lm } });
  const lNb = new PocketsphinxAsr({ log, config: { ...base, languageModel: lm, narrowband: { grammar: 'band-fill', languageModel: 'band-fill' } } });
  await lWide.start();
  await lNb.start();
  const clips = await clipsFor(CHOICES, 'answer', voices, tune ? 600 : 700);
  const open: AsrGrammar = { ...(callerExpectation('open', catalogue).grammar ?? {}), free: true };
  try {
    const heard = await decodeAll(systems.filter((s) => s.constrained), clips, () => grammarOf('choice', true));
    for (const [name, outcomes] of heard) {
      const right = outcomes.filter((o) => !o.r.rejected && ordinalOf(o.r.text) === ordinalOf(o.clip.said)).length;
      emit(BENCH, `${name}_choice_ordinal_right`, rate(right, outcomes.length), '%', { utterances: outcomes.length, decoder: 'grammar' });
    }
    const phrasesOnly: AsrGrammar = { phrases: grammarOf('choice', true).phrases ?? [], closed: true, constrained: true };
    const closed = await decodeAll(systems.filter((s) => s.constrained), clips, () => phrasesOnly);
    for (const [name, outcomes] of closed) {
      const right = outcomes.filter((o) => !o.r.rejected && ordinalOf(o.r.text) === ordinalOf(o.clip.said)).length;
      emit(BENCH, `${name}_choice_ordinal_right`, rate(right, outcomes.length), '%', { utterances: outcomes.length, decoder: 'closed phrases', rejected_pct: rate(outcomes.filter((o) => o.r.rejected).length, outcomes.length) });
    }
    for (const [name, asr, narrowband] of [['wide', lWide, false], ['nb_band-fill', lNb, true]] as const) {
      let right = 0;
      let i = 0;
      for (const clip of clips) {
        const audio = narrowband ? lineFor(clip, i) : clip.audio;
        i++;
        const r = await asr.recognize(audio, { grammar: open, narrowband });
        if (ordinalOf(r.text) === ordinalOf(clip.said)) right++;
        if (process.env['SPA_BENCH_VERBOSE']) console.error(`${name} lm said "${clip.said}" heard "${r.text}"`);
      }
      emit(BENCH, `${name}_choice_ordinal_right`, rate(right, clips.length), '%', { utterances: clips.length, decoder: 'caller language model' });
    }
  } finally {
    await lWide.stop();
    await lNb.stop();
    await lm.stop();
  }
}

async function openTurns(voices: readonly VoiceName[], tune: boolean, fronts: readonly Front[], n: number, base: PocketsphinxConfig, catalogue: () => string[], extra: Record<string, unknown>): Promise<void> {
  const log = createLogger({ level: 'silent' });
  const spa = demoSpa();
  const dictionary = pronunciationsOf(readFileSync(join(MODEL_DIR, 'cmudict-en-us.dict'), 'utf8'));
  const scorer = new Scorer({ dictionary, services: catalogue(), providers: spa.providers.map((p) => p.name) });
  const split = tune ? 'dev' : 'test';
  const lines = readFileSync(join(ROOT, 'test', 'nlu', 'split', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; from: string; after?: string })
    .filter((l) => !l.from.startsWith('texting') && (l.after ?? 'open') === 'open')
    .filter((l) => { const w = scorer.canonical(l.text).length; return w >= 1 && w <= 30; });
  const rng = seededRandom(tune ? 21 : 12);
  const picked = lines.map((l) => ({ l, k: rng() })).sort((a, b) => a.k - b.k).slice(0, n).map((x) => x.l.text);
  const lm = new CallerLanguageModel({ log, source: { domain: () => callerDomainOf(spa), revision: () => 0 }, cacheDir: CACHE });
  await lm.start();
  if (!lm.current()) throw new Error('the caller language model could not be built');
  const engines = [
    { name: 'wide', narrowband: false, asr: new PocketsphinxAsr({ log, config: { ...base, languageModel: lm } }) },
    ...fronts.map((f) => ({ name: `nb_${f}`, narrowband: f !== 'plain', asr: new PocketsphinxAsr({ log, config: { ...base, languageModel: lm, ...(f === 'plain' ? {} : { narrowband: { grammar: f, languageModel: f } }) } }) })),
  ];
  const tallies = new Map<string, Tally>(engines.map((e) => [e.name, newTally()]));
  const grammar: AsrGrammar = { ...(callerExpectation('open', catalogue).grammar ?? {}), free: true };
  try {
    for (const e of engines) await e.asr.start();
    const clips = await clipsFor(picked, 'answer', voices, tune ? 800 : 900);
    let i = 0;
    for (const clip of clips) {
      const narrow = lineFor(clip, i++);
      const reference = scorer.canonical(clip.said);
      for (const e of engines) {
        const r = await e.asr.recognize(e.name === 'wide' ? clip.audio : narrow, { grammar, narrowband: e.narrowband });
        addTo(tallies.get(e.name) as Tally, scorer, reference, scorer.canonical(r.text), r.elapsedMs);
      }
    }
  } finally {
    for (const e of engines) await e.asr.stop();
    await lm.stop();
  }
  for (const [name, t] of tallies) {
    const said = Object.values(t.keys).reduce((s, k) => s + k.said, 0);
    const kept = Object.values(t.keys).reduce((s, k) => s + k.kept, 0);
    const ms = [...t.ms].sort((a, b) => a - b);
    emit(BENCH, `${name}_open_wer`, rate(t.errors, t.refWords), '%', { ...extra, split, utterances: t.utterances, words: t.refWords });
    emit(BENCH, `${name}_open_keywords_kept`, rate(kept, said), '%', { keywords: said });
    emit(BENCH, `${name}_open_decode_ms_p50`, percentile(ms, 50), 'ms');
    emit(BENCH, `${name}_open_decode_ms_p95`, percentile(ms, 95), 'ms');
  }
}
