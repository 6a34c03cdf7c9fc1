// Caller audio for the hearing benches: sentences spoken by flite and espeak-ng voices at 16 kHz,
// optionally perturbed (sox tempo and pitch; white noise at a given SNR, added here with a seeded
// generator so a run is repeatable).
import { spawn } from 'node:child_process';
import { seededRandom } from '../../../appliance/shared/random.js';
import { synthesizeFlite } from '../../../appliance/voice/flite.js';

/** flite:<voice> (kal16, slt, rms, awb) or espeak:<voice> (en-us, en-us+m3, ...). */
export type VoiceName = `flite:${string}` | `espeak:${string}`;

/** Voices the recogniser's settings may be tuned on, and voices only ever measured. */
export const TUNING_VOICES: readonly VoiceName[] = ['flite:kal16', 'flite:slt'];
export const TEST_VOICES: readonly VoiceName[] = ['flite:rms', 'flite:awb', 'espeak:en-us+m3', 'espeak:en-us+f2'];

export type Condition = 'clean' | 'tempo0.9' | 'tempo1.1' | 'pitch+200' | 'pitch-200' | 'noise20';
export const CONDITIONS: readonly Condition[] = ['clean', 'tempo0.9', 'tempo1.1', 'pitch+200', 'pitch-200', 'noise20'];

/** sox's arguments for raw signed 16-bit mono PCM at `rate`. */
export const rawPcm = (rate: number): string[] => ['-t', 'raw', '-r', String(rate), '-e', 'signed', '-b', '16', '-c', '1'];

/** Runs sox over mono PCM described by `inArgs` (raw 16 kHz when not given), out as raw PCM at `outRate`. */
export function sox(input: Int16Array, inArgs: string[], effects: string[], outRate = 16000): Promise<Int16Array> {
  return new Promise((resolve, reject) => {
    // -R: sox's dither seeded the same every run, so a clip (and an adaptation built from clips) repeats bit for bit.
    const child = spawn('sox', ['-R', ...inArgs, '-', ...rawPcm(outRate), '-', ...effects], { stdio: ['pipe', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`sox exited ${String(code)}`));
      const buf = Buffer.concat(chunks);
      resolve(new Int16Array(buf.buffer, buf.byteOffset, Math.floor(buf.byteLength / 2)).slice());
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(Buffer.from(input.buffer, input.byteOffset, input.byteLength));
  });
}

function espeakWav(text: string, voice: string): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const child = spawn('espeak-ng', ['-v', voice, '--stdout', text], { stdio: ['ignore', 'pipe', 'ignore'] });
    const chunks: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => chunks.push(d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(Buffer.concat(chunks)) : reject(new Error(`espeak-ng exited ${String(code)}`))));
  });
}

/** `text` spoken by `voice`, 16 kHz mono. */
export async function speak(text: string, voice: VoiceName): Promise<Int16Array> {
  const [engine, name] = voice.split(':') as ['flite' | 'espeak', string];
  if (engine === 'flite') {
    const audio = await synthesizeFlite(text, { voice: name });
    if (audio.sampleRate === 16000) return audio.samples;
    return sox(audio.samples, ['-t', 'raw', '-r', String(audio.sampleRate), '-e', 'signed', '-b', '16', '-c', '1'], []);
  }
  const wav = await espeakWav(text, name);
  const pcm = new Int16Array(wav.buffer.slice(wav.byteOffset + 44, wav.byteOffset + wav.byteLength - ((wav.byteLength - 44) % 2)));
  return sox(pcm, ['-t', 'raw', '-r', '22050', '-e', 'signed', '-b', '16', '-c', '1'], []);
}

const RAW16 = ['-t', 'raw', '-r', '16000', '-e', 'signed', '-b', '16', '-c', '1'];

/** White noise at `snrDb` below the clip's RMS level. */
export function addNoise(audio: Int16Array, snrDb: number, seed: number): Int16Array {
  const rng = seededRandom(seed);
  let sum = 0;
  for (const s of audio) sum += s * s;
  const rms = Math.sqrt(sum / Math.max(1, audio.length));
  const sigma = rms / 10 ** (snrDb / 20);
  const out = new Int16Array(audio.length);
  for (let i = 0; i < audio.length; i++) {
    // Box-Muller
    const g = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    out[i] = Math.max(-32768, Math.min(32767, Math.round((audio[i] as number) + sigma * g)));
  }
  return out;
}

/** The clip under a condition. */
export async function perturb(audio: Int16Array, condition: Condition, seed: number): Promise<Int16Array> {
  switch (condition) {
    case 'clean':
      return audio;
    case 'tempo0.9':
      return sox(audio, RAW16, ['tempo', '0.9']);
    case 'tempo1.1':
      return sox(audio, RAW16, ['tempo', '1.1']);
    case 'pitch+200':
      return sox(audio, RAW16, ['pitch', '200']);
    case 'pitch-200':
      return sox(audio, RAW16, ['pitch', '-200']);
    case 'noise20':
      return addNoise(audio, 20, seed);
  }
}
