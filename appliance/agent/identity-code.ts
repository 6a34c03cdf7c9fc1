// One-time codes texted to a caller's own number, typed back on the keypad (or read out), to prove
// who is calling when their name was misheard (identity.ts). Decided as a privacy officer would:
//  - Only to the number the call comes from, and only when that number is on file for exactly one
//    client with an upcoming appointment. The code then proves the caller holds the very phone the
//    spa's confirmations and reminders already go to, so passing it discloses nothing that phone
//    does not already get. Caller ID alone can be forged; a forger does not receive the code.
//  - Never to a number found by the name given: a stranger could then make the box text any
//    client (a nuisance, and the first step of the "read me the code I just sent you" trick), and
//    the name is the very thing misheard.
//  - One code per conversation, six digits, valid ten minutes, at most two tries; the text says
//    never to share it. Codes live in memory only (a restart forgets them), never in the dialog
//    state the database keeps.
// The text goes through the SMS module when a modem is configured; with none (or the simulated
// one) there is no way to send it and identity works as before (the day, then a call back).
import { randomInt } from 'node:crypto';
import type { Clock } from '../shared/clock.js';
import { cleanText, digitsFromWords } from './understand/normalize.js';

export const CODE_DIGITS = 6;
export const CODE_TTL_MS = 10 * 60_000;
export const CODE_TRIES = 2;

/** Sends a text to a number now (not held for quiet hours); false when it cannot go (no modem, opted out). */
export type SendText = (phone: string, body: string) => boolean;

export type CodeCheck = 'right' | 'wrong' | 'spent';

interface Issued {
  code: string;
  at: number;
  tries: number;
}

export class IdentityCodes {
  private readonly issued = new Map<string, Issued>();

  constructor(private readonly deps: { clock: Clock; send: SendText; ready?: () => boolean; random?: (digits: number) => string }) {}

  /** Whether a text could go now (the modem is up): the code step is skipped when not. */
  ready(): boolean {
    return this.deps.ready?.() ?? true;
  }

  /**
   * No code went (the number is not one client's, or it could not be sent), yet the caller heard
   * the same words as if one had: what they type is checked as usual and never matches, so the
   * replies do not tell a caller who forged a number whether that number is a client's.
   */
  withhold(conversationId: string): void {
    if (this.issued.has(conversationId)) return;
    this.issued.set(conversationId, { code: '', at: this.deps.clock.now(), tries: 0 });
    this.prune();
  }

  /** Texts a new code to `phone` for this conversation; false when it was not sent (or one was already). */
  send(conversationId: string, phone: string, spaName: string): boolean {
    if (this.issued.has(conversationId)) return false;
    const code = (this.deps.random ?? randomDigits)(CODE_DIGITS);
    const sent = this.deps.send(phone, `${spaName}: your code is ${code}. Type it on your keypad to confirm it's you. Never share this code; our staff will never ask for it.`);
    if (!sent) return false;
    this.issued.set(conversationId, { code, at: this.deps.clock.now(), tries: 0 });
    this.prune();
    return true;
  }

  /** Whether `digits` is the code texted for this conversation ('spent': none left to try). */
  check(conversationId: string, digits: string): CodeCheck {
    const issued = this.issued.get(conversationId);
    if (!issued || issued.tries >= CODE_TRIES || this.deps.clock.now() - issued.at > CODE_TTL_MS) return 'spent';
    issued.tries++;
    if (issued.code !== '' && digits === issued.code) {
      issued.tries = CODE_TRIES;
      return 'right';
    }
    return issued.tries >= CODE_TRIES ? 'spent' : 'wrong';
  }

  /** Codes past their time are dropped, so the map does not grow with calls. */
  private prune(): void {
    const now = this.deps.clock.now();
    for (const [id, x] of this.issued) if (now - x.at > CODE_TTL_MS) this.issued.delete(id);
  }
}

function randomDigits(n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String(randomInt(10));
  return s;
}

/** The digits in an answer: typed ("4 8 2") or said ("four eight two", "oh" for zero). */
export function digitsIn(text: string): string {
  return digitsFromWords(cleanText(text)).replace(/\D/g, '');
}
