// The voice-activity-detection role: one small interface every engine adapter implements, with
// declared capabilities (in the manner of LiveKit agents' STT/VAD capabilities). The call code
// feeds 16 kHz mono frames and reads a per-frame decision; engine quirks (window sizes, model
// loading, native-runtime failure modes) stay inside the adapters.

export interface VadCapabilities {
  /** Frame length the adapter is tuned for, in ms. Other lengths are accepted; decisions may lag by one window. */
  readonly frameMs: number;
  readonly sampleRate: 16000;
  /**
   * 'graded': `probability` comes from the engine per frame (a level or a model score).
   * 'binary': the engine only exposes its speech state, so `probability` is 0 or 1.
   */
  readonly probability: 'graded' | 'binary';
  /** Granularity of decisions in ms: the state changes only at these boundaries (= frameMs when per frame). */
  readonly decisionMs: number;
}

export interface VadFrameResult {
  /** The engine's speech state after this frame (onset and hangover already applied). */
  readonly speech: boolean;
  /** 0..1; see `capabilities.probability` for what it means for this engine. */
  readonly probability: number;
}

export interface Vad {
  readonly name: string;
  readonly capabilities: VadCapabilities;
  /** Loads the engine (may spawn a probe, read a model). Rejects with a typed ApplianceError. */
  start(): Promise<void>;
  /** Releases the engine; process() throws until start() again. */
  stop(): Promise<void>;
  /** Feeds one frame of 16 kHz mono PCM. Synchronous: every engine here runs well under a frame's time. */
  process(frame: Int16Array): VadFrameResult;
  /** Forgets all audio and state (new call, or after the box stops speaking). */
  reset(): void;
}
