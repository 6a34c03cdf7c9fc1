// A scriptable LLM (STYLE.md: fakes live in the tree): answers every request with the value a test
// gives (or computes from the request), or fails with the given error.
import type { Llm, LlmJsonRequest, LlmJsonResult } from '../../appliance/agent/llm/types.js';

export class FakeLlm implements Llm {
  readonly name = 'fake';
  readonly capabilities = { jsonSchema: true as const };
  readonly requests: LlmJsonRequest[] = [];

  /** `answer`: the value for every request, an Error to fail with, or a function of the request giving either. */
  constructor(private readonly answer: unknown) {}

  start(): Promise<void> {
    return Promise.resolve();
  }

  stop(): Promise<void> {
    return Promise.resolve();
  }

  generateJson(req: LlmJsonRequest): Promise<LlmJsonResult> {
    this.requests.push(req);
    const value = typeof this.answer === 'function' ? (this.answer as (r: LlmJsonRequest) => unknown)(req) : this.answer;
    if (value instanceof Error) return Promise.reject(value);
    return Promise.resolve({ value, tokens: 20, firstTokenMs: 5, elapsedMs: 30 });
  }
}
