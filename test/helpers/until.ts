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
