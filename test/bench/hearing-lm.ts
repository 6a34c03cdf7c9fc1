// npm run bench -- hearing-lm [--split test|dev] [--voices test|tuning] [--n N] [--systems grammar,generic,domain]
//                             [--params JSON] [--lw X] [--wip X] [--answers] [--rebuild]
// How well pocketsphinx hears callers in open turns, wideband (16 kHz): held-out caller sentences
// of the understanding corpus (its speech-like writers: not the texting one), spoken by voices the
// recogniser's settings were never tuned on, some perturbed (sox tempo 0.9/1.1, pitch +-200 cents,
// white noise at 20 dB SNR, in turn), decoded three ways:
//   grammar  today's open-turn phrase grammar (caller-grammars.ts, 'open'),
//   generic  Debian's generic en-us language model (pocketsphinx's own -lw/-wip),
//   domain   the spa's caller language model (lm/), interpolated with the generic one.
// Printed per system: WER, key-word retention (services, days, times and numbers, providers), the
// wall time of recognize() per utterance (p50/p95) and, apart, the decoder's start-up time. One
// decoder process at a time (no warm decoders: the machine is shared), so the wall time includes
// the start-up, which calls do not wait for (their decoders are started ahead).
// --answers: the corpus's answers to "when?" and "which treatment?" instead, decoded with that
// turn's grammar and with the caller model (whether those turns should use the model too).
// Tuning: --split dev --voices tuning (flite kal16, slt), varying --params (CallerLmParams), --lw
// and --wip. The figures to report: the defaults (test split, test voices). Never tune on test.
// --rebuild: the caller model is built afresh first (its build time is printed; the generic
// slice, made once per machine, stays cached).
import { readFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { demoSpa } from '../../appliance/booking/demo-spa.js';
import { createLogger } from '../../appliance/log.js';
import { callerExpectation, type CallerExpects } from '../../appliance/voice/asr/caller-grammars.js';
import { DEFAULT_CALLER_LM_PARAMS, type CallerLmParams } from '../../appliance/voice/asr/lm/build.js';
import { pronunciationsOf } from '../../appliance/voice/asr/lm/caller-lm-build.js';
import { CallerLanguageModel, callerDomainOf, inputsKey } from '../../appliance/voice/asr/lm/caller-lm.js';
import { readCallerSentences } from '../../appliance/voice/asr/lm/caller-sentences.js';
import { PocketsphinxAsr, type PocketsphinxConfig } from '../../appliance/voice/asr/pocketsphinx.js';
import type { AsrGrammar } from '../../appliance/voice/asr/types.js';
import { seededRandom } from '../../appliance/shared/random.js';
import { addTo, newTally, Scorer, type KeyClass, type Tally } from './hearing/score.js';
import { CONDITIONS, perturb, speak, TEST_VOICES, TUNING_VOICES, type VoiceName } from './hearing/voices.js';
import { emit, percentile } from './report.js';

const BENCH = 'hearing-lm';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CACHE = join(ROOT, '.bench-tmp', 'speech');
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

type System = 'grammar' | 'generic' | 'domain';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

interface Line {
  text: string;
  from: string;
  after: string;
}

function readLines(split: string): Line[] {
  return readFileSync(join(ROOT, 'test', 'nlu', 'split', `${split}.jsonl`), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { text: string; from: string; after?: string })
    .map((l) => ({ text: l.text, from: l.from, after: l.after ?? 'open' }));
}

/** A seeded sample of `n` lines (all when fewer). */
function sample<T>(list: readonly T[], n: number, seed: number): T[] {
  const rng = seededRandom(seed);
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy.slice(0, n);
}

function report(system: string, t: Tally, extra: Record<string, unknown>): void {
  const keys = Object.entries(t.keys) as [KeyClass, { said: number; kept: number }][];
  const said = keys.reduce((s, [, k]) => s + k.said, 0);
  const kept = keys.reduce((s, [, k]) => s + k.kept, 0);
  const ms = [...t.ms].sort((a, b) => a - b);
  const perClass = Object.fromEntries(keys.map(([c, k]) => [c, k.said > 0 ? Math.round((1000 * k.kept) / k.said) / 10 : null]));
  emit(BENCH, `${system}_wer`, (100 * t.errors) / Math.max(1, t.refWords), '%', { utterances: t.utterances, words: t.refWords, ...extra });
  emit(BENCH, `${system}_keywords_kept`, (100 * kept) / Math.max(1, said), '%', { keywords: said, by_class: perClass, ...extra });
  emit(BENCH, `${system}_decode_ms_p50`, percentile(ms, 50), 'ms', extra);
  emit(BENCH, `${system}_decode_ms_p95`, percentile(ms, 95), 'ms', extra);
}

export async function run(): Promise<void> {
  const split = arg('split') ?? 'test';
  const voicesArg = arg('voices') ?? 'test';
  const voices: readonly VoiceName[] = voicesArg === 'tuning' ? TUNING_VOICES : voicesArg === 'test' ? TEST_VOICES : (voicesArg.split(',') as VoiceName[]);
  const answers = process.argv.includes('--answers');
  const systems = (arg('systems') ?? (answers ? 'grammar,domain' : 'grammar,generic,domain')).split(',') as System[];
  const n = Number(arg('n') ?? (answers ? 1000 : 40));
  const params: CallerLmParams = { ...DEFAULT_CALLER_LM_PARAMS, ...(JSON.parse(arg('params') ?? '{}') as Partial<CallerLmParams>) };
  const lw = arg('lw');
  const wip = arg('wip');
  if (split === 'test' && (voicesArg === 'tuning' || arg('params') || lw || wip)) console.error('note: tuning options on the test split; report these figures only as a check, tune on dev');

  const log = createLogger({ level: 'silent' });
  const spa = demoSpa();
  const catalogue = (): string[] => spa.services.flatMap((s) => [s.name, ...s.aliases]);
  const dictionary = pronunciationsOf(readFileSync(join(MODEL_DIR, 'cmudict-en-us.dict'), 'utf8'));
  const scorer = new Scorer({ dictionary, services: catalogue(), providers: spa.providers.map((p) => p.name) });

  // Sentences: speech-like writers only (texting shorthand is not what callers say).
  const all = readLines(split).filter((l) => !l.from.startsWith('texting'));
  const wanted = answers ? all.filter((l) => l.after === 'when' || l.after === 'service') : all.filter((l) => l.after === 'open');
  const lines = sample(wanted.filter((l) => { const w = scorer.canonical(l.text).length; return w >= 1 && w <= 30; }), n, 12);

  if (process.argv.includes('--rebuild')) {
    const key = await inputsKey({ domain: callerDomainOf(spa), extraTexts: await readCallerSentences(), params }, MODEL_DIR);
    await rm(join(CACHE, 'caller-lm', key), { recursive: true, force: true });
  }
  const lm = new CallerLanguageModel({ log, source: { domain: () => callerDomainOf(spa), revision: () => 0 }, cacheDir: CACHE, config: { params } });
  const t0 = performance.now();
  if (systems.includes('domain')) await lm.start();
  const lmMs = performance.now() - t0;
  if (systems.includes('domain') && !lm.current()) throw new Error('the caller language model could not be built');
  // A slow decode on a loaded machine is measured, not cut off; one decoder process at a time.
  const timeoutMs = 60_000;
  const base = { timeoutMs, warmDecoders: 0 };
  const lmConfig: PocketsphinxConfig = { ...base, languageModel: lm, ...(lw ? { lmWeight: Number(lw) } : {}), ...(wip ? { lmWordInsertionPenalty: Number(wip) } : {}) };
  const engines: Record<System, PocketsphinxAsr> = {
    grammar: new PocketsphinxAsr({ log, config: base }),
    // The generic model with pocketsphinx's own word insertion penalty (the 1e-3 default here suits phrase grammars).
    generic: new PocketsphinxAsr({ log, config: { ...base, wordInsertionPenalty: 0.65 } }),
    domain: new PocketsphinxAsr({ log, config: lmConfig }),
  };
  const grammarFor = (system: System, after: string): AsrGrammar | undefined => {
    const expects: CallerExpects = after === 'when' ? 'when' : after === 'service' ? 'service' : 'open';
    const g = callerExpectation(expects, catalogue).grammar;
    if (system === 'generic') return undefined;
    if (system === 'grammar') return g ? { ...g, free: false } : g;
    return { ...g, free: true };
  };

  const tallies = new Map<System, Tally>(systems.map((s) => [s, newTally()]));
  const byVoice = new Map<string, Tally>();
  const misses: string[] = [];
  const startup = new Map<System, number>();
  try {
    for (const e of Object.values(engines)) await e.start();
    // Start-up: the median wall time of a one-word clip (mostly loading the model and grammar).
    const yes = await speak('yes', voices[0] ?? 'flite:kal16');
    for (const system of systems) {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) times.push((await engines[system].recognize(yes, { grammar: grammarFor(system, 'open') })).elapsedMs);
      startup.set(system, percentile(times.sort((a, b) => a - b), 50));
    }
    let k = 0;
    for (const line of lines) {
      const reference = scorer.canonical(line.text);
      for (const voice of voices) {
        const condition = CONDITIONS[k % CONDITIONS.length] ?? 'clean';
        k++;
        const clip = await perturb(await speak(line.text, voice), condition, k);
        for (const system of systems) {
          const r = await engines[system].recognize(clip, { grammar: grammarFor(system, line.after) });
          const hypothesis = scorer.canonical(r.text);
          const tally = tallies.get(system) as Tally;
          addTo(tally, scorer, reference, hypothesis, r.elapsedMs);
          for (const key of [`${system}/${voice}`, `${system}/${condition}`]) {
            if (!byVoice.has(key)) byVoice.set(key, newTally());
            addTo(byVoice.get(key) as Tally, scorer, reference, hypothesis, r.elapsedMs);
          }
          if (process.env['SPA_BENCH_VERBOSE']) misses.push(`${system} ${voice} ${condition}\n  said:  ${reference.join(' ')}\n  heard: ${hypothesis.join(' ')}`);
        }
      }
    }
  } finally {
    for (const e of Object.values(engines)) await e.stop();
    await lm.stop();
  }
  const extra = { split, voices: voices.join(','), turns: answers ? 'when+service answers' : 'open', conditions: CONDITIONS.join(','), params, lw: lw ?? 'default', wip: wip ?? 'default' };
  for (const system of systems) {
    report(system, tallies.get(system) as Tally, extra);
    emit(BENCH, `${system}_startup_ms_p50`, startup.get(system) ?? Number.NaN, 'ms', { note: 'a one-word clip: decoder start-up and model load, included in the decode times above' });
  }
  emit(BENCH, 'caller_lm_ready_ms', lmMs, 'ms', { note: process.argv.includes('--rebuild') ? 'start(): a full build in its child process (generic slice cached)' : 'start(): from the cache when built before' });
  for (const [key, t] of byVoice) {
    const said = Object.values(t.keys).reduce((s, k) => s + k.said, 0);
    const kept = Object.values(t.keys).reduce((s, k) => s + k.kept, 0);
    emit(BENCH, 'by_voice_or_condition', (100 * t.errors) / Math.max(1, t.refWords), '% WER', { of: key, utterances: t.utterances, keywords_kept_pct: Math.round((1000 * kept) / Math.max(1, said)) / 10 });
  }
  if (misses.length > 0) console.error(misses.join('\n'));
}
