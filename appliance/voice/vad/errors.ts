// Typed errors of the VAD engines, with stable codes (see appliance/errors.ts).
import { ApplianceError } from '../../errors.js';

/** The configured VAD model file is not there or not readable (not installed yet, removed, wrong mode). */
export class VadModelMissingError extends ApplianceError {
  constructor(engine: string, path: string) {
    super('SPA_ERR_VAD_MODEL_MISSING', `${engine} VAD model file does not exist`, {
      status: 503,
      details: { engine, path },
    });
  }
}

/** The VAD model file (or the engine runtime) is there but does not load or run: corrupt, wrong model, bad runtime. */
export class VadModelLoadError extends ApplianceError {
  /** `stage`: 'probe' (the model did not load or run in the probe child), 'runtime' (sherpa-onnx itself did not load). */
  constructor(engine: string, path: string, stage: 'probe' | 'runtime', detail: string, cause?: unknown) {
    super('SPA_ERR_VAD_MODEL_LOAD', `${engine} VAD model failed to load (${stage}): ${detail}`, {
      status: 503,
      details: { engine, path, stage, detail },
      cause,
    });
  }
}

/** process() or reset() was called on a VAD that is not started. A programming error, not retryable. */
export class VadNotStartedError extends ApplianceError {
  constructor(engine: string) {
    super('SPA_ERR_VAD_NOT_STARTED', `${engine} VAD is not started`, { status: 500, details: { engine } });
  }
}
