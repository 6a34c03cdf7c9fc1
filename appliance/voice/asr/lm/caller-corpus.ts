// The caller corpus the spa's language model is estimated from: templates of what callers say
// (caller-templates.ts) filled with the spa's own services, aliases, providers, knowledge topics,
// days, times and numbers as spoken words, plus the knowledge base's example questions and the
// understanding corpus's training sentences. Seeded, so the same catalogue gives the same corpus.
// Pure.
import { seededRandom } from '../../../shared/random.js';
import { numberToWords, ordinalToWords } from '../jsgf.js';
import { BODY_PARTS, CLOSERS, FIRST_NAMES, FRAMES, LAST_NAMES, OPENERS, type Frame } from './caller-templates.js';
import { spokenWords } from './spoken.js';

/** What of the spa's catalogue callers talk about. */
export interface CallerDomain {
  spaName: string;
  services: { name: string; aliases: readonly string[] }[];
  providers: { name: string }[];
  knowledge: { title: string; examples: readonly string[] }[];
}

export interface CallerCorpusOptions {
  /** Template sentences to generate. */
  sentences: number;
  seed: number;
  /** Written caller sentences to add as they are (the understanding corpus's training split). */
  extraTexts?: readonly string[];
  /** How many times each extra text and knowledge example is added (their weight against the templates). */
  repeat?: number;
  /** Times the weight of the templates that give the caller's name ("my name is ..."); default 1. */
  nameFrameWeight?: number;
}

type Rng = () => number;
const pick = <T>(rng: Rng, list: readonly T[]): T => list[Math.floor(rng() * list.length)] as T;

const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];
const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const PARTS = ['morning', 'afternoon', 'evening'];
const MINUTES = ['fifteen', 'thirty', 'forty five', 'oh five', 'ten', 'twenty', 'forty', 'forty five'];

function day(rng: Rng): string {
  const wd = pick(rng, WEEKDAYS);
  const ord = ordinalToWords(1 + Math.floor(rng() * 31));
  return pick(rng, [
    wd, wd, `on ${wd}`, `this ${wd}`, `next ${wd}`, `${wd} the ${ord}`, `on ${wd} the ${ord}`, `the ${ord}`, `on the ${ord}`,
    `${pick(rng, MONTHS)} ${ord}`, `${wd} ${pick(rng, MONTHS)} ${ord}`, 'today', 'tomorrow', 'tonight', 'this afternoon', 'this morning',
    'this weekend', 'next week', 'later this week', 'early next week', `${wd} ${pick(rng, PARTS)}`, `tomorrow ${pick(rng, PARTS)}`,
    `next ${wd} ${pick(rng, PARTS)}`, `${wd} or ${pick(rng, WEEKDAYS)}`, `the ${ord} of ${pick(rng, MONTHS)}`,
  ]);
}

function time(rng: Rng): string {
  const h = numberToWords(1 + Math.floor(rng() * 12));
  return pick(rng, [
    `at ${h}`, `at ${h}`, `at ${h} o'clock`, `at ${h} ${pick(rng, MINUTES)}`, `${h} ${pick(rng, MINUTES)}`, `at ${h} pm`, `at ${h} am`,
    `${h} pm`, `${h} am`, `at ${h} thirty pm`, `around ${h}`, `after ${h}`, `before ${h}`, `anytime after ${h}`, `at noon`, `around noon`,
    'in the morning', 'in the afternoon', 'in the evening', 'after work', 'at lunchtime', 'first thing in the morning',
    'sometime in the afternoon', 'late afternoon', 'early morning', `between ${h} and ${numberToWords(1 + Math.floor(rng() * 12))}`,
  ]);
}

function phone(rng: Rng): string {
  const digit = (): string => pick(rng, ['zero', 'oh', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine']);
  const group = (n: number): string => Array.from({ length: n }, digit).join(' ');
  return `${group(3)} ${group(3)} ${group(4)}`;
}

/** Fills one template (see caller-templates.ts for the syntax). */
export function expandTemplate(template: string, rng: Rng, slot: (name: string) => string): string {
  let at = 0;
  const sequence = (stop: string): string => {
    const out: string[] = [];
    while (at < template.length && !stop.includes(template[at] as string)) {
      const c = template[at] as string;
      if (c === '[' || c === '(') {
        at++;
        const alternatives: string[] = [sequence('|' + (c === '[' ? ']' : ')'))];
        while (template[at] === '|') {
          at++;
          alternatives.push(sequence(c === '[' ? '|]' : '|)'));
        }
        at++; // the closing bracket
        if (c === '[' || rng() < 0.5) out.push(pick(rng, alternatives));
      } else if (c === '{') {
        const end = template.indexOf('}', at);
        out.push(slot(template.slice(at + 1, end)));
        at = end + 1;
      } else {
        out.push(c);
        at++;
      }
    }
    return out.join('');
  };
  return sequence('').replace(/\s+/g, ' ').trim();
}

/** The corpus as sentences of spoken words. */
export function generateCallerCorpus(domain: CallerDomain, opts: CallerCorpusOptions): string[][] {
  const rng = seededRandom(opts.seed);
  const services = domain.services.flatMap((s) => [s.name, s.name, ...s.aliases].map((t) => spokenWords(t).join(' '))).filter((t) => t !== '');
  const providers = domain.providers.flatMap((p) => {
    const words = spokenWords(p.name);
    return [words.join(' '), words[0] ?? '', words.join(' ')];
  }).filter((t) => t !== '');
  const topics = domain.knowledge.map((k) => spokenWords(k.title).join(' ')).filter((t) => t !== '');
  const spaName = spokenWords(domain.spaName).join(' ');
  const slot = (name: string): string => {
    switch (name) {
      case 'svc':
        return pick(rng, services.length > 0 ? services : ['an appointment']);
      case 'svcA': {
        const s = pick(rng, services.length > 0 ? services : ['appointment']);
        return pick(rng, [s, s, `a ${s}`, `the ${s}`, `some ${s}`, `my ${s}`]);
      }
      case 'prov':
        return pick(rng, providers.length > 0 ? providers : ['someone']);
      case 'day':
        return day(rng);
      case 'when':
        return pick(rng, [day(rng), day(rng), time(rng), `${day(rng)} ${time(rng)}`, `${day(rng)} ${time(rng)}`]);
      case 'name':
        return pick(rng, [`${pick(rng, FIRST_NAMES)} ${pick(rng, LAST_NAMES)}`, pick(rng, FIRST_NAMES)]);
      case 'phone':
        return phone(rng);
      case 'topic':
        return pick(rng, topics.length > 0 ? topics : ['my appointment']);
      case 'part':
        return pick(rng, BODY_PARTS);
      default:
        throw new RangeError(`unknown template slot {${name}}`);
    }
  };
  // Names are asked on their own turn with their own grammar (caller-grammars.ts): the open turn's
  // model may do without them.
  const weight = (f: Frame): number => (f.text.includes('{name}') ? f.weight * (opts.nameFrameWeight ?? 1) : f.weight);
  const total = FRAMES.reduce((s, f) => s + weight(f), 0);
  const frame = (): Frame => {
    let r = rng() * total;
    for (const f of FRAMES) if ((r -= weight(f)) < 0) return f;
    return FRAMES[FRAMES.length - 1] as Frame;
  };
  const out: string[][] = [];
  for (let i = 0; i < opts.sentences; i++) {
    let text = expandTemplate(frame().text, rng, slot);
    if (rng() < 0.3) text = `${pick(rng, OPENERS)} ${text}`;
    if (rng() < 0.12) text = `${text} ${pick(rng, CLOSERS)}`;
    if (rng() < 0.03) text = `hi is this ${spaName}`;
    // Templates and slot values are spoken words already.
    out.push(text.split(' '));
  }
  const repeat = opts.repeat ?? 1;
  const written = [...domain.knowledge.flatMap((k) => k.examples), ...(opts.extraTexts ?? [])];
  for (const text of written) {
    const words = spokenWords(text);
    if (words.length > 0) for (let k = 0; k < repeat; k++) out.push(words);
  }
  return out.filter((s) => s.length > 0);
}
