// The LLM through node-llama-cpp (llama.cpp's prebuilt CPU binary, see llama-cpp-runtime.ts): one
// GGUF model, one small context with one sequence, one chat session reused by every request with
// its history reset to the request's system text (the KV cache keeps the shared prefix, so a
// repeated system text is not evaluated again). Output is constrained by a grammar made from the
// request's JSON schema. Requests run one at a time; native evaluation is asynchronous (llama.cpp
// threads), so the event loop stays free. Before the first in-process load, the model is loaded
// once in a child process (llama-cpp-probe.ts): a damaged GGUF can hang or kill its loader.
import { execFile } from 'node:child_process';
import { access, constants, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { LlamaChatSession, type GbnfJsonSchema, type Llama, type LlamaContext, type LlamaGrammar, type LlamaModel } from 'node-llama-cpp';
import { ApplianceError } from '../../errors.js';
import type { Logger } from '../../log.js';
import { systemClock, type Clock } from '../../shared/clock.js';
import { ggufHeaderProblem } from './gguf-header.js';
import { toGbnfJsonSchema } from './llama-cpp-schema.js';
import type { ProbeConfig, ProbeReply } from './llama-cpp-probe.js';
import { defaultLlmThreads, openLlamaRuntime } from './llama-cpp-runtime.js';
import { checkSchema, validateJson } from './schema.js';
import {
  LlmFailedError,
  LlmTimeoutError,
  LlmUnavailableError,
  type JsonSchema,
  type Llm,
  type LlmCapabilities,
  type LlmJsonRequest,
  type LlmJsonResult,
} from './types.js';

const ENGINE = 'llama-cpp';
const PROBE = fileURLToPath(new URL('./llama-cpp-probe.js', import.meta.url));
/** Grammars kept per schema text; a receptionist uses a handful of schemas. */
const GRAMMAR_CACHE_SIZE = 32;
/** Model files that passed the probe in this process, with the size:mtime they had then. */
const probedModels = new Map<string, string>();

export interface LlamaCppConfig {
  /** The .gguf file. */
  modelPath: string;
  /** Tokens of context (system + prompt + output); capped at what the model was trained for. Default 2048. */
  contextSize?: number;
  /** Default: defaultLlmThreads() (cores - 1, at most 4). */
  threads?: number;
  /** Prompt tokens evaluated per native call; smaller stops sooner on a timeout. Default 256. */
  batchSize?: number;
  /** Sampling temperature; 0 (greedy) picks the likeliest allowed token, the same answer every time. */
  temperature?: number;
  /** Time allowed for the load probe (child process). Default 60 s. */
  probeTimeoutMs?: number;
}

export interface LlamaCppDeps {
  log: Logger;
  config: LlamaCppConfig;
  /** The timings (monotonic) and each request's time budget. Default the system clock. */
  clock?: Clock;
}

interface Loaded {
  llama: Llama;
  model: LlamaModel;
  context: LlamaContext;
  session: LlamaChatSession;
  grammars: Map<string, Promise<LlamaGrammar>>;
}

export class LlamaCppLlm implements Llm {
  readonly name = ENGINE;
  readonly capabilities: LlmCapabilities = { jsonSchema: true };
  readonly #deps: LlamaCppDeps;
  #loading: Promise<Loaded> | null = null;
  /** Settles when the last queued request has finished in the engine (not merely been answered). */
  #queue: Promise<unknown> = Promise.resolve();
  /** Aborts every request queued or running; replaced on stop(). */
  #stopping = new AbortController();

  /** What the model file calls itself (general.name), once started. */
  modelName: string | null = null;

  constructor(deps: LlamaCppDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    await this.#load();
  }

  async stop(): Promise<void> {
    const loading = this.#loading;
    this.#loading = null; // requests from now on are refused
    this.#stopping.abort(new LlmUnavailableError(ENGINE, 'stopped'));
    this.#stopping = new AbortController();
    await this.#queue; // the request in flight leaves the engine
    const loaded = await loading?.catch(() => null);
    if (!loaded) return;
    for (const g of loaded.grammars.values()) await g.catch(() => undefined);
    loaded.session.dispose({ disposeSequence: true });
    await loaded.context.dispose();
    await loaded.model.dispose();
    await loaded.llama.dispose();
  }

  async generateJson(req: LlmJsonRequest): Promise<LlmJsonResult> {
    const clock = this.#deps.clock ?? systemClock;
    const t0 = clock.monotonic();
    checkSchema(req.schema);
    req.signal?.throwIfAborted();
    if (!this.#loading) throw new LlmUnavailableError(ENGINE, 'not started');

    // One signal for everything that ends this request: the caller, the budget, stop().
    const abort = new AbortController();
    const timer = clock.setTimeout(() => abort.abort(new LlmTimeoutError(ENGINE, req.timeoutMs)), req.timeoutMs);
    const forward = (from: AbortSignal): (() => void) => {
      const onAbort = (): void => abort.abort(from.reason);
      from.addEventListener('abort', onAbort, { once: true });
      return () => from.removeEventListener('abort', onAbort);
    };
    const unforward = [forward(this.#stopping.signal), ...(req.signal ? [forward(req.signal)] : [])];

    const run = async (): Promise<LlmJsonResult> => {
      abort.signal.throwIfAborted(); // budget spent in the queue: never start
      const loading = this.#loading;
      if (!loading) throw new LlmUnavailableError(ENGINE, 'stopped');
      return this.#generate(await loading, req, abort.signal, t0, clock);
    };
    const running = this.#queue.then(run, run);
    this.#queue = running.catch(() => undefined);
    try {
      // The caller hears of a timeout at once; the engine notices the abort after its current native
      // call (one token, or one prompt batch) and the next request waits for that in the queue.
      return await Promise.race([running, rejectOnAbort(abort.signal)]);
    } catch (err) {
      if (abort.signal.aborted) throw abort.signal.reason;
      if (err instanceof ApplianceError) throw err;
      throw new LlmFailedError(ENGINE, 'engine', errorText(err), { cause: err });
    } finally {
      clock.clearTimeout(timer);
      for (const off of unforward) off();
    }
  }

  async #generate(loaded: Loaded, req: LlmJsonRequest, signal: AbortSignal, t0: number, clock: Clock): Promise<LlmJsonResult> {
    const grammar = await this.#grammar(loaded, req.schema);
    loaded.session.setChatHistory([{ type: 'system', text: req.system }]);
    let tokens = 0;
    let firstTokenMs: number | null = null;
    let meta: Awaited<ReturnType<LlamaChatSession['promptWithMeta']>>;
    try {
      meta = await loaded.session.promptWithMeta(req.prompt, {
        grammar,
        maxTokens: req.maxTokens,
        temperature: this.#deps.config.temperature ?? 0,
        signal,
        stopOnAbortSignal: false,
        onToken: (t) => {
          firstTokenMs ??= clock.monotonic() - t0;
          tokens += t.length;
        },
      });
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      throw new LlmFailedError(ENGINE, 'engine', err instanceof Error ? err.message : String(err), { cause: err });
    }
    const text = meta.responseText;
    const details = { tokens, stopReason: meta.stopReason };
    if (meta.stopReason === 'maxTokens') throw new LlmFailedError(ENGINE, 'truncated', `output reached maxTokens ${req.maxTokens}`, { details });
    if (meta.stopReason === 'abort') throw signal.reason;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      throw new LlmFailedError(ENGINE, 'invalid', 'output is not JSON', { details, cause: err });
    }
    const problems = validateJson(req.schema, value);
    if (problems.length > 0) throw new LlmFailedError(ENGINE, 'invalid', 'output does not fit the schema', { details: { ...details, problems } });
    const elapsedMs = clock.monotonic() - t0;
    return { value, tokens, firstTokenMs: firstTokenMs ?? elapsedMs, elapsedMs };
  }

  #grammar(loaded: Loaded, schema: JsonSchema): Promise<LlamaGrammar> {
    const key = JSON.stringify(schema);
    let grammar = loaded.grammars.get(key);
    if (!grammar) {
      grammar = loaded.llama.createGrammarForJsonSchema<GbnfJsonSchema>(toGbnfJsonSchema(schema));
      grammar.catch(() => loaded.grammars.delete(key));
      if (loaded.grammars.size >= GRAMMAR_CACHE_SIZE) loaded.grammars.delete(loaded.grammars.keys().next().value as string);
      loaded.grammars.set(key, grammar);
    }
    return grammar;
  }

  #load(): Promise<Loaded> {
    this.#loading ??= this.#create().catch((err: unknown) => {
      this.#loading = null;
      throw err;
    });
    return this.#loading;
  }

  async #create(): Promise<Loaded> {
    const { config, log } = this.#deps;
    const path = config.modelPath;
    const threads = config.threads ?? defaultLlmThreads();
    const contextSize = config.contextSize ?? 2048;
    try {
      await access(path, constants.R_OK);
    } catch (err) {
      throw new LlmUnavailableError(ENGINE, `no model file ${basename(path)}`, { details: { path }, cause: err });
    }
    const problem = await ggufHeaderProblem(path);
    if (problem) throw new LlmUnavailableError(ENGINE, `model ${basename(path)} failed to load (${problem})`, { details: { path } });
    const info = await stat(path);
    const stamp = `${info.size}:${info.mtimeMs}`;
    if (probedModels.get(path) !== stamp) {
      const reply = await this.#probe({ modelPath: path, contextSize, threads });
      probedModels.set(path, stamp);
      log.debug({ path, trainContextSize: reply.trainContextSize }, 'LLM model passed its load probe');
    }

    let llama: Llama;
    try {
      llama = await openLlamaRuntime({ threads, logger: (level, message) => log[level]({ engine: ENGINE }, `llama.cpp: ${message}`) });
    } catch (err) {
      throw new LlmUnavailableError(ENGINE, `no usable llama.cpp binary (${errorText(err)})`, { cause: err });
    }
    let model: LlamaModel | null = null;
    try {
      model = await llama.loadModel({ modelPath: path, gpuLayers: 0 });
      const size = Math.min(contextSize, model.trainContextSize);
      const context = await model.createContext({ contextSize: size, sequences: 1, threads, batchSize: Math.min(config.batchSize ?? 256, size) });
      const session = new LlamaChatSession({ contextSequence: context.getSequence(), autoDisposeSequence: false });
      const name = model.fileInfo.metadata.general.name;
      this.modelName = typeof name === 'string' ? name : null;
      return { llama, model, context, session, grammars: new Map() };
    } catch (err) {
      await model?.dispose().catch(() => undefined);
      await llama.dispose().catch(() => undefined);
      throw new LlmUnavailableError(ENGINE, `model ${basename(path)} failed to load (${errorText(err)})`, { details: { path }, cause: err });
    }
  }

  /** Loads the model once in a child process, under a time limit. */
  #probe(probe: ProbeConfig): Promise<ProbeReply> {
    const path = probe.modelPath;
    return new Promise((resolve, reject) => {
      execFile(
        process.execPath,
        [PROBE, JSON.stringify(probe)],
        { timeout: this.#deps.config.probeTimeoutMs ?? 60_000, killSignal: 'SIGKILL', maxBuffer: 1024 * 1024 },
        (err, stdout, stderr) => {
          const last = stdout.trim().split('\n').at(-1) ?? '';
          if (!err && last.startsWith('{')) {
            resolve(JSON.parse(last) as ProbeReply);
            return;
          }
          const why = err?.killed ? `load probe killed after ${this.#deps.config.probeTimeoutMs ?? 60_000} ms` : lastLines(stderr) || (err ? err.message : 'no output');
          reject(new LlmUnavailableError(ENGINE, `model ${basename(path)} failed to load (${why})`, { details: { path }, cause: err ?? undefined }));
        },
      );
    });
  }
}

/** Rejects with the signal's reason when it aborts (an Error: ours, or the caller's, by default a DOMException). */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = (): void => reject(signal.reason as Error);
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The last lines of a child's stderr that say something, without stack frames. */
function lastLines(stderr: string): string {
  return stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at '))
    .slice(-3)
    .join(' | ');
}
