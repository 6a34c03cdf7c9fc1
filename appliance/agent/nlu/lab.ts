// The corpus's world: the demo spa's catalogue and the corpus's "now", the split files on disk, and
// the understanding of a corpus line as the receptionist would have it. Shared by the nlu command,
// the understanding bench and the tests. Reads files; no clock.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { demoSpa } from '../../booking/demo-spa.js';
import type { Understanding } from '../types.js';
import { ServiceMatcher } from '../understand/services.js';
import type { RulesContext } from '../understand/rules.js';
import { CORPUS_NOW_LOCAL, parseCorpus, type CorpusIds, type CorpusSplit, type CorpusUtterance } from './corpus.js';
import type { Lexicon } from './features.js';
import type { NluModel } from './model.js';
import { understandLearned } from './understander.js';

export const NLU_DIR = fileURLToPath(new URL('../../../../test/nlu', import.meta.url));
export const CORPUS_DIR = join(NLU_DIR, 'corpus');
export const SPLIT_DIR = join(NLU_DIR, 'split');
/** Train-only lines by later writers (never split: the test split stays the one drawn once). */
export const EXTRA_DIR = join(NLU_DIR, 'extra');
/** Train-only transcripts of train and extra lines as the recogniser heard them (`npm run nlu -- asr-transcripts`). */
export const ASR_DIR = join(NLU_DIR, 'asr');
export const SPLITS = ['train', 'dev', 'test'] as const;

export interface CorpusWorld {
  ids: CorpusIds;
  lexicon: Lexicon;
  /** The understanding context for a line said after `after`. */
  context(u: Pick<CorpusUtterance, 'after'>): RulesContext;
}

/** `phonetic: false`: service names matched by their letters only (to measure what sound-matching adds). */
export function corpusWorld(opts: { phonetic?: boolean } = {}): CorpusWorld {
  const spa = demoSpa();
  const services = new ServiceMatcher(spa.services, { phonetic: opts.phonetic ?? true });
  const zone = spa.profile.timeZone;
  const now = DateTime.fromISO(CORPUS_NOW_LOCAL, { zone }).toMillis();
  return {
    ids: { services: spa.services.map((s) => s.id), providers: spa.providers.map((p) => p.id), knowledge: spa.knowledge.map((k) => k.id) },
    lexicon: { services, providers: spa.providers },
    context: (u) => ({ now, zone, services, providers: spa.providers, expectingName: u.after === 'name', after: u.after }),
  };
}

/** Every author's file in test/nlu/corpus, in name order. */
export function readCorpus(world: CorpusWorld, dir = CORPUS_DIR): CorpusUtterance[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.jsonl'))
    .sort()
    .flatMap((f) => parseCorpus(readFileSync(join(dir, f), 'utf8'), f.replace(/\.jsonl$/, ''), world.ids));
}

export function readSplit(world: CorpusWorld, dir = SPLIT_DIR): CorpusSplit {
  const read = (name: string): CorpusUtterance[] => parseCorpus(readFileSync(join(dir, `${name}.jsonl`), 'utf8'), `split/${name}`, world.ids);
  return { train: read('train'), dev: read('dev'), test: read('test') };
}

function jsonlFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.jsonl')).sort() : [];
}

/** One text however it is cased or spaced: what "the same line" means across files and splits. */
export const textKey = (u: Pick<CorpusUtterance, 'text'>): string => u.text.trim().toLowerCase().replace(/\s+/g, ' ');

/** Where a model's training lines are: the split, the extra lines, the recogniser's transcripts (null: none). */
export interface TrainingDirs {
  split: string;
  extra: string;
  asr?: string | null;
}

export const TRAINING_DIRS: TrainingDirs = { split: SPLIT_DIR, extra: EXTRA_DIR, asr: ASR_DIR };

/**
 * What a model is fitted on: the train split plus the train-only lines of test/nlu/extra and the
 * recogniser's transcripts of test/nlu/asr, less any such line whose text is already in a split
 * or an earlier file (a "yes" two writers both wrote, or the recogniser heard, must not carry a
 * dev or test line into training), and dev for the thresholds. Never the test split.
 */
export function readTraining(world: CorpusWorld, dirs: TrainingDirs = TRAINING_DIRS): { train: CorpusUtterance[]; dev: CorpusUtterance[] } {
  const split = readSplit(world, dirs.split);
  const seen = new Set([...split.train, ...split.dev, ...split.test].map(textKey));
  const read = (dir: string, name: string): CorpusUtterance[] => jsonlFiles(dir).flatMap((f) => parseCorpus(readFileSync(join(dir, f), 'utf8'), `${name}/${f.replace(/\.jsonl$/, '')}`, world.ids));
  const extra = [...read(dirs.extra, 'extra'), ...(dirs.asr ? read(dirs.asr, 'asr') : [])]
    .filter((u) => {
      const k = textKey(u);
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    });
  return { train: [...split.train, ...extra], dev: split.dev };
}

/** SHA-256 over the train, dev, extra and transcript files: what a model was fitted on. */
export function fittedOnHash(dirs: TrainingDirs = TRAINING_DIRS): string {
  const h = createHash('sha256');
  for (const name of ['train', 'dev']) h.update(readFileSync(join(dirs.split, `${name}.jsonl`)));
  for (const f of jsonlFiles(dirs.extra)) h.update(f).update(readFileSync(join(dirs.extra, f)));
  // Transcripts named apart, so adding none leaves the hash of a model fitted without them as it was.
  if (dirs.asr) for (const f of jsonlFiles(dirs.asr)) h.update(`asr/${f}`).update(readFileSync(join(dirs.asr, f)));
  return h.digest('hex');
}

export function understandLine(world: CorpusWorld, model: NluModel, u: CorpusUtterance): Understanding {
  return understandLearned(u.text, world.context(u), model);
}
