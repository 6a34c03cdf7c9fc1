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
