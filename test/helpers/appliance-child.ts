// The child side of startApplianceProcess (appliance-process.ts): starts one appliance with the
// options given as JSON in argv[2], reports where it listens, and stops it when the parent says so
// or goes away. Its log lines (when the settings ask for any) go to stdout, which the parent reads.
import { openingHoursClock, startAppliance, type RunningAppliance } from './appliance.js';
import type { ApplianceProcessOptions, ChildMessage, ParentMessage } from './appliance-process.js';

const opts = JSON.parse(process.argv[2] ?? '{}') as ApplianceProcessOptions;

function send(msg: ChildMessage): void {
  if (process.connected) process.send?.(msg);
}

let box: RunningAppliance | null = null;
let stopping: Promise<void> | null = null;

function stop(): Promise<void> {
  stopping ??= (async () => {
    await box?.stop();
    send({ type: 'stopped' });
    if (process.connected) process.disconnect();
    // Everything is closed by now; should a stray handle remain, it does not keep the process.
    setTimeout(() => process.exit(0), 2000).unref();
  })();
  return stopping;
}

process.on('message', (msg: ParentMessage) => {
  if (msg.type === 'stop') void stop();
});
process.on('disconnect', () => void stop());

try {
  box = await startAppliance(opts.env ?? {}, opts.config, undefined, opts.openingHours ? { clock: openingHoursClock() } : {});
  send({ type: 'ready', url: box.url, sipTarget: box.sipTarget, dataDir: box.dataDir });
} catch (err) {
  send({ type: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  process.exitCode = 1;
  if (process.connected) process.disconnect();
}
