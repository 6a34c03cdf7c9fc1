// `npm run nlu -- asr-transcripts [--n N] [--seed S] [--cached-only]`: the understanding's training
// lines as the recogniser hears them. A sample of the training lines (train split and extra files,
// never dev or test; only the turns the box decodes with its caller language model; not texting),
// stratified by intent, is spoken by the tuning voices under random perturbations and decoded as
// the box decodes an open turn (the hearing bench's TurnDecoder: the appliance's engine and
// settings), every other line over the phone line (G.711 with lost packets, then the engine's
// band filling), as narrowband callers are heard. The caller language model is built from the
// very training sentences, so decoding them with it would hear them too well: the sentences are
// cut in two folds (by a hash of their spoken words), and each fold is decoded with a model built
// from the other fold, the templates and the knowledge examples not in it. The transcripts that
// still carry the line's meaning (asr-labels.ts keepsMeaning), labelled with the lines' intents and
// slots (transcriptLine), go to test/nlu/asr/transcripts.jsonl. Offline, in a batch (about a second
// per line on an idle core); decodes are cached under .bench-tmp/hearing-nlu/turns, so a rerun only
// decodes what is new. --cached-only writes what is decoded so far without decoding more.
import { createHash } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { intentCues, transcriptLine, type TranscriptLine } from '../../../appliance/agent/nlu/asr-labels.js';
import type { CorpusUtterance, UtteranceContext } from '../../../appliance/agent/nlu/corpus.js';
import { ASR_DIR, corpusWorld, readSplit, readTraining, textKey, TRAINING_DIRS } from '../../../appliance/agent/nlu/lab.js';
import { demoSpa } from '../../../appliance/booking/demo-spa.js';
import { createLogger } from '../../../appliance/log.js';
import { seededRandom } from '../../../appliance/shared/random.js';
import type { CallerDomain } from '../../../appliance/voice/asr/lm/caller-corpus.js';
import { callerDomainOf } from '../../../appliance/voice/asr/lm/caller-lm.js';
import { readCallerSentences } from '../../../appliance/voice/asr/lm/caller-sentences.js';
import { spokenWords } from '../../../appliance/voice/asr/lm/spoken.js';
import { callerExpectation } from '../../../appliance/voice/asr/caller-grammars.js';
import { callerLm, NLU_TUNING_VOICES, type BuiltLm } from './nlu-audio.js';
import { lineLabel, spokenLine, TurnDecoder, type Band } from './turn-decoder.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
export const HEARING_NLU_CACHE = join(ROOT, '.bench-tmp', 'hearing-nlu');
export const TRANSCRIPTS_PATH = join(ASR_DIR, 'transcripts.jsonl');

/** Turns the box decodes with its caller language model (the rest have grammars). */
export const LM_TURNS: readonly UtteranceContext[] = ['open', 'service', 'when', 'anything-else'];

/** A line a caller could say in a turn decoded with the language model: spoken (not texting), 1-30 words. */
export function speakable(u: CorpusUtterance): boolean {
  const n = spokenWords(u.text).length;
  return LM_TURNS.includes(u.after) && !u.source.startsWith('texting') && n >= 1 && n <= 30;
}

/** Which of two folds a sentence is in, by a hash of its spoken words. */
export function foldOf(text: string): 0 | 1 {
  const h = createHash('sha256').update(spokenWords(text).join(' ')).digest();
  return ((h[0] ?? 0) & 1) as 0 | 1;
}

/** The seeded shuffle of a list. */
function shuffled<T>(list: readonly T[], rng: () => number): T[] {
  const copy = [...list];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [copy[i], copy[j]] = [copy[j] as T, copy[i] as T];
  }
  return copy;
}

/**
 * About `n` lines stratified by first intent: each intent its share of `n`, but at least `floor`
 * lines (or all it has), shuffled together so any prefix is a fair sample too.
 */
export function stratifiedSample(lines: readonly CorpusUtterance[], n: number, seed: number, floor = 40): CorpusUtterance[] {
  const rng = seededRandom(seed);
  const by = new Map<string, CorpusUtterance[]>();
  for (const u of lines) by.set(u.intents[0] ?? '', [...(by.get(u.intents[0] ?? '') ?? []), u]);
  const picked: CorpusUtterance[] = [];
  for (const k of [...by.keys()].sort()) {
    const list = by.get(k) ?? [];
    const quota = Math.min(list.length, Math.max(floor, Math.round((n * list.length) / Math.max(1, lines.length))));
    picked.push(...shuffled(list, rng).slice(0, quota));
  }
  return shuffled(picked, rng);
}

/** The domain without the knowledge examples of fold `fold` (they are training sentences too). */
function domainWithout(domain: CallerDomain, fold: 0 | 1): CallerDomain {
  return { ...domain, knowledge: domain.knowledge.map((k) => ({ ...k, examples: k.examples.filter((e) => foldOf(e) !== fold) })) };
}

export interface TranscriptRun {
  sampled: number;
  decoded: number;
  written: number;
  /** Of the written ones, heard over the phone line. */
  narrowband: number;
  /** Nothing, or too little of the line's meaning, heard (keepsMeaning). */
  empty: number;
  heldOut: number;
  duplicate: number;
  /** Clips that could not be decoded this time (left for a rerun). */
  failed: number;
}

export async function makeAsrTranscripts(opts: { n: number; seed: number; cachedOnly: boolean; out?: string; progress?: (msg: string) => void }): Promise<TranscriptRun> {
  const world = corpusWorld();
  const spa = demoSpa();
  const vocab = { services: spa.services, providers: spa.providers };
  const written = readTraining(world, { ...TRAINING_DIRS, asr: null }).train;
  const pool = written.filter(speakable);
  const cues = intentCues(written);
  const sample = stratifiedSample(pool, opts.n, opts.seed);
  const split = readSplit(world);
  const heldOut = new Set([...split.dev, ...split.test].map(textKey));
  const sentences = await readCallerSentences();
  const domain = callerDomainOf(spa);
  const lms: BuiltLm[] = [];
  for (const fold of [0, 1] as const) {
    opts.progress?.(`caller language model without fold ${fold}`);
    lms.push(await callerLm({ cacheDir: HEARING_NLU_CACHE, domain: domainWithout(domain, fold), extraTexts: sentences.filter((s) => foldOf(s) !== fold) }));
  }
  // One decoder for both folds: the fold's model is the one current when its line is decoded.
  let lm = lms[0] as BuiltLm;
  const decoder = new TurnDecoder({ log: createLogger({ level: 'silent' }), cacheDir: join(HEARING_NLU_CACHE, 'turns'), languageModel: { current: () => lm.files } });
  const open = { ...callerExpectation('open', () => spa.services.flatMap((s) => [s.name, ...s.aliases])).grammar, free: true };
  const run: TranscriptRun = { sampled: sample.length, decoded: 0, written: 0, narrowband: 0, empty: 0, heldOut: 0, duplicate: 0, failed: 0 };
  const lines: TranscriptLine[] = [];
  // A transcript that says what a written line says teaches nothing new (readTraining would drop it).
  const seen = new Set(written.map(textKey));
  await decoder.start();
  try {
    for (const [i, u] of sample.entries()) {
      // The sample is shuffled: alternating bands keeps any prefix of it half narrowband.
      const band: Band = i % 2 === 0 ? 'wideband' : 'narrowband';
      const spoken = spokenLine(u.text, opts.seed * 100_003 + i, NLU_TUNING_VOICES, band);
      lm = lms[foldOf(u.text)] as BuiltLm;
      if (opts.cachedOnly && !decoder.cached(spoken, open)) continue;
      let heard: string;
      try {
        heard = (await decoder.hear(spoken, open)).text;
      } catch {
        run.failed++;
        continue;
      }
      run.decoded++;
      if (run.decoded % 100 === 0) opts.progress?.(`${run.decoded}/${sample.length} decoded`);
      const label = lineLabel(spoken);
      const line = transcriptLine(u, heard, `asr:${spoken.voice}:${label.slice(spoken.voice.length + 1)}:${u.source}`, vocab, cues);
      if (!line) {
        run.empty++;
        continue;
      }
      const key = textKey(line);
      if (heldOut.has(key)) {
        run.heldOut++;
        continue;
      }
      // The same words as a written line, or heard for two lines: the first one's labels are kept.
      if (seen.has(key)) {
        run.duplicate++;
        continue;
      }
      seen.add(key);
      lines.push(line);
      if (band === 'narrowband') run.narrowband++;
    }
  } finally {
    await decoder.stop();
  }
  const out = opts.out ?? TRANSCRIPTS_PATH;
  mkdirSync(join(out, '..'), { recursive: true });
  writeFileSync(out, lines.map((l) => JSON.stringify(l)).join('\n') + (lines.length > 0 ? '\n' : ''));
  run.written = lines.length;
  return run;
}
