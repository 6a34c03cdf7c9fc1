// Opens node-llama-cpp's native runtime the one way the appliance allows: the prebuilt CPU binary
// that npm installed as an optional package (@node-llama-cpp/linux-x64, linux-arm64). Never builds
// from source, never downloads llama.cpp sources or binaries: with no usable prebuilt binary it
// rejects (NoBinaryFoundError) and the receptionist runs on rules. node-llama-cpp's postinstall is
// denied in package.json's allowScripts, so nothing is fetched at install time either.
import { availableParallelism } from 'node:os';
import { getLlama, LlamaLogLevel, type Llama } from 'node-llama-cpp';

export interface LlamaRuntimeOptions {
  /** CPU threads for inference (the cap across everything this runtime evaluates). */
  threads: number;
  /** Receives llama.cpp's own log lines (warnings and errors only). */
  logger: (level: 'error' | 'warn' | 'info', message: string) => void;
}

/**
 * Threads to use when the config says nothing: leave a core for the event loop, RTP pacing and
 * speech engines, and stop at 4 (a 0.5-1B model gains little past that on a Pi 5).
 */
export function defaultLlmThreads(cores = availableParallelism()): number {
  return Math.max(1, Math.min(4, cores - 1));
}

export async function openLlamaRuntime(opts: LlamaRuntimeOptions): Promise<Llama> {
  return getLlama({
    gpu: false,
    build: 'never',
    usePrebuiltBinaries: true,
    skipDownload: true,
    progressLogs: false,
    maxThreads: opts.threads,
    logLevel: LlamaLogLevel.warn,
    logger: (level, message) => {
      const text = message.trimEnd();
      if (!text) return;
      switch (level) {
        case LlamaLogLevel.fatal:
        case LlamaLogLevel.error:
          opts.logger('error', text);
          return;
        case LlamaLogLevel.warn:
          opts.logger('warn', text);
          return;
        case LlamaLogLevel.disabled:
        case LlamaLogLevel.info:
        case LlamaLogLevel.log:
        case LlamaLogLevel.debug:
          opts.logger('info', text);
          return;
      }
    },
  });
}
