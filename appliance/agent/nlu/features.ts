// What the intent model reads of an utterance: its words after the spa's own names are replaced by
// their kind ("how much is svc with prov on wday"), so what is learned on one spa's catalogue holds
// for another's; word pairs; letter n-grams inside words, so misspellings and recogniser slips
// ("botax", "cancell", "apointment") still share most features with the word meant; what the
// receptionist had just asked; and which of the old rules' patterns fire, as hints the model weighs
// against everything else. Pure.
import type { Provider } from '../../booking/types.js';
import { extractName, rulePatternHits } from '../understand/rules.js';
import { normalizeUtterance } from '../understand/normalize.js';
import { withoutOtherEmergencies } from './urgent.js';
import type { ServiceMatcher } from '../understand/services.js';
import type { UtteranceContext } from './corpus.js';
import { wordClusters } from './clusters.js';

export interface Lexicon {
  services: ServiceMatcher;
  providers: readonly Provider[];
}

const WEEKDAY = /\b(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?s?\b/g;
const MONTH = /\b(?:january|february|march|april|june|july|august|september|october|november|december|jan|feb|sept?|oct|nov|dec)\b/g;

/** The utterance with the spa's names and the numbers replaced by their kind. */
export function delexicalize(raw: string, lex: Lexicon): string {
  let text = normalizeUtterance(raw).replace(/[?!.,;:"]+(?=\s|$)/g, ' ');
  // Phone numbers before other numbers: a run of 7+ digits (spaces and dashes allowed).
  text = text.replace(/\+?\d[\d\s().-]{6,}\d/g, ' phonenum ');
  for (let i = 0; i < 3; i++) {
    const m = lex.services.match(text);
    if (m.ids.length === 0 || !m.words) break;
    const before = text;
    text = text.replace(new RegExp(`\\b${escape(m.words)}\\b`), ' svc ');
    if (text === before) break;
  }
  for (const p of lex.providers) {
    for (const part of p.name.toLowerCase().split(/\s+/)) {
      if (part.length >= 3) text = text.replace(new RegExp(`\\b${escape(part)}(?:'s)?\\b`, 'g'), ' prov ');
    }
  }
  text = text
    .replace(/\bprov(?: prov)+\b/g, 'prov')
    .replace(WEEKDAY, ' wday ')
    .replace(MONTH, ' month ')
    .replace(/\b\d{1,2}(?::\d\d)?(?:am|pm)\b|\b\d{1,2}:\d\d\b/g, ' clock ')
    .replace(/\b\d+(?:st|nd|rd|th)\b/g, ' ordnum ')
    .replace(/\$?\d+(?:\.\d+)?/g, ' num ');
  return text.replace(/\s+/g, ' ').trim();
}

/**
 * The word clusters (clusters.ts) of the words, at each level: `k1:`, `k2:`, `k3:`, so a word never
 * seen in training still weighs like the seen words of its cluster ("newborn" beside "infant"). The
 * names' kinds and the most frequent words (left out of the clusters file) give none.
 */
export function clusterFeatures(words: readonly string[]): string[] {
  const clusters = wordClusters();
  const f: string[] = [];
  for (const w of words) {
    const path = clusters.of(w);
    if (!path) continue;
    path.forEach((id, level) => f.push(`k${level + 1}:${id}`));
  }
  return f;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The features of one utterance said after `after`. */
export function featuresOf(said: string, after: UtteranceContext, lex: Lexicon): string[] {
  // "family emergency" is a reason to cancel: the word must not teach the model an urgent symptom.
  const raw = withoutOtherEmergencies(said);
  const delex = delexicalize(raw, lex);
  const words = delex.split(/[^a-z0-9']+/).filter(Boolean);
  const f: string[] = [`ctx:${after}`];
  const n = words.length;
  f.push(`len:${n <= 1 ? '1' : n <= 2 ? '2' : n <= 5 ? '3-5' : n <= 10 ? '6-10' : '11+'}`);
  if (/\?/.test(raw)) f.push('qmark');
  for (let i = 0; i < n; i++) {
    const w = words[i] ?? '';
    f.push(`w:${w}`);
    if (after !== 'open') f.push(`${after}|w:${w}`);
    f.push(`b:${i === 0 ? '<s>' : (words[i - 1] ?? '')}_${w}`);
    if (w.length >= 4 && !/^(?:svc|prov|wday|month|clock|num|ordnum|phonenum)$/.test(w)) {
      const padded = `<${w}>`;
      for (let g = 3; g <= 4; g++) for (let j = 0; j + g <= padded.length; j++) f.push(`c:${padded.slice(j, j + g)}`);
    }
  }
  f.push(...clusterFeatures(words));
  if (n > 0) f.push(`b:${words[n - 1] ?? ''}_</s>`);
  if (n > 0) f.push(`first:${words[0] ?? ''}`);
  const canonical = normalizeUtterance(raw);
  for (const r of rulePatternHits(canonical)) f.push(`r:${r}`);
  // What the words give, as the rules read it, alone and with the question asked.
  const has: string[] = [];
  if (extractName(canonical, after === 'name')) has.push('name');
  if (words.includes('svc')) has.push('svc');
  if (words.some((w) => w === 'wday' || w === 'clock' || w === 'ordnum' || w === 'month')) has.push('when');
  if (words.includes('phonenum')) has.push('phone');
  for (const h of has) f.push(`has:${h}`, `${after}|has:${h}`);
  return f;
}
