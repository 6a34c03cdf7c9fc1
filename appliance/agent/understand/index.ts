// Understanding behind one small interface: the rules always run; an optional LLM understander
// (agent/llm) may add what the rules missed within its time budget. The dialog never asks which.
import type { Understanding } from '../types.js';
import { understandRules, type RulesContext } from './rules.js';

export interface Understander {
  readonly name: string;
  understand(text: string, ctx: RulesContext): Promise<Understanding>;
}

export class RulesUnderstander implements Understander {
  readonly name = 'rules';
  understand(text: string, ctx: RulesContext): Promise<Understanding> {
    return Promise.resolve(understandRules(text, ctx));
  }
}
