// The VAD role: the interface, its adapters and their errors.
export type { Vad, VadCapabilities, VadFrameResult } from './types.js';
export { EnergyVadAdapter, dbfsToProbability, type EnergyVadAdapterConfig } from './energy.js';
export { SileroSherpaVad, type SileroSherpaVadConfig } from './silero-sherpa.js';
export { VadModelLoadError, VadModelMissingError, VadNotStartedError } from './errors.js';
