// Speed of an LLM on the receptionist's kind of request, for the bench: decode speed and the time
// until a complete, schema-valid JSON value is in hand. One warm-up request first (it fills the
// prompt cache and pages the model in), then `runs` measured ones; medians where a typical value
// is wanted, totals for the rate.
import { validateJson } from './schema.js';
import type { JsonSchema, Llm } from './types.js';

export interface MeasureLlmOptions {
  runs?: number;
  system?: string;
  prompt?: string;
  schema?: JsonSchema;
  maxTokens?: number;
  timeoutMs?: number;
}

export interface LlmMeasurement {
  /** Generated tokens per second after the first (decode speed). */
  tokensPerSecond: number;
  /** Median time from the call to a complete schema-valid JSON value. */
  firstValidJsonMs: number;
  /** Median time from the call to the first generated token. */
  firstTokenMs: number;
  /** Median tokens per answer. */
  tokens: number;
  runs: number;
}

/** A turn of the kind the receptionist asks about. */
export const BENCH_SCHEMA: JsonSchema = {
  type: 'object',
  properties: {
    intent: { enum: ['book', 'reschedule', 'cancel', 'question', 'other'] },
    service: { enum: ['botox', 'hydrafacial', 'laser hair removal', 'consultation', null] },
    day: { enum: ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', null] },
    hour: { oneOf: [{ type: 'integer', minimum: 8, maximum: 19 }, { type: 'null' }] },
  },
};

const BENCH_SYSTEM =
  'You read what a caller said to a med spa receptionist and answer with JSON only: the intent, the service named (or null), the weekday named (or null), and the hour in 24-hour time (or null).';
const BENCH_PROMPT = "Hi, I'd like to book a HydraFacial next Tuesday, around three in the afternoon if you have anything.";

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Rejects with the LLM's error if any request fails, or with an Error if a value misses the schema. */
export async function measureLlm(llm: Llm, opts: MeasureLlmOptions = {}): Promise<LlmMeasurement> {
  const runs = Math.max(1, opts.runs ?? 3);
  const schema = opts.schema ?? BENCH_SCHEMA;
  const req = {
    system: opts.system ?? BENCH_SYSTEM,
    prompt: opts.prompt ?? BENCH_PROMPT,
    schema,
    maxTokens: opts.maxTokens ?? 96,
    timeoutMs: opts.timeoutMs ?? 60_000,
  };
  await llm.generateJson(req);
  const results = [];
  for (let i = 0; i < runs; i++) {
    const r = await llm.generateJson(req);
    const problems = validateJson(schema, r.value);
    if (problems.length > 0) throw new Error(`${llm.name} answered outside the schema: ${problems.join('; ')}`);
    results.push(r);
  }
  const decodedTokens = results.reduce((n, r) => n + Math.max(0, r.tokens - 1), 0);
  const decodeMs = results.reduce((ms, r) => ms + Math.max(0, r.elapsedMs - r.firstTokenMs), 0);
  return {
    tokensPerSecond: decodeMs > 0 ? (decodedTokens * 1000) / decodeMs : 0,
    firstValidJsonMs: median(results.map((r) => r.elapsedMs)),
    firstTokenMs: median(results.map((r) => r.firstTokenMs)),
    tokens: median(results.map((r) => r.tokens)),
    runs,
  };
}
