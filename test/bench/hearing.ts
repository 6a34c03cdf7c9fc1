// npm run bench -- hearing [--tune] [--n N] [--only utterances|calls] [--band wideband|narrowband] [--show-calls] [--misses] [--written] [--by-voice]
//                           [--checks]  (--checks: the slot-check threshold swept, with --tune to choose CHECK_BELOW)
//                           [--asr JSON] [--lm JSON]  (with --tune: decoder settings over the appliance's, e.g. '{"lmWeight":9}',
//                                         see turn-decoder.ts DecoderSettings; caller-LM parameters over DEFAULT_CALLER_LM_PARAMS,
//                                         e.g. '{"domainWeight":0.95}'; test/bench/hearing/sweep.sh runs a table of them)
//                           [--mllr FILE]  (with --tune: the acoustic model's MLLR transform, both bands; per band with
//                                         --asr '{"adaptation":{"narrowband":FILE}}'; test/bench/hearing/adapt-model.sh makes one)
//                           [--hmm DIR]  (with --tune: a MAP-adapted acoustic model folder for open turns, both bands, with the
//                                         MLLR transform on top unless --asr '{"adaptation":{"narrowband":null}}'; grammar turns
//                                         too with --asr '{"adaptedModel":{"grammarTurns":true}}'; adapt-model.sh DIR map makes one)
//                           [--voices V1,V2]  (with --tune: only these tuning voices speak, for cross-voice checks)
//                           [--strip-names]  (with --tune: the caller model's written sentences without the callers' own names)
// The held-out hearing benchmark of issue 12, wideband (L16/16 kHz) and narrowband (G.711) apart:
//  1. Utterances: held-out lines of the understanding corpus (test split, the spoken ones: open,
//     service, when and anything-else turns, not texting) spoken by the test voices under a random
//     perturbation (tempo, pitch, white noise at 15-30 dB SNR); narrowband ones through the phone
//     line (a G.711 round trip, mu-law or A-law, 1-3% of packets lost and concealed). Decoded as
//     the box decodes an open turn (the appliance's pocketsphinx settings, the spa's caller language
//     model, band filling on narrowband) and understood by the box's understanding (the committed
//     model): WER, intent accuracy, key-slot accuracy (service, day, time, provider).
//  2. Scripted calls (hearing/calls.json, written for this bench): the real receptionist and
//     VoiceAgent over a test spa database, each caller line spoken by a test voice (perturbed) and
//     decoded with the turn's own grammar or language model, as the box would; rejected speech
//     reaches the agent as rejected. Goals judged on the database or the outcome
//     (hearing/call-judge.ts), with and without the caller pressing keys when the keypad is offered.
//     The written lines through the same calls give the ceiling (what the dialog does with perfect hearing).
//  3. Repair (appliance/agent/slot-check.ts): on the utterances, how often a key slot would be checked
//     (its words' confidence below CHECK_BELOW), the wrong values caught and missed, and key-slot
//     accuracy after repair if the caller's answer to the check is heard right; on the calls, the
//     checks asked (the scripted caller answers them truthfully from its own lines and goal).
// --tune: dev lines and tuning voices instead (the figures to tune on); the default is the figures
// to report. Clips and decodes are cached under .bench-tmp/hearing: a rerun decodes nothing new.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intentCues, keepsMeaning } from '../../appliance/agent/nlu/asr-labels.js';
import { corpusWorld, readSplit, readTraining, TRAINING_DIRS } from '../../appliance/agent/nlu/lab.js';
import { NluModel } from '../../appliance/agent/nlu/model.js';
import { understandLearned } from '../../appliance/agent/nlu/understander.js';
import type { CorpusUtterance } from '../../appliance/agent/nlu/corpus.js';
import { demoSpa } from '../../appliance/booking/demo-spa.js';
import { createLogger } from '../../appliance/log.js';
import { seededRandom } from '../../appliance/shared/random.js';
import { callerExpectation } from '../../appliance/voice/asr/caller-grammars.js';
import { DEFAULT_CALLER_LM_PARAMS, type CallerLmParams } from '../../appliance/voice/asr/lm/build.js';
import { CallerLanguageModel, callerDomainOf } from '../../appliance/voice/asr/lm/caller-lm.js';
import { callerSentenceSources, readCallerSentences } from '../../appliance/voice/asr/lm/caller-sentences.js';
import { spokenWords } from '../../appliance/voice/asr/lm/spoken.js';
import { wordErrors } from '../../appliance/voice/asr/wer.js';
import { speakable } from './hearing/asr-transcripts.js';
import { runCall, type CallRun, type Hear } from './hearing/call-runner.js';
import { NLU_TUNING_VOICES, TEST_VOICES } from './hearing/nlu-audio.js';
import { KEY_SLOTS, scoreHeard } from './hearing/nlu-score.js';
import { readScriptedCalls } from './hearing/scripted-call.js';
import { lineLabel, spokenLine, TurnDecoder, type Band, type DecoderSettings } from './hearing/turn-decoder.js';
import type { VoiceName } from './hearing/voices.js';
import { emit, percentile } from './report.js';
import { CHECK_BELOW, slotConfidence, type HeardWord } from '../../appliance/agent/slot-confidence.js';
import { scoreChecks } from './hearing/check-score.js';

const BENCH = 'hearing';
const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const CACHE = join(ROOT, '.bench-tmp', 'hearing');
/** The caller language model's cache, shared with hearing-nb (same class, same inputs: built once). */
const LM_CACHE = join(ROOT, '.bench-tmp', 'speech');
const CALLS = join(ROOT, 'test', 'bench', 'hearing', 'calls.json');

/** The goals, printed next to the figures (test voices). */
const GOALS = {
  wideband: { intent_accuracy: 90, key_slot_accuracy: 85, calls_goal_reached: 80 },
  narrowband: { intent_accuracy: 75, calls_goal_reached_with_keypad: 90 },
} as const;

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/**
 * The written caller sentences less the words of the callers' own names (the name slots of the
 * files they were made from): whether first names the open turn never needs (names have their own
 * turn) make garbled speech come out as "aaliyah" or "ottilie".
 */
function withoutCallerNames(sentences: readonly string[]): string[] {
  const names = new Set<string>();
  for (const file of callerSentenceSources().train) {
    for (const line of readFileSync(file, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      const name = (JSON.parse(line) as { slots?: { name?: unknown } }).slots?.name;
      if (typeof name === 'string') for (const w of spokenWords(name)) names.add(w);
    }
  }
  return sentences.map((s) => s.split(' ').filter((w) => !names.has(w)).join(' ')).filter((s) => s !== '');
}

/** The tuning voices to speak with: all of them, or a comma-separated few of them (--voices, cross-voice checks). */
function tuningVoices(list: string | undefined): readonly VoiceName[] {
  if (list === undefined) return NLU_TUNING_VOICES;
  const chosen = list.split(',') as VoiceName[];
  for (const v of chosen) if (!NLU_TUNING_VOICES.includes(v)) throw new Error(`--voices: ${v} is not a tuning voice`);
  return chosen;
}

const pct = (n: number, d: number): number => (d === 0 ? Number.NaN : (100 * n) / d);

export async function run(): Promise<void> {
  const t0 = performance.now();
  const tune = process.argv.includes('--tune');
  const voices = tune ? tuningVoices(arg('voices')) : TEST_VOICES;
  const split = tune ? 'dev' : 'test';
  const only = arg('only');
  const bands: Band[] = arg('band') ? [arg('band') as Band] : ['wideband', 'narrowband'];
  const log = createLogger({ level: 'silent' });
  const spa = demoSpa();
  const asr = arg('asr');
  const lmArg = arg('lm');
  if ((asr || lmArg || arg('voices')) && !tune) throw new Error('--asr, --lm and --voices are for tuning: use them with --tune');
  const mllr = arg('mllr');
  if (mllr && !tune) throw new Error('--mllr is for tuning: use it with --tune');
  const hmm = arg('hmm');
  if (hmm && !tune) throw new Error('--hmm is for tuning: use it with --tune');
  const parsed = asr ? (JSON.parse(asr) as DecoderSettings) : undefined;
  const withMllr = mllr ? { ...parsed, adaptation: { wideband: mllr, narrowband: mllr } } : parsed;
  const settings = hmm ? { ...withMllr, adaptedModel: { ...withMllr?.adaptedModel, wideband: hmm, narrowband: hmm } } : withMllr;
  const params: CallerLmParams = { ...DEFAULT_CALLER_LM_PARAMS, ...(lmArg ? (JSON.parse(lmArg) as Partial<CallerLmParams>) : {}) };
  const stripNames = process.argv.includes('--strip-names');
  if (stripNames && !tune) throw new Error('--strip-names is for tuning: use it with --tune');
  const extraTexts = stripNames ? { extraTexts: withoutCallerNames(await readCallerSentences()) } : {};
  const lm = new CallerLanguageModel({ log, source: { domain: () => callerDomainOf(spa), revision: () => 0 }, cacheDir: LM_CACHE, config: { params, ...extraTexts } });
  await lm.start();
  if (!lm.current()) throw new Error('the caller language model could not be built');
  const decoder = new TurnDecoder({ log, cacheDir: CACHE, languageModel: lm, ...(settings ? { settings } : {}) });
  const extra = { split, voices: voices.join(','), lm: lm.current()?.key ?? null, ...(settings ? { asr: settings } : {}) };
  await decoder.start();
  try {
    if (only !== 'calls') await utterances(decoder, voices, bands, split, extra);
    if (only !== 'utterances') await calls(decoder, voices, bands, extra);
  } finally {
    await decoder.stop();
    await lm.stop();
  }
  emit(BENCH, 'bench_wall_s', (performance.now() - t0) / 1000, 's', { decoded: decoder.decoded, from_cache: decoder.cachedHits });
}

async function utterances(decoder: TurnDecoder, voices: readonly VoiceName[], bands: readonly Band[], split: 'test' | 'dev', extra: Record<string, unknown>): Promise<void> {
  const world = corpusWorld();
  const model = NluModel.load();
  const lines = readSplit(world)[split].filter(speakable);
  const cues = intentCues(readTraining(world, { ...TRAINING_DIRS, asr: null }).train);
  const n = Number(arg('n') ?? 200);
  const rng = seededRandom(split === 'test' ? 6151 : 7333);
  const chosen = lines.map((u) => ({ u, r: rng() })).sort((a, b) => a.r - b.r).slice(0, n).map((x) => x.u);
  const demo = demoSpa();
  const open = { ...(callerExpectation('open', () => demo.services.flatMap((s) => [s.name, ...s.aliases])).grammar ?? {}), free: true };
  for (const band of bands) {
    const items: { u: CorpusUtterance; heard: string; words: HeardWord[]; voice: VoiceName }[] = [];
    let refWords = 0;
    let errors = 0;
    /** Words left out and put in (the word insertion penalty trades one for the other). */
    let deleted = 0;
    let inserted = 0;
    let failed = 0;
    /** Decode times of the lines decoded in this run (cached ones take none). */
    const ms: number[] = [];
    for (const [i, u] of chosen.entries()) {
      if (i % 25 === 0) console.error(`${band}: ${i}/${chosen.length} utterances`);
      const line = spokenLine(u.text, (split === 'test' ? 1_000_003 : 2_000_003) * (i + 1), voices, band);
      let heard: string;
      let words: HeardWord[];
      try {
        const h = await decoder.hear(line, open);
        ({ text: heard, words } = h);
        if (h.ms > 0) ms.push(h.ms);
      } catch (err) {
        failed++;
        console.error(`not decoded (${lineLabel(line)}): ${String(err)}`);
        continue;
      }
      items.push({ u, heard, words, voice: line.voice });
      const e = wordErrors(spokenWords(u.text), spokenWords(heard));
      refWords += e.referenceWords;
      errors += e.substitutions + e.deletions + e.insertions;
      deleted += e.deletions;
      inserted += e.insertions;
    }
    const s = scoreHeard(items, (u, heard) => understandLearned(heard, world.context(u), model));
    const written = scoreHeard(items, (u) => understandLearned(u.text, world.context(u), model));
    // The lines whose transcript still carries their meaning (the cue words of their intents heard,
    // as the training transcripts are chosen): the misses there are the understanding's, the rest the recogniser's.
    const kept = items.filter((x) => keepsMeaning(x.u, x.heard, cues));
    const intents = new Set(items.flatMap((x) => x.u.intents)).size;
    const goals = GOALS[band] as Record<string, number>;
    const e = { band, ...extra };
    emit(BENCH, `${band}_wer`, pct(errors, refWords), '%', { utterances: items.length, not_decoded: failed, words: refWords, deleted, inserted, intents, ...e });
    // One cold decoder per line (no warm ones on the bench): start-up included, unlike a live turn.
    ms.sort((a, b) => a - b);
    if (ms.length > 0) emit(BENCH, `${band}_decode_ms_p50`, percentile(ms, 50), 'ms', { p95: percentile(ms, 95), decoded: ms.length, note: 'whole clip after the fact, decoder start-up included', ...e });
    emit(BENCH, `${band}_intent_accuracy`, s.intentAccuracy * 100, '%', { goal: goals['intent_accuracy'] ?? null, written_line: Math.round(written.intentAccuracy * 1000) / 10, ...e });
    emit(BENCH, `${band}_intent_accuracy_meaning_heard`, scoreHeard(kept, (u, heard) => understandLearned(heard, world.context(u), model)).intentAccuracy * 100, '%', { utterances: kept.length, note: 'lines whose transcript keeps the cue words of their intents', ...e });
    const perKey = Object.fromEntries(KEY_SLOTS.map((k) => [k, s.perKey[k][1] > 0 ? `${s.perKey[k][0]}/${s.perKey[k][1]}` : '-']));
    emit(BENCH, `${band}_key_slot_accuracy`, s.keySlotAccuracy * 100, '%', { goal: goals['key_slot_accuracy'] ?? null, written_line: Math.round(written.keySlotAccuracy * 1000) / 10, key_slots: s.keySlots, per_key: perKey, extra_key_slots: s.extraKeySlots, ...e });
    if (process.argv.includes('--misses')) for (const m of s.misses) console.error(`${band} ${m}`);
    // Per voice (--by-voice): whether an adaptation carries to the voices that were not in its speech.
    if (process.argv.includes('--by-voice')) {
      for (const voice of voices) {
        const mine = items.filter((x) => x.voice === voice);
        const errs = mine.map((x) => wordErrors(spokenWords(x.u.text), spokenWords(x.heard)));
        const v = scoreHeard(mine, (u, heard) => understandLearned(heard, world.context(u), model));
        const wer = pct(errs.reduce((n, x) => n + x.substitutions + x.deletions + x.insertions, 0), errs.reduce((n, x) => n + x.referenceWords, 0));
        emit(BENCH, `${band}_intent_accuracy_by_voice`, v.intentAccuracy * 100, '%', { voice, utterances: mine.length, wer: Math.round(wer * 10) / 10, key_slot_accuracy: Math.round(v.keySlotAccuracy * 1000) / 10, key_slots: v.keySlots, ...e });
      }
    }
    // Repair: key slots heard with low confidence checked with the caller (appliance/agent/slot-check.ts).
    const understand = (u: CorpusUtterance, heard: string) => understandLearned(heard, world.context(u), model);
    const lookup = { service: (id: string) => demo.services.find((x) => x.id === id), providerName: (id: string) => demo.providers.find((p) => p.id === id)?.name ?? id };
    const confidence = (item: { words?: HeardWord[] }, u: ReturnType<typeof understand>) => slotConfidence(u, item.words ?? [], lookup);
    const thresholds = process.argv.includes('--checks') ? [0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5, 0.6, 0.7] : [CHECK_BELOW];
    for (const th of thresholds) {
      const c = scoreChecks(items, understand, (item, u) => confidence(items.find((x) => x.u === item.u) ?? {}, u), th);
      emit(BENCH, `${band}_key_slot_accuracy_after_repair`, pct(c.rightAfterRepair, c.keySlots), '%', {
        threshold: th,
        as_heard: Math.round(pct(c.rightAsHeard, c.keySlots) * 10) / 10,
        lines_with_a_check: `${c.linesChecked}/${c.lines}`,
        checks_per_line: Math.round((c.checks / Math.max(1, c.lines)) * 100) / 100,
        wrong_caught: c.wrongCaught,
        wrong_unchecked: c.wrongUnchecked,
        right_checked: c.rightChecked,
        note: 'a caught wrong value counts right: the caller corrects it and the answer is heard right',
        ...e,
      });
    }
  }
}

async function calls(decoder: TurnDecoder, voices: readonly VoiceName[], bands: readonly Band[], extra: Record<string, unknown>): Promise<void> {
  const scripted = readScriptedCalls(CALLS);
  const show = process.argv.includes('--show-calls');
  const base = voices === TEST_VOICES ? 3_000_017 : 4_000_037;
  // The ceiling: the written lines, heard perfectly.
  const written: Hear = (line) => Promise.resolve({ text: line });
  const ceiling: CallRun[] = [];
  for (const c of scripted) ceiling.push(await runCall(c, written, { keypad: false, narrowband: false }));
  const ceilingOk = ceiling.filter((r) => r.verdict.reached).length;
  emit(BENCH, 'calls_written_goal_reached', pct(ceilingOk, scripted.length), '%', { calls: scripted.length, failed: ceiling.flatMap((r, i) => (r.verdict.reached ? [] : [`${scripted[i]?.id}: ${r.verdict.why}`])), note: 'the written lines, not speech: what the dialog does with perfect hearing' });
  if (show || process.argv.includes('--written')) ceiling.forEach((r, i) => console.error(`== written ${scripted[i]?.id}: ${r.verdict.reached ? 'REACHED' : 'MISSED'} (${r.verdict.why})\n  ${r.transcript.join('\n  ')}`));
  if (process.argv.includes('--written')) return;
  for (const band of bands) {
    const results: Record<'speech' | 'keypad', CallRun[]> = { speech: [], keypad: [] };
    for (const keypad of [false, true]) {
      for (const [ci, call] of scripted.entries()) {
        console.error(`${band} call ${call.id}${keypad ? ' (keypad)' : ''}`);
        // One voice per call; each spoken turn its own perturbation (a repeat is said anew).
        const voice = voices[ci % voices.length] ?? 'flite:rms';
        const hear: Hear = async (line, turn) => {
          const spoken = spokenLine(line, base + 1009 * ci + turn.index, [voice], band);
          try {
            const h = await decoder.hear(spoken, turn.expectation.grammar);
            // As the box's turn-taking does (session.ts): a rejected turn decoded again with the turn's retry grammar.
            const again = h.rejected && turn.expectation.retry ? await decoder.hear(spoken, turn.expectation.retry) : null;
            const reheard = again && !again.rejected && again.text ? { reheard: { text: again.text, words: again.words } } : {};
            return { text: h.text, rejected: h.rejected, words: h.words, ...reheard };
          } catch (err) {
            console.error(`not decoded (${lineLabel(spoken)}): ${String(err)}`);
            return { text: '' };
          }
        };
        const r = await runCall(call, hear, { keypad, narrowband: band === 'narrowband' });
        results[keypad ? 'keypad' : 'speech'].push(r);
        if (show) console.error(`== ${band}${keypad ? ' keypad' : ''} ${call.id} (${voice}): ${r.verdict.reached ? 'REACHED' : 'MISSED'} (${r.verdict.why})\n  ${r.transcript.join('\n  ')}`);
      }
    }
    const goals = GOALS[band] as Record<string, number>;
    for (const [mode, rs] of Object.entries(results)) {
      const ok = rs.filter((r) => r.verdict.reached).length;
      const metric = mode === 'speech' ? `${band}_calls_goal_reached` : `${band}_calls_goal_reached_with_keypad`;
      emit(BENCH, metric, pct(ok, rs.length), '%', {
        goal: goals[mode === 'speech' ? 'calls_goal_reached' : 'calls_goal_reached_with_keypad'] ?? null,
        calls: rs.length,
        spoken_turns: rs.reduce((s, r) => s + r.spoken, 0),
        rejected_turns: rs.reduce((s, r) => s + r.rejected, 0),
        keys_pressed: rs.reduce((s, r) => s + r.keys, 0),
        slot_checks_asked: rs.reduce((s, r) => s + r.checks, 0),
        calls_with_a_check: rs.filter((r) => r.checks > 0).length,
        missed: rs.flatMap((r, i) => (r.verdict.reached ? [] : [`${scripted[i]?.id}: ${r.verdict.why}`])),
        band,
        ...extra,
      });
    }
  }
}
