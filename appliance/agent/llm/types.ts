// The local language-model interface (in the manner of LiveKit's `LLM`, cut down to what the
// receptionist needs): one call that turns a system text and a prompt into a JSON value shaped by
// a schema. Grammar-constrained decoding makes the output parse and fit the schema; the caller
// still validates it (booking truth lives in booking/, and a small model can pick a wrong but
// well-formed value). Every failure is a rejection with a typed error, so the caller can fall
// back to the rule-based understanding on any of them.
import { ApplianceError } from '../../errors.js';

type JsonScalar = string | number | boolean | null;

/**
 * The JSON-schema subset the LLM is asked to fill. Every part is bounded, so that a small model
 * cannot wander: strings are an enum or have `maxLength`, integers have `minimum` and `maximum`
 * (at most MAX_INTEGER_SPAN values apart), arrays have `maxItems`. There is no unbounded number.
 *
 * Objects: every property is always present in the output (the grammar cannot leave keys out) and
 * no others are allowed; say "not mentioned" with null in an enum (`{ enum: ['botox', null] }`) or a
 * `oneOf` with `{ type: 'null' }`. `description`s are not shown to the model: put guidance in the prompt.
 */
export type JsonSchema =
  | { readonly type: 'object'; readonly properties: { readonly [key: string]: JsonSchema }; readonly description?: string }
  | { readonly type: 'array'; readonly items: JsonSchema; readonly maxItems: number; readonly minItems?: number; readonly description?: string }
  | { readonly type: 'string'; readonly enum: readonly string[]; readonly description?: string }
  | { readonly type: 'string'; readonly maxLength: number; readonly minLength?: number; readonly description?: string }
  | { readonly type: 'integer'; readonly minimum: number; readonly maximum: number; readonly description?: string }
  | { readonly type: 'boolean'; readonly description?: string }
  | { readonly type: 'null'; readonly description?: string }
  | { readonly enum: readonly JsonScalar[]; readonly description?: string }
  | { readonly const: JsonScalar; readonly description?: string }
  | { readonly oneOf: readonly JsonSchema[]; readonly description?: string };

/** Widest integer range a schema may ask for (the grammar lists the values). */
export const MAX_INTEGER_SPAN = 512;

export interface LlmJsonRequest {
  /** Instructions (role, output rules); the same text across calls lets the engine reuse its cache. */
  system: string;
  /** This turn's input: the caller's words and the context the model needs. Personal data: never log it. */
  prompt: string;
  schema: JsonSchema;
  /** Cap on generated tokens; reaching it before the JSON closes is an LlmFailedError. */
  maxTokens: number;
  /**
   * Hard budget from the call (time queued behind other requests included). When it passes,
   * generation is stopped and the call rejects with LlmTimeoutError.
   */
  timeoutMs: number;
  /** Aborting stops generation; the call rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface LlmJsonResult {
  /** Parsed JSON that fitted the schema when the engine produced it; the caller validates it for its own purposes. */
  value: unknown;
  /** Tokens generated (the prompt not counted). */
  tokens: number;
  /** From the call to the first generated token (queueing and prompt evaluation included). */
  firstTokenMs: number;
  /** From the call to the result. */
  elapsedMs: number;
}

export interface LlmCapabilities {
  /** Output is constrained to the request's JSON schema while it is generated. */
  jsonSchema: true;
}

export interface Llm {
  readonly name: string;
  readonly capabilities: LlmCapabilities;
  /** Loads the model. Rejects with LlmUnavailableError when the runtime or the model cannot be loaded. */
  start(): Promise<void>;
  /** Stops generation in flight (its caller gets a rejection) and releases the model. */
  stop(): Promise<void>;
  /** One request at a time: concurrent calls queue. */
  generateJson(req: LlmJsonRequest): Promise<LlmJsonResult>;
}

/** The runtime or the model is missing, corrupt or not started. Not retryable until something is installed or started. */
export class LlmUnavailableError extends ApplianceError {
  constructor(engine: string, why: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('SPA_ERR_LLM_UNAVAILABLE', `LLM ${engine} is unavailable: ${why}`, {
      status: 503,
      details: { engine, ...opts.details },
      cause: opts.cause,
    });
  }
}

/** The model ran and gave nothing usable (JSON cut off at maxTokens, unparsable, outside the schema, engine error). */
export class LlmFailedError extends ApplianceError {
  /** `why` is a stable word: truncated, invalid, engine. */
  constructor(engine: string, why: 'truncated' | 'invalid' | 'engine', message: string, opts: { details?: Record<string, unknown>; cause?: unknown } = {}) {
    super('SPA_ERR_LLM_FAILED', `LLM ${engine} failed: ${message}`, {
      status: 502,
      retryable: why === 'engine',
      details: { engine, why, ...opts.details },
      cause: opts.cause,
    });
  }
}

/** The time budget passed; generation was stopped. */
export class LlmTimeoutError extends ApplianceError {
  constructor(engine: string, timeoutMs: number) {
    super('SPA_ERR_LLM_TIMEOUT', `LLM ${engine} gave no result within ${timeoutMs} ms`, {
      status: 504,
      retryable: true,
      details: { engine, timeoutMs },
    });
  }
}

/** The request's schema is outside the supported subset (unbounded, unknown keyword). A bug in the caller. */
export class LlmSchemaError extends ApplianceError {
  constructor(message: string, path: string) {
    super('SPA_ERR_LLM_SCHEMA', `unsupported LLM schema at ${path || '(root)'}: ${message}`, { status: 500, details: { path } });
  }
}
