import type { EventEmitter } from 'node:events';

// Waits for something a real peer (socket, sipp, another process) makes true: polls `cond`
// every `everyMs` until it holds, and throws naming `what` after `ms`. For work on a fake clock,
// advance the clock instead.
export async function until(cond: () => boolean, what: string, ms = 5000, everyMs = 10): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

/**
 * Waits for I/O already under way (a datagram on loopback, a socket write) to land: checks `cond`
 * after each turn of the event loop and throws naming `what` after `turns` turns. It reads no
 * clock, so it suits tests whose code runs on a FakeClock: advance the clock, then await what the
 * timers sent.
 */
export async function untilDelivered(cond: () => boolean, what: string, turns = 20_000): Promise<void> {
  for (let i = 0; i < turns && !cond(); i++) await new Promise((r) => setImmediate(r));
  if (!cond()) throw new Error(`${what}: not delivered within ${turns} turns of the event loop`);
}

/**
 * Waits on events, not on time: checks `cond` (sync or async) now and again after each `event`
 * from `emitter`, and resolves once it holds. A single guard timer (`ms`) turns a wait that never
 * ends into an error naming `what`; nothing polls.
 */
export function untilEvent(emitter: EventEmitter, event: string, cond: () => boolean | Promise<boolean>, what: string, ms = 20_000): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    let checking = false;
    let again = false;
    let done = false;
    const finish = (err?: Error): void => {
      if (done) return;
      done = true;
      clearTimeout(guard);
      emitter.off(event, onEvent);
      if (err) reject(err);
      else resolve();
    };
    const check = async (): Promise<void> => {
      if (checking) {
        again = true;
        return;
      }
      checking = true;
      try {
        do {
          again = false;
          if (await cond()) return finish();
        } while (again && !done);
      } catch (err) {
        finish(err instanceof Error ? err : new Error(String(err)));
      } finally {
        checking = false;
      }
    };
    const onEvent = (): void => void check();
    const guard = setTimeout(() => finish(new Error(`timed out waiting for ${what}`)), ms);
    emitter.on(event, onEvent);
    void check();
  });
}
