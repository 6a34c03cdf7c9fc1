// The stand-in agent until the receptionist exists: greets, says back what it heard, reads back
// keys, transfers on 0, reprompts on silence. It makes the voice pipeline audible end to end.
import { openGrammar } from './asr/grammars.js';
import type { AgentReply, ConversationAgent, Expectation, Heard, TurnInput } from './turn-taking.js';

/** What callers of a spa say, so a grammar-bound recogniser (pocketsphinx) can follow them. */
const CALLER_PHRASES = [
  "i'd like to book an appointment",
  'do you have anything on friday morning',
  'how much is it',
  'what are your hours',
  'where are you located',
  'can i speak to a person',
  'cancel my appointment',
  'i need to reschedule',
  'yes please',
  'no thanks',
];

/** After a silence. */
const REPROMPT = 'Are you still there? How can I help?';

export class EchoAgent implements ConversationAgent {
  constructor(private readonly deps: { spaName: () => string; catalogue?: () => readonly string[] }) {}

  private expect(): Expectation {
    return { kind: 'open', grammar: openGrammar({ catalogue: this.deps.catalogue?.() ?? [], phrases: CALLER_PHRASES }) };
  }

  greeting(): AgentReply {
    return {
      text: `Thank you for calling ${this.deps.spaName()}. I'm the spa's virtual receptionist. Say something and I will repeat it, or press zero for the front desk.`,
      expect: this.expect(),
    };
  }

  /** What it says on every call whatever it hears, word for word, for the voice to render before the first call. */
  prompts(): string[] {
    return [this.greeting().text, REPROMPT];
  }

  respond(input: TurnInput, heard: Heard): Promise<AgentReply> {
    const expect = this.expect();
    switch (input.kind) {
      case 'speech':
        if (input.rejected) return Promise.resolve({ text: "Sorry, I didn't catch that.", expect });
        return Promise.resolve({ text: `${heard.interrupted ? 'Sorry, go ahead. ' : ''}I heard: ${input.text}.`, expect });
      case 'dtmf':
        if (input.digits === '0') return Promise.resolve({ text: 'Connecting you to the front desk.', transfer: true });
        return Promise.resolve({ text: `You pressed ${[...input.digits].join(' ')}.`, expect });
      case 'silence':
        return Promise.resolve({ text: REPROMPT, expect });
    }
  }
}
