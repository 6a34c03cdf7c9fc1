// Time for the transport: a clock and one-shot timers behind a small interface, so the RFC 3261
// timers (A, E, G, H, ...) can be driven by a fake in tests. Nothing here is read at module load.

/** An opaque handle returned by `setTimeout`. */
export type TimerHandle = object;

export interface TimerScheduler {
  /** Milliseconds on a monotonic-enough clock; only differences are used. */
  now(): number;
  setTimeout(callback: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

/** The real clock and timers. Globals are looked up at call time (so node:test's mock.timers applies). */
export const systemScheduler: TimerScheduler = {
  now: () => Date.now(),
  setTimeout: (callback, ms) => setTimeout(callback, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
