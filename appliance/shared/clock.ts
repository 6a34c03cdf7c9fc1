// Time for every layer: the wall clock (timestamps, bookings, sessions), a monotonic clock
// (durations, media pacing, timeouts) and timers, behind one small interface, so that any module
// can run on fake time in tests (shared/fake-clock.ts). Nothing here is read at module load.
import { performance } from 'node:perf_hooks';

/** Opaque: whatever the clock's setTimeout / setInterval returned. */
export type TimerHandle = object;

export interface TimerOptions {
  /** The timer does not keep the process alive (a daily check, a watchdog). */
  unref?: boolean;
}

export interface Clock {
  /** Wall clock: milliseconds since the Unix epoch. May jump (NTP); use for timestamps only. */
  now(): number;
  /** Monotonic milliseconds, fractional, from an arbitrary origin: for durations and deadlines. */
  monotonic(): number;
  setTimeout(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle;
  setInterval(fn: () => void, ms: number, opts?: TimerOptions): TimerHandle;
  /** Cancels a timeout or an interval; null, undefined and spent handles are ignored. */
  clearTimeout(handle: TimerHandle | null | undefined): void;
  /** Same as clearTimeout (either clears either). */
  clearInterval(handle: TimerHandle | null | undefined): void;
}

/** The real clock. Globals are looked up at call time (so node:test's mock.timers still applies). */
export const systemClock: Clock = {
  now: () => Date.now(),
  monotonic: () => performance.now(),
  setTimeout: (fn, ms, opts) => {
    const t = setTimeout(fn, ms);
    if (opts?.unref) t.unref();
    return t;
  },
  setInterval: (fn, ms, opts) => {
    const t = setInterval(fn, ms);
    if (opts?.unref) t.unref();
    return t;
  },
  clearTimeout: (handle) => {
    if (handle) clearTimeout(handle as NodeJS.Timeout);
  },
  clearInterval: (handle) => {
    if (handle) clearInterval(handle as NodeJS.Timeout);
  },
};

/** Resolves after `ms` of the clock's time; rejects with the signal's reason if it aborts first. */
export function delay(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const reason = (): Error => (signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal?.aborted) {
      reject(reason());
      return;
    }
    const onAbort = (): void => {
      clock.clearTimeout(timer);
      reject(reason());
    };
    const timer = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Races `work` against the clock: resolves `onTimeout()` if `ms` pass first (the timer is always cleared). */
export async function withTimeout<T>(clock: Clock, work: Promise<T>, ms: number, onTimeout: () => T): Promise<T> {
  let timer: TimerHandle | undefined;
  const timedOut = new Promise<T>((resolve) => {
    timer = clock.setTimeout(() => resolve(onTimeout()), ms);
  });
  try {
    return await Promise.race([work, timedOut]);
  } finally {
    clock.clearTimeout(timer);
  }
}
