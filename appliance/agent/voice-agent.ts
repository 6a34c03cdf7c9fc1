// The receptionist on a phone call: adapts the Receptionist to the voice pipeline's
// ConversationAgent (turn-taking.ts). Each turn it says what it expects next (yes/no at a read-back,
// a day and time, a service, ...) and voice/asr/caller-grammars.ts turns that into the recogniser's
// grammar; it maps keypad presses to words (1 = yes, 2 = no, 0 = the front desk, N = the N-th offer).
import type { Catalogue } from '../booking/catalogue.js';
import type { Logger } from '../log.js';
import { callerExpectation } from '../voice/asr/caller-grammars.js';
import type { AgentReply, ConversationAgent, Heard, TurnInput } from '../voice/turn-taking.js';
import type { KeypadDialog, KeypadReply } from '../voice/keypad-conversation.js';
import type { Receptionist } from './receptionist.js';
import type { AgentAction } from './types.js';

export interface VoiceAgentDeps {
  receptionist: Receptionist;
  catalogue: Catalogue;
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

export class VoiceAgent implements ConversationAgent {
  private readonly conversation: CallConversation;
  private lastExpect: AgentAction['expect'] = 'open';

  constructor(private readonly deps: VoiceAgentDeps) {
    this.conversation = new CallConversation(deps);
  }

  private catalogueWords(): string[] {
    return this.deps.catalogue.services().flatMap((s) => [s.name, ...s.aliases]);
  }

  private reply(a: AgentAction): AgentReply {
    this.lastExpect = a.expect;
    const r: AgentReply = { text: a.reply, expect: callerExpectation(a.expect, () => this.catalogueWords()) };
    if (a.hangup) r.hangup = true;
    if (a.transfer) r.transfer = true;
    return r;
  }

  greeting(call: { id: number; callerPhone: string | null }): AgentReply {
    const started = this.deps.receptionist.startCall({ callId: call.id, callerPhone: call.callerPhone });
    this.conversation.begin(call.id, started.conversation);
    return this.reply(started.action);
  }

  end(): void {
    this.conversation.finish();
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
    const conversation = this.conversation.id;
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
  private readonly conversation: CallConversation;

  constructor(private readonly deps: Omit<VoiceAgentDeps, 'catalogue'>) {
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
