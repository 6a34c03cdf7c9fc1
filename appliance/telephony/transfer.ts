// Blind transfer of an answered call to staff (RFC 3515 REFER, RFC 5589 call transfer):
// the box REFERs the caller to the staff destination, follows the transfer by the NOTIFYs
// (message/sipfrag), and hangs up its leg once the transfer succeeded. When the caller's side
// refuses REFER (many trunks do), the caller of this module falls back to bridging.
import type { IncomingNotifyRequest, Session } from 'sip.js/lib/core/index.js';
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../shared/clock.js';

export type ReferOutcome =
  | { kind: 'transferred' }
  /** REFER itself was refused (status) or timed out: try another way. */
  | { kind: 'refused'; status: number }
  /** REFER was accepted but the transfer target did not answer (sipfrag status). */
  | { kind: 'failed'; status: number };

/** The status line of a message/sipfrag body ("SIP/2.0 180 Ringing" -> 180), or null. Pure. */
export function sipfragStatus(body: string): number | null {
  const m = /^\s*SIP\/2\.0\s+(\d{3})\b/.exec(body);
  return m ? Number(m[1]) : null;
}

/** The staff destination as a SIP URI: an extension or number goes to the PBX the call came from. Pure. */
export function transferUri(target: string, pbx: { host: string; port: number }): string {
  if (/^sips?:/i.test(target)) return target;
  const host = pbx.host.includes(':') ? `[${pbx.host}]` : pbx.host;
  return `sip:${target}@${host}${pbx.port && pbx.port !== 5060 ? `:${pbx.port}` : ''}`;
}

export interface ReferDeps {
  log: Logger;
  clock: Clock;
  /** How long the staff phone may ring before the transfer counts as failed. */
  finalTimeoutMs?: number;
}

/**
 * Sends REFER and follows it. The session's delegate must route NOTIFYs to the returned
 * `onNotify` while the transfer runs (CallManager does).
 */
export function referCall(session: Session, referTo: string, referredBy: string, deps: ReferDeps): { done: Promise<ReferOutcome>; onNotify: (n: IncomingNotifyRequest) => void; onRemoteBye: () => void } {
  let settle!: (o: ReferOutcome) => void;
  const done = new Promise<ReferOutcome>((r) => (settle = r));
  let settled = false;
  let timer: TimerHandle | null = null;
  const finish = (o: ReferOutcome): void => {
    if (settled) return;
    settled = true;
    deps.clock.clearTimeout(timer);
    settle(o);
  };
  timer = deps.clock.setTimeout(() => {
    // Accepted but no final NOTIFY: the far end went quiet. Treat as failed so the caller is not
    // left in silence; the box keeps the call.
    finish({ kind: 'failed', status: 408 });
  }, deps.finalTimeoutMs ?? 40_000);

  try {
    session.refer(
      {
        onAccept: () => deps.log.info('REFER accepted'),
        onReject: (response) => finish({ kind: 'refused', status: response.message.statusCode ?? 500 }),
      },
      { extraHeaders: [`Refer-To: <${referTo}>`, `Referred-By: <${referredBy}>`] },
    );
  } catch (err) {
    deps.log.warn({ err }, 'REFER could not be sent');
    finish({ kind: 'refused', status: 500 });
  }

  const onNotify = (notify: IncomingNotifyRequest): void => {
    notify.accept();
    const status = sipfragStatus(notify.message.body);
    if (status === null || status < 200) return;
    finish(status < 300 ? { kind: 'transferred' } : { kind: 'failed', status });
  };
  // Some transferees hang up their leg as soon as the new call is up, before the final NOTIFY.
  const onRemoteBye = (): void => finish({ kind: 'transferred' });
  return { done, onNotify, onRemoteBye };
}
