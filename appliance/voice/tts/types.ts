// Text to speech behind one small interface (LiveKit's TTS with declared capabilities).
// Adapters: piper-sherpa.ts (Piper voices via sherpa-onnx, when a voice is installed); flite.ts,
// espeak.ts (Debian fallbacks).
import { ApplianceError } from '../../errors.js';

export interface TtsCapabilities {
  /** Audio can be produced piece by piece within one sentence. */
  streaming: boolean;
  /** Every adapter hands out 16 kHz mono PCM. */
  sampleRate: 16000;
}

export interface Tts {
  readonly name: string;
  readonly capabilities: TtsCapabilities;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One sentence (or a short phrase) to 16 kHz mono PCM, lead-in silence trimmed. */
  synthesize(text: string, opts?: { signal?: AbortSignal }): Promise<Int16Array>;
}

export class TtsUnavailableError extends ApplianceError {
  constructor(engine: string, why: string, details: Record<string, unknown> = {}) {
    super('SPA_ERR_TTS_UNAVAILABLE', `${engine} is not available: ${why}`, { status: 503, details: { ...details, engine } });
  }
}

/** The voice's files are there but do not load or speak: corrupt, wrong model, bad espeak-ng data, bad runtime. */
export class TtsModelLoadError extends ApplianceError {
  /** `stage`: 'probe' (the voice did not load or speak in the probe child), 'runtime' (it did not load in this process). */
  constructor(engine: string, path: string, stage: 'probe' | 'runtime', detail: string, cause?: unknown) {
    super('SPA_ERR_TTS_MODEL_LOAD', `${engine} voice failed to load (${stage}): ${detail}`, {
      status: 503,
      details: { engine, path, stage, detail },
      cause,
    });
  }
}

export class TtsFailedError extends ApplianceError {
  constructor(engine: string, why: string, cause?: unknown) {
    super('SPA_ERR_TTS_FAILED', `${engine} failed: ${why}`, { status: 500, retryable: true, details: { engine }, cause });
  }
}

/** Splits a reply into sentences for sentence-by-sentence synthesis (keeps "Dr." and "3.5" whole). Pure. */
export function splitSentences(text: string): string[] {
  const out: string[] = [];
  const re = /[^.!?]+(?:[.!?]+|$)/g;
  let pending = '';
  for (const m of text.matchAll(re)) {
    const piece = m[0];
    pending += piece;
    const trimmed = pending.trim();
    const abbreviation = /\b(?:Dr|Mr|Mrs|Ms|St|vs|No|approx)\.$/i.test(trimmed);
    const decimal = /\d\.$/.test(trimmed) && /^\d/.test(text.slice((m.index ?? 0) + piece.length));
    if (!abbreviation && !decimal && trimmed.length > 0) {
      out.push(trimmed);
      pending = '';
    }
  }
  if (pending.trim()) out.push(pending.trim());
  return out;
}

/**
 * Speaks `text` sentence by sentence: the first sentence's audio is yielded as soon as it is
 * ready while the next one is being synthesised.
 */
export async function* speakSentences(tts: Tts, text: string, signal?: AbortSignal): AsyncGenerator<Int16Array> {
  const sentences = splitSentences(text);
  let next: Promise<Int16Array> | null = sentences[0] ? tts.synthesize(sentences[0], signal ? { signal } : {}) : null;
  for (let i = 0; i < sentences.length && next; i++) {
    const current = next;
    const following = sentences[i + 1];
    next = following ? tts.synthesize(following, signal ? { signal } : {}) : null;
    if (signal?.aborted) return;
    yield await current;
  }
}
