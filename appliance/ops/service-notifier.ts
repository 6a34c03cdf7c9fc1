// Telling systemd how the daemon is (sd_notify): READY=1 once started, WATCHDOG=1 while healthy,
// STATUS= in words, STOPPING=1 on the way down. Node cannot send on a unix datagram socket, so
// this runs systemd's own `systemd-notify` (package systemd, on every box that runs the unit): the
// unit says NotifyAccess=all so a message from the daemon's child is accepted, and systemd-notify
// (systemd >= 246) waits on a barrier until systemd has read the message, so the child exiting
// first cannot lose it. A native npm addon would save the process spawn (a few ms every ten
// seconds) at the cost of a compiled dependency on every architecture; not worth it here.
import { execFile } from 'node:child_process';

export interface ServiceNotifier {
  /** Sends `VAR=value` assignments (READY=1, WATCHDOG=1, STATUS=...); rejects when the service manager did not take them. */
  notify(assignments: readonly string[]): Promise<void>;
}

/** The notifier for a daemon under systemd (NOTIFY_SOCKET set), or null when not run by systemd. */
export function systemdNotifier(env: NodeJS.ProcessEnv, command = 'systemd-notify'): ServiceNotifier | null {
  const socket = env.NOTIFY_SOCKET;
  if (!socket) return null;
  return {
    notify: (assignments) =>
      new Promise<void>((resolve, reject) => {
        execFile(command, [...assignments], { env: { PATH: env.PATH ?? '/usr/bin:/bin', NOTIFY_SOCKET: socket }, timeout: 10_000 }, (err, _stdout, stderr) => {
          if (err) reject(new Error(`systemd-notify ${assignments.join(' ')} failed: ${stderr.trim() || err.message}`));
          else resolve();
        });
      }),
  };
}

/** How often to ping for the watchdog systemd set (WATCHDOG_USEC, for this process), or null: no watchdog. */
export function watchdogPeriodMs(env: NodeJS.ProcessEnv, pid: number): number | null {
  const usec = Number(env.WATCHDOG_USEC);
  if (!Number.isFinite(usec) || usec <= 0) return null;
  if (env.WATCHDOG_PID && Number(env.WATCHDOG_PID) !== pid) return null;
  // Three pings per window: one late or skipped ping does not kill a healthy daemon.
  return Math.max(500, Math.floor(usec / 1000 / 3));
}
