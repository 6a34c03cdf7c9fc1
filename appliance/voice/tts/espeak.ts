// espeak-ng (Debian): many languages, clear but synthetic. It speaks at 22.05 kHz; sox resamples
// to 16 kHz in the same pipeline (both are child processes, never the RTP thread).
import { spawn } from 'node:child_process';
import { readWav } from '../../shared/wav.js';
import { trimLeadingSilence } from '../trim.js';
import { TtsFailedError, TtsUnavailableError, type Tts, type TtsCapabilities } from './types.js';

export class EspeakTts implements Tts {
  readonly name: string;
  readonly capabilities: TtsCapabilities = { streaming: false, sampleRate: 16000 };

  constructor(private readonly opts: { voice?: string; wordsPerMinute?: number } = {}) {
    this.name = `espeak-ng ${opts.voice ?? 'en-us'}`;
  }

  async start(): Promise<void> {
    await this.synthesize('Ready.');
  }

  async stop(): Promise<void> {
    return Promise.resolve();
  }

  synthesize(text: string, o: { signal?: AbortSignal } = {}): Promise<Int16Array> {
    return new Promise((resolve, reject) => {
      const espeak = spawn('espeak-ng', ['-v', this.opts.voice ?? 'en-us', '-s', String(this.opts.wordsPerMinute ?? 165), '--stdout', text], { stdio: ['ignore', 'pipe', 'ignore'] });
      const sox = spawn('sox', ['-t', 'wav', '-', '-r', '16000', '-c', '1', '-b', '16', '-t', 'wav', '-'], { stdio: ['pipe', 'pipe', 'ignore'] });
      espeak.stdout.pipe(sox.stdin);
      const chunks: Buffer[] = [];
      sox.stdout.on('data', (d: Buffer) => chunks.push(d));
      const fail = (err: Error & { code?: string }): void => {
        espeak.kill();
        sox.kill();
        reject(err.code === 'ENOENT' ? new TtsUnavailableError(this.name, 'espeak-ng or sox is not installed') : new TtsFailedError(this.name, err.message, err));
      };
      espeak.on('error', fail);
      sox.on('error', fail);
      sox.stdin.on('error', () => undefined);
      o.signal?.addEventListener('abort', () => fail(new Error('aborted')), { once: true });
      sox.on('close', (code) => {
        if (code !== 0) return reject(new TtsFailedError(this.name, `sox exited ${String(code)}`));
        try {
          resolve(trimLeadingSilence(readWav(Buffer.concat(chunks)).samples));
        } catch (err) {
          reject(new TtsFailedError(this.name, 'unreadable audio', err));
        }
      });
    });
  }
}
