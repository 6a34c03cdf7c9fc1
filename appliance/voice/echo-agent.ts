// The stand-in agent until the receptionist exists: greets, says back what it heard, reads back
// keys, transfers on 0, reprompts on silence. It makes the voice pipeline audible end to end.
import type { AgentReply, ConversationAgent, Heard, TurnInput } from './turn-taking.js';

export class EchoAgent implements ConversationAgent {
  constructor(private readonly deps: { spaName: () => string }) {}

  greeting(): AgentReply {
    return {
      text: `Thank you for calling ${this.deps.spaName()}. I'm the spa's virtual receptionist. Say something and I will repeat it, or press zero for the front desk.`,
    };
  }

  respond(input: TurnInput, heard: Heard): Promise<AgentReply> {
    switch (input.kind) {
      case 'speech':
        return Promise.resolve({ text: `${heard.interrupted ? 'Sorry, go ahead. ' : ''}I heard: ${input.text}.` });
      case 'dtmf':
        if (input.digits === '0') return Promise.resolve({ text: 'Connecting you to the front desk.', transfer: true });
        return Promise.resolve({ text: `You pressed ${[...input.digits].join(' ')}.` });
      case 'silence':
        return Promise.resolve({ text: 'Are you still there? How can I help?' });
    }
  }
}
