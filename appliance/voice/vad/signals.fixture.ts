// Test fixture: deterministic 16 kHz signals cut into 20 ms frames, and the speech segments a VAD's
// per-frame decisions describe.
import type { Vad } from './types.js';

export const FRAME = 320; // 20 ms at 16 kHz

export type Part = { kind: 'tone'; ms: number; amplitude: number } | { kind: 'quiet'; ms: number; noiseAmplitude: number };

/** Concatenates tones (440 Hz + 1 kHz, a crude voiced sound) and low noise into frames of 20 ms. */
export function framesOf(parts: Part[], seed = 1): Int16Array[] {
  let state = seed >>> 0;
  const noise = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0; // LCG: same signal on every run
    return state / 2 ** 31 - 1;
  };
  const samples: number[] = [];
  for (const part of parts) {
    const n = (part.ms * 16000) / 1000;
    for (let i = 0; i < n; i++) {
      const t = samples.length / 16000;
      switch (part.kind) {
        case 'tone':
          samples.push(Math.round(part.amplitude * (0.6 * Math.sin(2 * Math.PI * 440 * t) + 0.4 * Math.sin(2 * Math.PI * 1000 * t))));
          break;
        case 'quiet':
          samples.push(Math.round(part.noiseAmplitude * noise()));
          break;
      }
    }
  }
  const frames: Int16Array[] = [];
  for (let i = 0; i + FRAME <= samples.length; i += FRAME) frames.push(Int16Array.from(samples.slice(i, i + FRAME)));
  return frames;
}

export interface Segment {
  startMs: number;
  endMs: number;
}

/** Feeds every frame and returns the speech segments from the per-frame `speech` flags, plus the probabilities. */
export function runFrames(vad: Vad, frames: Int16Array[]): { segments: Segment[]; probabilities: number[] } {
  const segments: Segment[] = [];
  const probabilities: number[] = [];
  let open: number | null = null;
  frames.forEach((frame, i) => {
    const { speech, probability } = vad.process(frame);
    probabilities.push(probability);
    const atMs = (i + 1) * 20; // the decision is known at the end of the frame
    if (speech && open === null) open = atMs;
    if (!speech && open !== null) {
      segments.push({ startMs: open, endMs: atMs });
      open = null;
    }
  });
  if (open !== null) segments.push({ startMs: open, endMs: frames.length * 20 });
  return { segments, probabilities };
}
