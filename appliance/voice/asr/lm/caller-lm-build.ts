// The caller language model's files: the generic model's slice (cached per machine, it depends on
// Debian's model only), the spa's model built from it (build.ts), written as ARPA and, when
// Debian's sphinx_lm_convert is there, as pocketsphinx's binary trie (a decoder then starts in
// ~110 ms instead of ~520 ms reading the ARPA text, measured on the dev machine; every utterance
// starts one). Files appear all at once: built in a temp folder, then renamed.
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { delimiter, join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { packLm, unpackLm, type BackoffLm, type PackedLm } from './backoff-lm.js';
import { buildCallerLm, sliceOptions, type CallerLmInputs } from './build.js';
import { genericSlice, type GenericSliceOptions } from './generic-slice.js';
import { SphinxTrieLm } from './sphinx-trie.js';

export const DEFAULT_MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';

/** Bumped when the files' content changes for the same inputs (a new estimator, a new format). */
export const CALLER_LM_FORMAT = 1;

export interface CallerLmJob {
  /** The folder the files end up in (must not exist yet). */
  outDir: string;
  /** Where the generic slice is cached. */
  cacheDir: string;
  /** pocketsphinx's model folder (en-us.lm.bin, cmudict-en-us.dict). */
  modelDir?: string;
  inputs: CallerLmInputs;
  /** sphinx_lm_convert, looked up on PATH by default; null: ARPA only. */
  convert?: string | null;
}

export interface CallerLmReport {
  /** The model file pocketsphinx reads (-lm), and its dictionary (-dict). */
  lm: string;
  dict: string;
  binary: boolean;
  vocabulary: number;
  ngrams: number[];
  corpusSentences: number;
  unpronounceable: string[];
  ms: { slice: number; build: number; convert: number };
}

const sha = (text: string): string => createHash('sha256').update(text).digest('hex');

/** The generic slice, from the cache or made (and cached) from Debian's model. */
export async function genericSliceCached(opts: { cacheDir: string; modelDir?: string; slice: GenericSliceOptions }): Promise<BackoffLm> {
  const lmPath = join(opts.modelDir ?? DEFAULT_MODEL_DIR, 'en-us.lm.bin');
  const s = await stat(lmPath);
  const slice = opts.slice;
  const key = sha(JSON.stringify({ format: CALLER_LM_FORMAT, lmPath, size: s.size, mtime: s.mtimeMs, slice })).slice(0, 16);
  const path = join(opts.cacheDir, `generic-slice-${key}.json`);
  try {
    return unpackLm(JSON.parse(await readFile(path, 'utf8')) as PackedLm);
  } catch {
    // not cached yet (or unreadable): make it
  }
  const lm = genericSlice(new SphinxTrieLm(await readFile(lmPath)), slice);
  await mkdir(opts.cacheDir, { recursive: true });
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(tmp, JSON.stringify(packLm(lm)));
  await rename(tmp, path);
  return lm;
}

/** A CMU dictionary's lines by word ("word(2) ..." under "word"). */
export function pronunciationsOf(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const head = line.split(/\s/, 1)[0];
    if (!head) continue;
    const word = head.replace(/\(\d+\)$/, '');
    const list = out.get(word);
    if (list) list.push(line);
    else out.set(word, [line]);
  }
  return out;
}

async function onPath(name: string): Promise<string | null> {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter).filter(Boolean)) {
    try {
      await access(join(dir, name), constants.X_OK);
      return join(dir, name);
    } catch {
      // next
    }
  }
  return null;
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(binary, args, { timeout: 60_000 }, (err) => (err ? reject(new Error(`${binary} failed: ${err.message}`, { cause: err })) : resolve()));
  });
}

/** Builds the files into job.outDir (see the file comment). */
export async function buildCallerLmFiles(job: CallerLmJob): Promise<CallerLmReport> {
  const modelDir = job.modelDir ?? DEFAULT_MODEL_DIR;
  const t0 = performance.now();
  const generic = await genericSliceCached({ cacheDir: job.cacheDir, modelDir, slice: sliceOptions(job.inputs.params) });
  const t1 = performance.now();
  const pronunciations = pronunciationsOf(await readFile(join(modelDir, 'cmudict-en-us.dict'), 'utf8'));
  const built = await buildCallerLm({ inputs: job.inputs, generic, pronunciations });
  const t2 = performance.now();
  const tmp = `${job.outDir}.${randomBytes(4).toString('hex')}.tmp`;
  await mkdir(tmp, { recursive: true });
  try {
    await writeFile(join(tmp, 'caller.lm'), built.arpa);
    await writeFile(join(tmp, 'caller.dict'), built.dict);
    const convert = job.convert === undefined ? await onPath('sphinx_lm_convert') : job.convert;
    let binary = false;
    if (convert) {
      try {
        await run(convert, ['-i', join(tmp, 'caller.lm'), '-o', join(tmp, 'caller.lm.bin')]);
        await rm(join(tmp, 'caller.lm'));
        binary = true;
      } catch {
        // the ARPA text works too, only slower to load
      }
    }
    const t3 = performance.now();
    const name = binary ? 'caller.lm.bin' : 'caller.lm';
    const report: CallerLmReport = {
      lm: join(job.outDir, name),
      dict: join(job.outDir, 'caller.dict'),
      binary,
      vocabulary: built.vocabulary,
      ngrams: built.ngrams,
      corpusSentences: built.corpusSentences,
      unpronounceable: built.unpronounceable,
      ms: { slice: Math.round(t1 - t0), build: Math.round(t2 - t1), convert: Math.round(t3 - t2) },
    };
    await writeFile(join(tmp, 'report.json'), `${JSON.stringify(report)}\n`);
    await rename(tmp, job.outDir);
    return report;
  } catch (err) {
    await rm(tmp, { recursive: true, force: true });
    throw err;
  }
}
