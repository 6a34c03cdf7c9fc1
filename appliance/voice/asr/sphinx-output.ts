// Reading pocketsphinx_continuous: its hypotheses and word times (`-time yes`), and the per-turn
// dictionary of a JSGF grammar's words. Pure.
import type { AsrResult, AsrWord } from './types.js';

/** The dictionary lines for every word a JSGF grammar uses, or null when some word is missing. Pure. */
export function turnDictionary(jsgf: string, pronunciations: ReadonlyMap<string, readonly string[]>): string | null {
  const body = jsgf
    .split('\n')
    .filter((l) => !l.startsWith('#') && !/^\s*grammar\s/.test(l))
    .join(' ')
    .replace(/<[^>]*>/g, ' ');
  const words = new Set(body.match(/[a-z][a-z'.\-]*/g) ?? []);
  words.delete('public');
  const lines: string[] = [];
  for (const w of words) {
    const entry = pronunciations.get(w);
    if (!entry) return null;
    lines.push(...entry);
  }
  return lines.length > 0 ? `${lines.join('\n')}\n` : null;
}

const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+|\(null\))$/i;

/** Parses `-time yes` output: a hypothesis line per segment, then "word start end posterior" lines. */
export function parseOutput(stdout: string, grammar: boolean): Omit<AsrResult, 'elapsedMs'> {
  const words: AsrWord[] = [];
  const hyps: string[] = [];
  for (const line of stdout.split('\n')) {
    const t = line.trim();
    if (t === '') continue;
    const m = /^(\S+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?) (-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)$/i.exec(t);
    if (!m) {
      hyps.push(t);
      continue;
    }
    const word = (m[1] ?? '').replace(/\(\d+\)$/, '');
    if (FILLER.test(word)) continue;
    // Under a grammar pocketsphinx reports posterior 1 for every word: not a confidence.
    const p = Number(m[4]);
    words.push({
      word,
      startMs: Math.round(Number(m[2]) * 1000),
      endMs: Math.round(Number(m[3]) * 1000),
      confidence: grammar ? null : Math.min(1, Math.max(0, p)),
    });
  }
  const text = words.length > 0 ? words.map((w) => w.word).join(' ') : hyps.join(' ').replace(/\s+/g, ' ');
  const scores = words.map((w) => w.confidence).filter((c): c is number => c !== null);
  const confidence = grammar || scores.length === 0 ? null : scores.reduce((a, b) => a + b, 0) / scores.length;
  return { text, confidence, words };
}
