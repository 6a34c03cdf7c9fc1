// How well a constrained turn's audio fits what pocketsphinx made of it, and whether to believe
// it. Under a grammar pocketsphinx always returns some phrase: "um I'm not sure" comes back as
// "no", a cough as "yes". Two things tell those apart from real answers:
//  - the garbage (garbage.ts): short words, one per phone, that the decoder may take as filler
//    words anywhere, with "no answer" allowed by the grammar, so speech that is no answer has
//    somewhere to go; a hypothesis with no answer word left is no answer;
//  - the acoustic score per frame of the best path (`-backtrace yes` prints each word's `ascr`
//    in the decoder's log). Scores are relative to the best senone of each frame, so a path
//    that fits the sound scores near 0 per frame and one forced onto the wrong words far below.
// Pure: parses the log text and decides.

/** One word of the best path as `-backtrace yes` prints it. */
export interface PathWord {
  word: string;
  /** First and last frame (10 ms each). */
  startFrame: number;
  endFrame: number;
  /** Acoustic score (log base 1.0001, relative to the best senone per frame: <= 0). */
  ascr: number;
}

/** Fillers and silences of the best path (`<sil>`, `[NOISE]`, `<s>`, `(NULL)`). */
const FILLER = /^(<.*>|\[.*\]|\+\+.*\+\+|\(null\))$/i;

const ROW = /^(\S+)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+(?:\.\d+)?)\s+(-?\d+)\s+(-?\d+)\s+(-?\d+)\s*$/;

/**
 * The best path's words from a decoder log written with `-backtrace yes` (every segment the
 * decoder's own VAD cut: their words in order). Lines that are not path rows are skipped.
 */
export function parseBacktrace(log: string): PathWord[] {
  const words: PathWord[] = [];
  let inTable = false;
  for (const line of log.split('\n')) {
    if (/^word\s+start\s+end\s+pprob\s+ascr/.test(line)) {
      inTable = true;
      continue;
    }
    if (!inTable) continue;
    const m = ROW.exec(line.trim());
    if (!m) {
      inTable = false;
      continue;
    }
    // A grammar with an optional part ("[my name is] jane smith") starts its path with a null
    // transition, "(NULL) -1 -1": no frames, no sound; it must not end the table.
    if (Number(m[2]) < 0) continue;
    words.push({ word: (m[1] ?? '').replace(/\(\d+\)$/, ''), startFrame: Number(m[2]), endFrame: Number(m[3]), ascr: Number(m[5]) });
  }
  return words;
}

export interface PathScore {
  /** Mean acoustic score per frame over the words that are not fillers; null when there are none. */
  wordsPerFrame: number | null;
  /** Mean acoustic score per frame over the whole path, silences and noise included. */
  allPerFrame: number | null;
  /** Frames of words that are not fillers. */
  wordFrames: number;
}

export function scorePath(path: readonly PathWord[]): PathScore {
  let wordScore = 0;
  let wordFrames = 0;
  let allScore = 0;
  let allFrames = 0;
  for (const w of path) {
    const frames = w.endFrame - w.startFrame + 1;
    if (frames <= 0) continue;
    allScore += w.ascr;
    allFrames += frames;
    if (FILLER.test(w.word)) continue;
    wordScore += w.ascr;
    wordFrames += frames;
  }
  return {
    wordsPerFrame: wordFrames > 0 ? wordScore / wordFrames : null,
    allPerFrame: allFrames > 0 ? allScore / allFrames : null,
    wordFrames,
  };
}

export interface RejectionRule {
  /** Garbage words that are ordinary words of the hypothesis (none when the garbage are fillers): any of them is out of grammar. */
  garbage: ReadonlySet<string>;
  /** Reject when the words' score per frame is below this (log base 1.0001 per 10 ms frame). */
  minWordsPerFrame: number;
  /** Answers that commit the caller (a yes), held to their own, stricter floor. */
  committing?: { phrases: ReadonlySet<string>; minWordsPerFrame: number };
}

export type Verdict = { rejected: false } | { rejected: true; why: 'out-of-grammar' | 'poor-fit' | 'no-words' };

/** Whether to believe a constrained turn's hypothesis (`words`: what it said, fillers removed). */
export function judge(words: readonly string[], score: PathScore, rule: RejectionRule): Verdict {
  if (words.length === 0) return { rejected: true, why: 'no-words' };
  if (words.some((w) => rule.garbage.has(w))) return { rejected: true, why: 'out-of-grammar' };
  const floor = rule.committing?.phrases.has(words.join(' ')) ? Math.max(rule.committing.minWordsPerFrame, rule.minWordsPerFrame) : rule.minWordsPerFrame;
  if (score.wordsPerFrame === null || score.wordsPerFrame < floor) return { rejected: true, why: 'poor-fit' };
  return { rejected: false };
}
