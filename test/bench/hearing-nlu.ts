// npm run bench -- hearing-nlu [--split test|dev] [--n N] [--misses SYSTEM]
// How well the receptionist understands what the recogniser hears (wideband, 16 kHz): held-out
// lines of the understanding corpus (the turns decoded with the caller language model, not the
// texting ones) spoken by voices, each line by one voice under a random perturbation (tempo, pitch,
// white noise at 15-30 dB SNR, a fifth through a G.711 round trip with the band above 4 kHz filled),
// decoded as the box decodes an open turn (pocketsphinx, the spa's caller language model, the box's
// -lw/-wip), then understood by:
//   text          the understanding without what this issue added: a model fitted on written lines
//                 only, services matched by their letters;
//   phonetic      the same model's features and matching with services also matched by sound;
//   asr-aware     the committed model (also fitted on the recogniser's transcripts of training
//                 lines, test/nlu/asr), services matched by sound too: what the box runs.
// Printed per system: intent accuracy and key-slot accuracy (service, day, time, provider; per key
// too), and the same understanding of the written lines as a ceiling, and the decodes' WER.
// --split dev: dev lines spoken by the tuning voices (for tuning); test (default): test lines
// spoken by the test voices (flite rms, awb; espeak-ng en-us+m3, en-us+f2), the figures to report.
// Decodes are cached under .bench-tmp/hearing-nlu: a rerun decodes nothing new.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { corpusWorld, fittedOnHash, readSplit, readTraining, TRAINING_DIRS, type CorpusWorld } from '../../appliance/agent/nlu/lab.js';
import { NluModel } from '../../appliance/agent/nlu/model.js';
import { trainNlu } from '../../appliance/agent/nlu/train.js';
import { understandLearned } from '../../appliance/agent/nlu/understander.js';
import type { CorpusUtterance } from '../../appliance/agent/nlu/corpus.js';
import { demoSpa } from '../../appliance/booking/demo-spa.js';
import { createLogger } from '../../appliance/log.js';
import { seededRandom } from '../../appliance/shared/random.js';
import { callerDomainOf } from '../../appliance/voice/asr/lm/caller-lm.js';
import { readCallerSentences } from '../../appliance/voice/asr/lm/caller-sentences.js';
import { spokenWords } from '../../appliance/voice/asr/lm/spoken.js';
import { wordErrors } from '../../appliance/voice/asr/wer.js';
import { HEARING_NLU_CACHE, speakable } from './hearing/asr-transcripts.js';
import { callerLm, clipFor, NLU_TUNING_VOICES, OpenTurnDecoder, TEST_VOICES } from './hearing/nlu-audio.js';
import { KEY_SLOTS, scoreHeard, type HeardScore } from './hearing/nlu-score.js';
import { emit } from './report.js';

const BENCH = 'hearing-nlu';

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

/** A system: a world (service matching) and a model. */
interface System {
  name: string;
  world: CorpusWorld;
  model: NluModel;
}

/**
 * The model fitted on the written lines only (train, extra; dev for thresholds), with services
 * matched by sound or by letters only. Fitting takes minutes on a busy machine: kept beside the
 * decodes, under what it was fitted on.
 */
export function textOnlyModel(world: CorpusWorld, phonetic: boolean): NluModel {
  const dirs = { ...TRAINING_DIRS, asr: null };
  const path = join(HEARING_NLU_CACHE, 'models', `text-only-${phonetic ? 'phonetic' : 'exact'}-${fittedOnHash(dirs).slice(0, 16)}.json`);
  if (existsSync(path)) return NluModel.load(path);
  const model = trainNlu(readTraining(world, dirs), world.lexicon, fittedOnHash(dirs)).model;
  mkdirSync(join(HEARING_NLU_CACHE, 'models'), { recursive: true });
  writeFileSync(path, JSON.stringify(model.toJSON()));
  return model;
}

function report(system: string, s: HeardScore, extra: Record<string, unknown>): void {
  emit(BENCH, `${system}_intent_accuracy`, s.intentAccuracy * 100, '%', { lines: s.lines, ...extra });
  const perKey = Object.fromEntries(KEY_SLOTS.map((k) => [k, s.perKey[k][1] > 0 ? `${s.perKey[k][0]}/${s.perKey[k][1]}` : '-']));
  emit(BENCH, `${system}_key_slot_accuracy`, s.keySlotAccuracy * 100, '%', { key_slots: s.keySlots, per_key: perKey, extra_key_slots: s.extraKeySlots, ...extra });
}

export async function run(): Promise<void> {
  const split = arg('split') ?? 'test';
  if (split !== 'test' && split !== 'dev') throw new Error('--split is dev or test');
  const voices = split === 'test' ? TEST_VOICES : NLU_TUNING_VOICES;
  const world = corpusWorld();
  const lines = readSplit(world)[split].filter(speakable);
  const n = Number(arg('n') ?? lines.length);
  const rng = seededRandom(split === 'test' ? 4177 : 5531);
  const chosen = lines.map((u) => ({ u, r: rng() })).sort((a, b) => a.r - b.r).slice(0, n).map((x) => x.u);

  // Hearing: every line once, by one of the voices, with the box's caller language model.
  const spa = demoSpa();
  const lm = await callerLm({ cacheDir: HEARING_NLU_CACHE, domain: callerDomainOf(spa), extraTexts: await readCallerSentences() });
  const decoder = new OpenTurnDecoder({ log: createLogger({ level: 'silent' }), cacheDir: HEARING_NLU_CACHE });
  const items: { u: CorpusUtterance; heard: string }[] = [];
  let refWords = 0;
  let errors = 0;
  let failed = 0;
  await decoder.start();
  try {
    for (const [i, u] of chosen.entries()) {
      const heard = await decoder.decode(clipFor(u.text, i, voices, split === 'test' ? 91 : 37), lm);
      if (heard === null) {
        failed++;
        continue;
      }
      items.push({ u, heard });
      const e = wordErrors(spokenWords(u.text), spokenWords(heard));
      refWords += e.referenceWords;
      errors += e.substitutions + e.deletions + e.insertions;
    }
  } finally {
    await decoder.stop();
  }

  // Understanding: the text-only model fitted here on the same lines the committed one was, less the transcripts.
  const exactWorld = corpusWorld({ phonetic: false });
  const systems: System[] = [
    { name: 'text', world: exactWorld, model: textOnlyModel(exactWorld, false) },
    { name: 'phonetic', world, model: textOnlyModel(world, true) },
    { name: 'asr_aware', world, model: NluModel.load() },
  ];
  const extra = { split, voices: voices.join(','), lm: lm.key };
  emit(BENCH, 'wer', (100 * errors) / Math.max(1, refWords), '%', { utterances: items.length, not_decoded: failed, words: refWords, ...extra });
  const scores = new Map<string, HeardScore>();
  for (const s of systems) {
    const score = scoreHeard(items, (u, heard) => understandLearned(heard, s.world.context(u), s.model));
    scores.set(s.name, score);
    report(s.name, score, extra);
  }
  // The ceiling: the same lines as written.
  for (const s of [systems[0], systems[2]]) {
    if (!s) continue;
    report(`${s.name}_written`, scoreHeard(items, (u) => understandLearned(u.text, s.world.context(u), s.model)), { ...extra, note: 'the written line, not what was heard' });
  }
  const show = arg('misses');
  if (show) for (const m of scores.get(show)?.misses ?? []) console.error(m);
}
