// Trims what TTS engines put before speech (silence, and the breath noise flite starts some
// sentences with: 200 ms at -46..-57 dBFS before "Which treatment..."), so a reply is heard the
// moment it plays. Speech is found relative to the clip's own loudness: its onset is the first
// 10 ms block within ONSET_BELOW_PEAK_DB of the loudest block, extended back over the soft start
// of the word (a fricative, a breathy vowel) while blocks stay within LEAD_BELOW_PEAK_DB.
import { frameDbfs } from './energy-vad.js';

const ONSET_BELOW_PEAK_DB = 20;
const LEAD_BELOW_PEAK_DB = 32;

/** Removes leading quiet, keeping `keepMs` before the speech. Pure: returns a view of `pcm`. */
export function trimLeadingSilence(pcm: Int16Array, opts: { sampleRate?: number; thresholdDb?: number; keepMs?: number } = {}): Int16Array {
  const rate = opts.sampleRate ?? 16000;
  const block = Math.round(rate / 100);
  const floor = opts.thresholdDb ?? -50;
  const levels: number[] = [];
  for (let at = 0; at + block <= pcm.length; at += block) levels.push(frameDbfs(pcm.subarray(at, at + block)));
  const peak = Math.max(...levels);
  if (!(peak > floor)) return pcm; // all quiet (or shorter than a block): leave it alone
  let onset = levels.findIndex((db) => db > Math.max(floor, peak - ONSET_BELOW_PEAK_DB));
  const lead = Math.max(floor, peak - LEAD_BELOW_PEAK_DB);
  while (onset > 0 && (levels[onset - 1] ?? floor) > lead) onset--;
  const keep = Math.round(((opts.keepMs ?? 10) / 1000) * rate);
  return pcm.subarray(Math.max(0, onset * block - keep));
}
