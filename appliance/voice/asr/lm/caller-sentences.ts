// The understanding corpus's training sentences, as spoken words, for the caller language model.
// The appliance does not read test/ at run time: `npm run lm -- sentences` writes them into
// caller-sentences.json beside this file (committed), from test/nlu/split/train.jsonl and any
// test/nlu/extra/*.jsonl. Never the dev or test split: they measure the recogniser and the
// understanding on sentences neither was built from.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spokenWords } from './spoken.js';

export const CALLER_SENTENCES_PATH = fileURLToPath(new URL('../../../../../appliance/voice/asr/lm/caller-sentences.json', import.meta.url));
export const NLU_DIR = fileURLToPath(new URL('../../../../../test/nlu', import.meta.url));

export interface CallerSentencesFile {
  /** SHA-256 over the source files, to tell when they changed. */
  madeFrom: string;
  sentences: string[];
}

/**
 * The source files: the training split and the extra training files, in a fixed order; and the
 * held-out splits, whose sentences are left out even when a training sentence says the same words.
 */
export function callerSentenceSources(nluDir = NLU_DIR): { train: string[]; heldOut: string[] } {
  const extra = join(nluDir, 'extra');
  const extras = existsSync(extra) ? readdirSync(extra).filter((f) => f.endsWith('.jsonl')).sort().map((f) => join(extra, f)) : [];
  return { train: [join(nluDir, 'split', 'train.jsonl'), ...extras], heldOut: ['dev', 'test'].map((s) => join(nluDir, 'split', `${s}.jsonl`)) };
}

/** The spoken sentences of a JSONL corpus file (its "text" fields). */
function spokenLines(text: string): string[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => spokenWords((JSON.parse(line) as { text: string }).text).join(' '))
    .filter((s) => s !== '');
}

/** Spoken, deduplicated training sentences, none of them a held-out sentence. Reads files. */
export function makeCallerSentences(sources: { train: readonly string[]; heldOut: readonly string[] }): CallerSentencesFile {
  const hash = createHash('sha256');
  const heldOut = new Set<string>();
  for (const file of sources.heldOut) {
    const text = readFileSync(file, 'utf8');
    hash.update(text);
    for (const s of spokenLines(text)) heldOut.add(s);
  }
  const seen = new Set<string>();
  for (const file of sources.train) {
    const text = readFileSync(file, 'utf8');
    hash.update(text);
    for (const s of spokenLines(text)) if (!heldOut.has(s)) seen.add(s);
  }
  return { madeFrom: hash.digest('hex'), sentences: [...seen] };
}

/** The committed sentences ([] when the file is missing: the model is then built from templates only). */
export async function readCallerSentences(path = CALLER_SENTENCES_PATH): Promise<string[]> {
  try {
    return (JSON.parse(await readFile(path, 'utf8')) as CallerSentencesFile).sentences;
  } catch {
    return [];
  }
}
