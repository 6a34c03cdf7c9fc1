// flite (Debian): fast, robotic, always there. kal16 is a 16 kHz voice.
import { synthesizeFlite } from '../flite.js';
import { trimLeadingSilence } from '../trim.js';
import { TtsFailedError, TtsUnavailableError, type Tts, type TtsCapabilities } from './types.js';

export class FliteTts implements Tts {
  readonly name: string;
  readonly capabilities: TtsCapabilities = { streaming: false, sampleRate: 16000 };

  constructor(private readonly opts: { voice?: string; binary?: string } = {}) {
    this.name = `flite ${opts.voice ?? 'kal16'}`;
  }

  async start(): Promise<void> {
    await this.synthesize('Ready.');
  }

  async stop(): Promise<void> {
    return Promise.resolve();
  }

  async synthesize(text: string): Promise<Int16Array> {
    let audio;
    try {
      audio = await synthesizeFlite(text, { voice: this.opts.voice ?? 'kal16', ...(this.opts.binary ? { binary: this.opts.binary } : {}) });
    } catch (err) {
      if ((err as { code?: string }).code === 'SPA_ERR_TTS_FLITE') throw new TtsUnavailableError('flite', 'not installed (apt-get install flite)');
      throw new TtsFailedError('flite', (err as Error).message, err);
    }
    if (audio.sampleRate !== 16000 || audio.channels !== 1) throw new TtsUnavailableError(this.name, `voice is ${audio.sampleRate} Hz; use a 16 kHz voice such as kal16`);
    return trimLeadingSilence(audio.samples);
  }
}
