// Trims the silence TTS engines put before speech, so a prompt is heard the moment it plays.
import { frameDbfs } from './energy-vad.js';

/** Removes leading quiet (by 10 ms blocks below `thresholdDb`), keeping `keepMs` before the speech. */
export function trimLeadingSilence(pcm: Int16Array, opts: { sampleRate?: number; thresholdDb?: number; keepMs?: number } = {}): Int16Array {
  const rate = opts.sampleRate ?? 16000;
  const block = Math.round(rate / 100);
  const threshold = opts.thresholdDb ?? -50;
  let start = 0;
  while (start + block <= pcm.length && frameDbfs(pcm.subarray(start, start + block)) <= threshold) start += block;
  if (start + block > pcm.length) return pcm; // all quiet: leave it alone
  const keep = Math.round(((opts.keepMs ?? 10) / 1000) * rate);
  return pcm.subarray(Math.max(0, start - keep));
}
