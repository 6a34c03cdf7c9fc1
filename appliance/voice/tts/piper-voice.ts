// Where an installed Piper voice keeps its files. The manifest installs sherpa-onnx's packaging
// (vits-piper-<voice>.tar.bz2, unpacked into models/<name>/), which holds one folder:
//   vits-piper-en_US-amy-low/en_US-amy-low.onnx, tokens.txt, espeak-ng-data/, ...
// The voice is found in the model folder itself or one level below it, so a hand-unpacked voice
// works too. A voice without espeak-ng-data can use the system's (Debian's espeak-ng-data package),
// which sherpa-onnx accepts, though Piper voices were trained on phonemes from Piper's own espeak-ng
// fork: a few words may come out differently.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface PiperVoiceFiles {
  /** Folder the files were found in. */
  dir: string;
  modelPath: string;
  tokensPath: string;
  /** The voice's own espeak-ng-data, else the system's, else null. */
  dataDir: string | null;
  /** Whether dataDir is the system's rather than the voice's own. */
  systemData: boolean;
}

/** espeak-ng-data folders of Debian / Raspberry Pi OS packages, most specific first. */
export const SYSTEM_ESPEAK_DATA_DIRS: readonly string[] = [
  '/usr/lib/x86_64-linux-gnu/espeak-ng-data',
  '/usr/lib/aarch64-linux-gnu/espeak-ng-data',
  '/usr/lib/arm-linux-gnueabihf/espeak-ng-data',
  '/usr/share/espeak-ng-data',
];

/** A usable espeak-ng data folder: the four files sherpa-onnx checks for are present. */
export function isEspeakDataDir(dir: string): boolean {
  return ['phontab', 'phonindex', 'phondata', 'intonations'].every((f) => existsSync(join(dir, f)));
}

export function systemEspeakDataDir(candidates: readonly string[] = SYSTEM_ESPEAK_DATA_DIRS): string | null {
  return candidates.find(isEspeakDataDir) ?? null;
}

function isDir(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

function voiceIn(dir: string, systemDirs: readonly string[]): PiperVoiceFiles | null {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return null;
  }
  // sherpa-onnx's Piper packages hold one .onnx file; with several, the first by name is taken.
  const model = names.filter((n) => n.endsWith('.onnx')).sort()[0];
  if (!model || !names.includes('tokens.txt')) return null;
  const own = join(dir, 'espeak-ng-data');
  const ownData = isDir(own) && isEspeakDataDir(own);
  const dataDir = ownData ? own : systemEspeakDataDir(systemDirs);
  return { dir, modelPath: join(dir, model), tokensPath: join(dir, 'tokens.txt'), dataDir, systemData: !ownData && dataDir !== null };
}

/** Finds the voice in `modelDir` or one of its sub-folders (sorted by name); null when none is there. */
export function findPiperVoice(modelDir: string, systemDirs: readonly string[] = SYSTEM_ESPEAK_DATA_DIRS): PiperVoiceFiles | null {
  const here = voiceIn(modelDir, systemDirs);
  if (here) return here;
  let names: string[];
  try {
    names = readdirSync(modelDir).sort();
  } catch {
    return null;
  }
  for (const name of names) {
    const sub = join(modelDir, name);
    if (!isDir(sub)) continue;
    const found = voiceIn(sub, systemDirs);
    if (found) return found;
  }
  return null;
}
