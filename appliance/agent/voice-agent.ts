// The receptionist on a phone call: adapts the Receptionist to the voice pipeline's
// ConversationAgent (turn-taking.ts). Each turn it tells the recogniser what to expect — a closed
// yes/no grammar at a read-back, days and times when asking when, the catalogue when asking what —
// and maps keypad presses to words (1 = yes, 2 = no, 0 = the front desk, N = the N-th offer).
import type { Catalogue } from '../booking/catalogue.js';
import { dayTimeGrammar, digitsGrammar, openGrammar, serviceGrammar, yesNoGrammar } from '../voice/asr/grammars.js';
import type { AgentReply, ConversationAgent, Expectation, Heard, TurnInput } from '../voice/turn-taking.js';
import type { KeypadDialog, KeypadReply } from '../voice/keypad-conversation.js';
import type { Receptionist } from './receptionist.js';
import type { AgentAction } from './types.js';

/** What callers of a spa say, so a grammar-bound recogniser (pocketsphinx) can follow them. */
export const CALLER_PHRASES = [
  "i'd like to book an appointment",
  "i'd like to book a chemical peel",
  'do you have anything on friday morning',
  'how much is botox',
  'what are your hours',
  'where are you located',
  'is there parking',
  'can i speak to a person',
  'i need to cancel my appointment',
  'i need to reschedule my appointment',
  'when is my appointment',
  'yes please',
  'no thanks',
  "no that's all thank you",
  'goodbye',
];

const CHOICE_PHRASES = ['the first one', 'the second one', 'the third one', 'the last one', 'the earlier one', 'the later one', 'first', 'second', 'the first', 'the second', 'yes', 'yes please', 'that works', 'no', 'neither'];

/** Common first and last names for the name turn (any word in the recogniser's dictionary may also come). */
const NAMES = ['my', 'name', 'is', "it's", 'this', 'jane', 'john', 'smith', 'emma', 'olivia', 'sophia', 'mia', 'ava', 'amy', 'anna', 'sarah', 'laura',
  'maria', 'lisa', 'kate', 'grace', 'lily', 'rose', 'ruth', 'karen', 'linda', 'susan', 'nancy', 'jessica', 'emily', 'michael', 'david', 'james',
  'robert', 'mark', 'paul', 'peter', 'brown', 'johnson', 'williams', 'jones', 'miller', 'davis', 'garcia', 'wilson', 'moore', 'taylor',
  'anderson', 'thomas', 'jackson', 'white', 'harris', 'martin', 'thompson', 'young', 'allen', 'king', 'wright', 'scott', 'green', 'baker',
  'adams', 'nelson', 'hill', 'campbell', 'mitchell', 'roberts', 'carter', 'phillips', 'evans', 'turner', 'parker', 'collins', 'edwards',
  'stewart', 'morris', 'murphy', 'cook', 'rogers', 'morgan', 'cooper', 'peterson', 'reed', 'bailey', 'bell', 'kelly', 'howard', 'ward', 'cox',
  'richardson', 'wood', 'watson', 'brooks', 'bennett', 'gray', 'james', 'hughes', 'price', 'sanders', 'myers', 'long', 'ross', 'foster', 'lee', 'chen', 'kim'];

export interface VoiceAgentDeps {
  receptionist: Receptionist;
  catalogue: Catalogue;
  /** Called with the conversation id once the call is greeted (the call's end finishes it). */
  onStart?: (callId: number, conversation: string) => void;
}

export class VoiceAgent implements ConversationAgent {
  private conversation: string | null = null;
  private lastExpect: AgentAction['expect'] = 'open';

  constructor(private readonly deps: VoiceAgentDeps) {}

  private catalogueWords(): string[] {
    return this.deps.catalogue.services().flatMap((s) => [s.name, ...s.aliases]);
  }

  private expectation(e: AgentAction['expect']): Expectation {
    switch (e) {
      case 'yes-no':
        return { kind: 'yes-no', grammar: yesNoGrammar() };
      case 'when':
        return {
          kind: 'open',
          grammar: {
            phrases: [...(dayTimeGrammar().phrases ?? []), 'as soon as possible', 'next week', 'the first available', 'no wednesday', 'actually thursday'],
            words: [...(dayTimeGrammar().words ?? []), 'no', 'actually', 'instead', 'soon', 'possible', 'as', 'earliest'],
          },
        };
      case 'service':
        return { kind: 'open', grammar: serviceGrammar(this.catalogueWords()) };
      case 'choice':
        return { kind: 'open', grammar: { phrases: CHOICE_PHRASES, words: [...(dayTimeGrammar().words ?? []), 'one', 'the', 'earlier', 'later', 'last', 'first', 'second', 'third', 'no', 'yes'] } };
      case 'name':
        return { kind: 'open', grammar: { phrases: [], words: NAMES } };
      case 'digits':
        return { kind: 'digits', grammar: digitsGrammar() };
      case 'open':
        return { kind: 'open', grammar: openGrammar({ catalogue: this.catalogueWords(), phrases: CALLER_PHRASES }) };
    }
  }

  private reply(a: AgentAction): AgentReply {
    this.lastExpect = a.expect;
    const r: AgentReply = { text: a.reply, expect: this.expectation(a.expect) };
    if (a.hangup) r.hangup = true;
    if (a.transfer) r.transfer = true;
    return r;
  }

  greeting(call: { id: number; callerPhone: string | null }): AgentReply {
    const started = this.deps.receptionist.startCall({ callId: call.id, callerPhone: call.callerPhone });
    this.conversation = started.conversation;
    this.deps.onStart?.(call.id, started.conversation);
    return this.reply(started.action);
  }

  /** Keys as words for the turn the caller is in. */
  private keys(digits: string): string {
    if (digits === '0') return 'front desk please';
    switch (this.lastExpect) {
      case 'yes-no':
        return digits === '1' ? 'yes' : digits === '2' ? 'no' : digits;
      case 'choice':
        return `option ${digits.slice(0, 1)}`;
      case 'digits':
      case 'name':
      case 'open':
      case 'service':
      case 'when':
        return digits.split('').join(' ');
    }
  }

  async respond(input: TurnInput, heard: Heard): Promise<AgentReply> {
    const conversation = this.conversation;
    if (!conversation) return { text: 'Sorry, something went wrong. Please call back.', hangup: true };
    switch (input.kind) {
      case 'speech':
        return this.reply(await this.deps.receptionist.turn(conversation, input.text, heard));
      case 'dtmf':
        return this.reply(await this.deps.receptionist.turn(conversation, this.keys(input.digits)));
      case 'silence':
        return this.reply(await this.deps.receptionist.turn(conversation, null));
    }
  }
}

/** The receptionist by keypad (calls the recogniser cannot hear), for voice/keypad-conversation.ts. */
export class KeypadAgent implements KeypadDialog {
  private conversation: string | null = null;

  constructor(private readonly deps: Omit<VoiceAgentDeps, 'catalogue'>) {}

  private reply(a: AgentAction): KeypadReply {
    const r: KeypadReply = { text: a.reply };
    if (a.hangup) r.hangup = true;
    if (a.transfer) r.transfer = true;
    return r;
  }

  greeting(call: { id: number; callerPhone: string | null }): KeypadReply {
    const started = this.deps.receptionist.startKeypadCall({ callId: call.id, callerPhone: call.callerPhone });
    this.conversation = started.conversation;
    this.deps.onStart?.(call.id, started.conversation);
    return this.reply(started.action);
  }

  press(key: string | null): KeypadReply {
    if (!this.conversation) return { text: 'Sorry, something went wrong. Please call back.', hangup: true };
    return this.reply(this.deps.receptionist.keypad(this.conversation, key));
  }
}
