// Time for the media layer, injected so that tests can drive it: a monotonic clock for pacing and
// timeouts, a wall clock for RTCP's NTP timestamps, and timers.
import { performance } from 'node:perf_hooks';

/** Opaque: whatever the clock's setTimeout returned. */
export type TimerHandle = object;

export interface MediaClock {
  /** Monotonic milliseconds, fractional. */
  now(): number;
  /** Unix epoch milliseconds. */
  wallNow(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
}

export const systemClock: MediaClock = {
  now: () => performance.now(),
  wallNow: () => Date.now(),
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};
