// The receptionist on a phone call: adapts the Receptionist to the voice pipeline's
// ConversationAgent (turn-taking.ts). Each turn it says what kind of answer it expects next (yes/no
// at a read-back, a day and time, a service, ...) and the voice side (`expectation`, from
// voice/asr/caller-grammars.ts) turns that into the end-of-turn wait and the recogniser's grammar:
// no phrase list or grammar lives here. It maps keypad presses to words (1 = yes, 2 = no, 0 = the front desk, N = the N-th offer).
// Keys work at any time. Speech the recogniser rejects is "not understood" (the question again),
// unless the open model heard it again as a question or correction the receptionist takes (reheard.ts);
// after such turns in a row (rejected, or heard but not taken for an answer so the question comes
// again: two on a wideband call, one on a narrowband G.711 call, where the recogniser fails far
// more often) the question offers the keypad too: "or press 1 for yes, 2 for no" on a yes/no or
// an offer (which also gets a key for another day), a short menu on the questions with no numbered answer (how can I help, which
// treatment, which day: keypad-fallback.ts) whose keys stand for the caller's words. Once the
// caller has answered by key, every question offers its keys; speech still works throughout. A
// key pressed at the greeting, before anything was said, starts the keypad menus of
// keypad-menu.ts for callers who prefer them; their keys go to those menus from then on.
import type { Logger } from '../log.js';
import type { CallerExpects, Offered } from '../voice/asr/caller-grammars.js';
import type { AgentReply, ConversationAgent, Expectation, Heard, TurnInput } from '../voice/turn-taking.js';
import type { KeypadDialog, KeypadReply } from '../voice/keypad-conversation.js';
import { CODE_DIGITS } from './identity-code.js';
import type { KeyMenu } from './keypad-fallback.js';
import type { Receptionist } from './receptionist.js';
import type { AgentAction } from './types.js';

export interface VoiceAgentDeps {
  receptionist: Receptionist;
  /** What the voice side listens for, given the kind of answer expected (voice/asr/caller-grammars.ts). */
  /** `offered`: what the question just offered (times as the box said them, services' names): they join its grammar. */
  expectation: (answer: CallerExpects, offered?: Offered) => Expectation;
  log: Logger;
}

/** The call's conversation with the receptionist: begun by the greeting, finished by the call's end. */
class CallConversation {
  private started: { id: string; callId: number } | null = null;

  constructor(private readonly deps: Pick<VoiceAgentDeps, 'receptionist' | 'log'>) {}

  get id(): string | null {
    return this.started?.id ?? null;
  }

  begin(callId: number, conversation: string): void {
    this.started = { id: conversation, callId };
  }

  /** Finishes it (releases holds, writes the summary); a failure is logged, the call is over anyway. */
  finish(): void {
    const started = this.started;
    this.started = null;
    if (!started) return;
    try {
      this.deps.receptionist.finish(started.id);
    } catch (err) {
      this.deps.log.error({ err, callId: started.callId }, 'could not finish the call conversation');
    }
  }
}

const SPOKEN_KEYS = new Map(['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'].map((w, i) => [w, String(i)]));

/** Speech turns in a row not understood (rejected, or the question asked again) after which the question offers the keypad. */
export const KEYPAD_AFTER_REJECTIONS = 2;
/** The same on a narrowband call: speech fails there about half the time, so one miss is enough. */
export const KEYPAD_AFTER_REJECTIONS_NARROWBAND = 1;

/** How to answer the question by keypad, for the turns that have keys ('' for the others). */
export function keypadHint(expect: AgentAction['expect']): string {
  switch (expect) {
    case 'yes-no':
    case 'check':
      return 'Or press 1 for yes, 2 for no.';
    case 'choice':
      return 'Or press 1 for the first time, 2 for the second.';
    case 'digits':
    case 'code':
      return 'Or type it on your keypad.';
    case 'name':
    case 'open':
    case 'service':
    case 'when':
      return '';
  }
}

export class VoiceAgent implements ConversationAgent {
  private readonly conversation: CallConversation;
  private lastExpect: AgentAction['expect'] = 'open';
  /** Speech turns in a row not understood. */
  private misses = 0;
  private keypadAfter = KEYPAD_AFTER_REJECTIONS;
  /** The caller has pressed a key on the spoken call: every question offers its keys from then on. */
  private keysUsed = false;
  /** The keys offered with the last question, when it has a menu (keypad-fallback.ts). */
  private keyMenu: KeyMenu | null = null;
  /** No caller turn yet (a key now starts the keypad menus). */
  private atGreeting = true;
  /** The caller chose the keypad menus at the greeting. */
  private menus = false;

  constructor(private readonly deps: VoiceAgentDeps) {
    this.conversation = new CallConversation(deps);
  }

  private reply(a: AgentAction): AgentReply {
    this.lastExpect = a.expect;
    this.keyMenu = null;
    let hint = '';
    if ((this.misses >= this.keypadAfter || this.keysUsed || a.offerKeys) && !a.hangup && !a.transfer && !this.menus) {
      hint = keypadHint(a.expect);
      const conversation = this.conversation.id;
      if (conversation) {
        // A menu of its own, or one beside the turn's keys (another day, at an offer of times).
        this.keyMenu = this.deps.receptionist.keyMenu(conversation);
        if (this.keyMenu) hint = hint ? `${hint} ${this.keyMenu.prompt}` : `You can also use your keypad. ${this.keyMenu.prompt}`;
      }
    }
    const r: AgentReply = { text: hint ? `${a.reply} ${hint}` : a.reply, expect: this.deps.expectation(a.expect, this.offered(a.expect)) };
    if (a.hangup) r.hangup = true;
    if (a.transfer) r.transfer = true;
    return r;
  }

  /** What the question offered, for the grammar of its answer. */
  private offered(expect: AgentAction['expect']): Offered {
    const id = this.conversation.id;
    if (!id) return {};
    if (expect === 'choice') return { times: this.deps.receptionist.offeredTimes(id) };
    if (expect === 'service') return { services: this.deps.receptionist.offeredServices(id) };
    if (expect === 'code') return { digits: CODE_DIGITS };
    return {};
  }

  greeting(call: { id: number; callerPhone: string | null; narrowband?: boolean }): AgentReply {
    if (call.narrowband) this.keypadAfter = KEYPAD_AFTER_REJECTIONS_NARROWBAND;
    const started = this.deps.receptionist.startCall({ callId: call.id, callerPhone: call.callerPhone, narrowband: call.narrowband ?? false });
    this.conversation.begin(call.id, started.conversation);
    return this.reply(started.action);
  }

  end(): void {
    this.conversation.finish();
  }

  /**
   * A key for the keypad menus (the first one, at the greeting, is already the main menu's: 1 books,
   * as on a keypad-only call). Menu replies wait for one key, not for a number.
   */
  private menu(conversation: string, digits: string): AgentReply {
    this.menus = true;
    const r = this.reply(this.deps.receptionist.keypad(conversation, digits.slice(0, 1)));
    return { ...r, expect: this.deps.expectation('menu') };
  }

  /** Keys as words for the turn the caller is in. */
  private keys(digits: string): string {
    if (digits === '0') return 'front desk please';
    switch (this.lastExpect) {
      case 'yes-no':
      case 'check':
        return digits === '1' ? 'yes' : digits === '2' ? 'no' : digits;
      case 'choice':
        return `option ${digits.slice(0, 1)}`;
      case 'digits':
      case 'code':
        // '#' alone: none to give ("press pound if no code came").
        return digits === '#' ? 'I have none' : digits.split('').join(' ');
      case 'name':
      case 'open':
      case 'service':
      case 'when':
        return digits.split('').join(' ');
    }
  }

  async respond(input: TurnInput, heard: Heard): Promise<AgentReply> {
    const conversation = this.conversation.id;
    if (!conversation) return { text: 'Sorry, something went wrong. Please call back.', hangup: true };
    const atGreeting = this.atGreeting;
    if (input.kind !== 'silence') this.atGreeting = false;
    switch (input.kind) {
      case 'speech': {
        // In the keypad menus a spoken digit ("two") is that key.
        if (this.menus && !input.rejected && SPOKEN_KEYS.has(input.text)) return this.menu(conversation, SPOKEN_KEYS.get(input.text) ?? '');
        // Rejected but heard again by the open model: the receptionist decides whether that is taken.
        const { receptionist } = this.deps;
        const action = !input.rejected
          ? await receptionist.turn(conversation, input.text, heard, input.words)
          : input.reheard
            ? await receptionist.reheard(conversation, input.reheard.text, heard, input.reheard.words)
            : receptionist.notUnderstood(conversation);
        this.misses = action.again ? this.misses + 1 : 0;
        return this.reply(action);
      }
      case 'dtmf': {
        this.misses = 0;
        if (this.menus || (atGreeting && input.digits !== '0')) return this.menu(conversation, input.digits);
        this.keysUsed = true;
        const choice = this.keyMenu?.keys[input.digits.slice(0, 1)];
        if (choice && 'menu' in choice) {
          // A finer menu (the kind of treatment, then the treatment): the question stands.
          this.keyMenu = choice.menu;
          return { text: choice.menu.prompt, expect: this.deps.expectation(this.lastExpect) };
        }
        return this.reply(await this.deps.receptionist.turn(conversation, choice ? choice.say : this.keys(input.digits)));
      }
      case 'silence':
        return this.reply(await this.deps.receptionist.turn(conversation, null));
    }
  }
}

/** The receptionist by keypad (calls the recogniser cannot hear), for voice/keypad-conversation.ts. */
export class KeypadAgent implements KeypadDialog {
  private readonly conversation: CallConversation;

  constructor(private readonly deps: Omit<VoiceAgentDeps, 'expectation'>) {
    this.conversation = new CallConversation(deps);
  }

  private reply(a: AgentAction): KeypadReply {
    const r: KeypadReply = { text: a.reply };
    if (a.hangup) r.hangup = true;
    if (a.transfer) r.transfer = true;
    return r;
  }

  greeting(call: { id: number; callerPhone: string | null }): KeypadReply {
    const started = this.deps.receptionist.startKeypadCall({ callId: call.id, callerPhone: call.callerPhone });
    this.conversation.begin(call.id, started.conversation);
    return this.reply(started.action);
  }

  press(key: string | null): KeypadReply {
    const conversation = this.conversation.id;
    if (!conversation) return { text: 'Sorry, something went wrong. Please call back.', hangup: true };
    return this.reply(this.deps.receptionist.keypad(conversation, key));
  }

  end(): void {
    this.conversation.finish();
  }
}
