// Child-process entry that loads a GGUF through node-llama-cpp exactly as LlamaCppLlm does, makes
// a context, and prints one JSON line. A damaged GGUF can make the loader hang (a huge tensor count
// in the header) or kill its process, so LlamaCppLlm runs this first, under a time limit, and turns
// either into a typed error instead of losing the daemon.
// Usage: node llama-cpp-probe.js '<ProbeConfig as JSON>'
import { openLlamaRuntime } from './llama-cpp-runtime.js';

export interface ProbeConfig {
  modelPath: string;
  contextSize: number;
  threads: number;
}

export interface ProbeReply {
  ok: true;
  trainContextSize: number;
  /** The GGUF's general.name, if any. */
  modelName: string | null;
}

const config = JSON.parse(process.argv[2] ?? '') as ProbeConfig;
const llama = await openLlamaRuntime({ threads: config.threads, logger: (level, message) => process.stderr.write(`${level}: ${message}\n`) });
const model = await llama.loadModel({ modelPath: config.modelPath, gpuLayers: 0 });
const context = await model.createContext({ contextSize: Math.min(config.contextSize, model.trainContextSize), sequences: 1, threads: config.threads });
model.tokenize('{"ok": true}');
const name = model.fileInfo.metadata.general.name;
const reply: ProbeReply = { ok: true, trainContextSize: model.trainContextSize, modelName: typeof name === 'string' ? name : null };
await context.dispose();
await model.dispose();
await llama.dispose();
process.stdout.write(`${JSON.stringify(reply)}\n`);
