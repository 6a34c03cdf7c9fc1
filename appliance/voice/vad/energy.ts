// Energy VAD behind the Vad interface: the fallback when no model is installed. Decisions come from
// EnergyVad (threshold + onset + hangover); the probability is the frame level mapped through a
// logistic curve centred on the threshold, so it is 0.5 at the threshold and ~0 for silence.
import { EnergyVad, frameDbfs, type EnergyVadOptions } from '../energy-vad.js';
import { VadNotStartedError } from './errors.js';
import type { Vad, VadCapabilities, VadFrameResult } from './types.js';

export interface EnergyVadAdapterConfig extends Omit<EnergyVadOptions, 'sampleRate'> {
  /** dB above/below the threshold that moves the probability from 0.5 to ~0.73/~0.27 (logistic scale). */
  probabilitySpreadDb?: number;
}

const DEFAULT_THRESHOLD_DB = -40;
const DEFAULT_SPREAD_DB = 3;

/** Maps a frame level to 0..1: logistic in dB around the threshold; digital silence is 0. */
export function dbfsToProbability(dbfs: number, thresholdDb: number, spreadDb: number): number {
  if (dbfs === Number.NEGATIVE_INFINITY) return 0;
  return 1 / (1 + Math.exp(-(dbfs - thresholdDb) / spreadDb));
}

export class EnergyVadAdapter implements Vad {
  readonly name = 'energy';
  readonly capabilities: VadCapabilities = { frameMs: 20, sampleRate: 16000, probability: 'graded', decisionMs: 20 };
  private readonly config: EnergyVadAdapterConfig;
  private vad: EnergyVad | null = null;

  constructor(deps: { config?: EnergyVadAdapterConfig } = {}) {
    this.config = deps.config ?? {};
  }

  async start(): Promise<void> {
    this.vad = this.create();
  }

  async stop(): Promise<void> {
    this.vad = null;
  }

  process(frame: Int16Array): VadFrameResult {
    const vad = this.started();
    vad.push(frame);
    const probability = dbfsToProbability(
      frameDbfs(frame),
      this.config.thresholdDb ?? DEFAULT_THRESHOLD_DB,
      this.config.probabilitySpreadDb ?? DEFAULT_SPREAD_DB,
    );
    return { speech: vad.isSpeaking, probability };
  }

  reset(): void {
    this.started();
    this.vad = this.create();
  }

  private create(): EnergyVad {
    const { probabilitySpreadDb: _spread, ...opts } = this.config;
    return new EnergyVad({ ...opts, sampleRate: 16000 });
  }

  private started(): EnergyVad {
    if (!this.vad) throw new VadNotStartedError(this.name);
    return this.vad;
  }
}
