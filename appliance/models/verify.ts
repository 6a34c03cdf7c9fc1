// Re-hashes installed files. A file with a published checksum must match it; a file without one
// must still match the hash recorded when it was installed (so corruption is caught either way).
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelEntry } from './manifest.js';
import { modelDir, readStamp, sha256File } from './file-state.js';

export type VerifyOutcome = 'ok' | 'ok unverified' | 'missing' | 'bad';

export interface VerifyResult {
  model: string;
  path: string;
  outcome: VerifyOutcome;
  reason?: string;
}

/** Checks every file of a model that has any file installed; a model with none yields nothing. */
export async function verifyModel(modelsDir: string, model: ModelEntry): Promise<VerifyResult[]> {
  const dir = modelDir(modelsDir, model);
  const stamp = await readStamp(dir);
  const results: VerifyResult[] = [];
  for (const file of model.files) {
    const path = join(dir, file.path);
    const base = { model: model.name, path: file.path };
    let size: number;
    try {
      size = (await stat(path)).size;
    } catch {
      results.push({ ...base, outcome: 'missing' });
      continue;
    }
    if (file.size !== null && size !== file.size) {
      results.push({ ...base, outcome: 'bad', reason: `size ${size}, expected ${file.size}` });
      continue;
    }
    const actual = await sha256File(path);
    const expected = file.sha256 ?? stamp[file.path]?.sha256 ?? null;
    if (expected === null) results.push({ ...base, outcome: 'ok unverified', reason: `sha256 ${actual} (no checksum to compare)` });
    else if (actual !== expected) results.push({ ...base, outcome: 'bad', reason: `sha256 ${actual}, expected ${expected}` });
    else results.push({ ...base, outcome: file.sha256 === null ? 'ok unverified' : 'ok' });
  }
  return results.every((r) => r.outcome === 'missing') ? [] : results;
}
