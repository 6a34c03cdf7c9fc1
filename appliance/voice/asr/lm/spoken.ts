// Written caller text -> the words a recogniser would output for it: lowercase, accents folded,
// texting shorthand spelled out, numbers, times, money and dates as spoken words, no punctuation.
// What the language model is trained on and what its output is compared with. Pure.
import { normalizeText } from '../jsgf.js';

/** Texting shorthand as said aloud (only unambiguous forms). */
const SHORTHAND: Record<string, string> = {
  u: 'you', ur: 'your', r: 'are', ya: 'you', pls: 'please', plz: 'please', thx: 'thanks', ty: 'thank you', tmrw: 'tomorrow',
  tmr: 'tomorrow', tmrrw: 'tomorrow', '2morrow': 'tomorrow', '2day': 'today', '2nite': 'tonight', tonite: 'tonight', rn: 'right now',
  b4: 'before', appt: 'appointment', appts: 'appointments', thru: 'through', bc: 'because', cuz: 'because', coz: 'because',
  im: "i'm", ive: "i've", dont: "don't", cant: "can't", wont: "won't", didnt: "didn't", doesnt: "doesn't", isnt: "isn't",
  whats: "what's", thats: "that's", theres: "there's", youre: "you're", hows: "how's", lemme: 'let me', gimme: 'give me',
  tues: 'tuesday', weds: 'wednesday', thurs: 'thursday', thur: 'thursday', wknd: 'weekend', asap: 'as soon as possible',
  ok: 'okay', k: 'okay', pm: 'pm', am: 'am', info: 'information', msg: 'message', pic: 'picture', pics: 'pictures',
  w: 'with', abt: 'about', nvm: 'never mind', idk: "i don't know", dr: 'doctor', mins: 'minutes', min: 'minutes', hr: 'hour', hrs: 'hours',
};

/** The spoken words of `text` (see the file comment). */
export function spokenWords(text: string): string[] {
  const folded = text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/\bw\//gi, 'with ')
    // Shorthand with digits in it, before the digits are read as numbers.
    .replace(/\b(2day|2morrow|2nite|b4)\b/gi, (m) => SHORTHAND[m.toLowerCase()] ?? m)
    // "2pm", "10am", "2:30pm": the number and the am/pm apart.
    .replace(/(\d)\s*([ap])\.?m\b\.?/gi, '$1 $2m');
  return normalizeText(folded)
    .split(' ')
    .flatMap((w) => (w === '' ? [] : (SHORTHAND[w] ?? w).split(' ')));
}
