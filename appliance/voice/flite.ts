// Text to speech with Debian's flite (the fallback voice until Piper models are installed).
// flite is fast (tens of ms per sentence) and runs as a child process, never on the RTP thread.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { readWav, type PcmAudio } from '../shared/wav.js';

const run = promisify(execFile);

export class FliteError extends Error {
  readonly code = 'SPA_ERR_TTS_FLITE';
}

/** Renders `text` with a flite voice (kal16 = 16 kHz; kal, slt, rms, awb = 8/16 kHz per voice). */
export async function synthesizeFlite(text: string, opts: { voice?: string; binary?: string } = {}): Promise<PcmAudio> {
  const dir = await mkdtemp(join(tmpdir(), 'spa-flite-'));
  const out = join(dir, 'speech.wav');
  try {
    // The text is an argument, never a shell string: no quoting issues, no injection.
    await run(opts.binary ?? 'flite', ['-voice', opts.voice ?? 'kal16', '-t', text, '-o', out], { timeout: 10_000 });
    return readWav(await readFile(out));
  } catch (err) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') throw new FliteError('flite is not installed (apt-get install flite)');
    throw err;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
