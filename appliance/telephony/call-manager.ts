// Incoming calls, from INVITE to the end: ring while staff may answer, take the call over when
// the ring timer fires, and record what became of it. SIP mechanics (transactions, dialogs,
// retransmissions) are SIP.js's and the transport's; this file holds the appliance's policy.
import { EventEmitter } from 'node:events';
import type { IncomingInviteRequest, IncomingRequestMessage, Session } from 'sip.js/lib/core/index.js';
import { withTimeout, type Clock, type TimerHandle } from '../shared/clock.js';
import type { Logger } from '../log.js';
import { callerIdentity, type CallerIdentity } from './caller-id.js';
import type { CallLog, CallOutcome } from './call-log.js';
import { SdpNotAcceptable, type CallMedia, type CallMediaFactory } from './call-media.js';
import { InviteLimiter, type InviteLimitSettings } from './invite-limit.js';
import { referCall, transferUri } from './transfer.js';

/** Failed call-log updates kept for a retry; beyond this, older calls are closed at the next start. */
const MAX_UNWRITTEN = 256;

/** A call the appliance has answered, handed to the conversation (the receptionist). */
export interface ActiveCall {
  readonly id: number;
  readonly caller: CallerIdentity;
  readonly media: CallMedia;
  /** Resolves when the call has ended, whoever hung up. */
  readonly ended: Promise<void>;
  /** The box hangs up (sends BYE). */
  hangup(reason: string): void;
  /**
   * Blind-transfers the caller to the staff destination (REFER; bridging when REFER is refused).
   * Resolves true when the caller reached staff (the box's leg is then over), false when the
   * transfer is not configured or failed (the caller is still with the box).
   */
  transfer(): Promise<boolean>;
}

/** Bridges the caller to a destination the box dials itself (the REFER fallback). */
export interface TransferBridge {
  /** Resolves true once the caller is connected to `target` through the box; the bridge ends with either side. */
  bridge(call: { id: number; media: CallMedia; ended: Promise<void>; hangup(reason: string): void }, target: string): Promise<boolean>;
}

export interface CallHandler {
  handle(call: ActiveCall): void | Promise<void>;
}

export interface CallManagerEvents {
  /** Rang out without anyone answering: the text-back candidate. */
  missed: [call: { id: number; caller: CallerIdentity }];
  answered: [call: { id: number; caller: CallerIdentity }];
  ended: [call: { id: number; outcome: CallOutcome; reason: string }];
  /** After `ended`: the call's media is stopped, its recording closed and its BYE (if ours) answered or given up. */
  closed: [call: { id: number }];
  /** A key the caller pressed (RFC 4733) on an answered call. */
  dtmf: [event: { id: number; digit: string }];
}

export interface CallManagerDeps {
  /** The call log's times, the ring timer, the transfer's time limit and the stop grace. */
  clock: Clock;
  log: Logger;
  calls: CallLog;
  media: CallMediaFactory;
  handler: CallHandler;
  settings: { ringTimeoutS: number; maxCalls: number; record: boolean; transferTo: string | null };
  /** Per-source limits (invite-limit.ts); default: all lines but one per source, 20 new INVITEs a minute, no trunk networks. */
  perSource?: Omit<InviteLimitSettings, 'maxCalls'>;
  /** Sources known at run time to be trunks (the registrar). */
  isTrunk?: (address: string) => boolean;
  bridge?: TransferBridge;
  /** How long stop() waits for calls to end their media (BYE answered, recordings closed). Default 5000 ms. */
  stopGraceMs?: number;
}

export interface CallManagerStats {
  /** INVITEs refused with 486 because their source held its share of the lines. */
  refusedSourceCalls: number;
  /** INVITEs refused with 486 + Retry-After because their source sent new INVITEs too fast. */
  refusedSourceRate: number;
  /** INVITEs refused with 486 because every line was busy. */
  refusedBusy: number;
}

interface Ringing {
  callId: number;
  timer: TimerHandle | undefined;
  request: IncomingInviteRequest;
  source: { address: string; port: number };
}

/** `Reason: SIP;cause=200;text="Call completed elsewhere"` (RFC 3326): staff picked up. */
export function answeredElsewhere(cancel: IncomingRequestMessage): boolean {
  return cancel.getHeaders('reason').some((r) => /^\s*SIP\s*;(.*;)?\s*cause\s*=\s*200\b/i.test(r));
}

export class CallManager extends EventEmitter<CallManagerEvents> {
  private readonly ringing = new Map<number, Ringing>();
  private readonly active = new Map<number, { hangup: (reason: string) => void; source: string; transfer?: () => Promise<boolean> }>();
  /** Calls ended whose BYE or media stop (recording close) is still under way. */
  private readonly closing = new Set<Promise<unknown>>();
  /** Call-log updates that failed (disk full, read-only, busy), retried in order at the next INVITE and at stop. */
  private readonly unwritten: { what: string; write: () => void }[] = [];
  private stopping = false;
  private readonly limiter: InviteLimiter;
  /** Refusals logged in the current minute (per-source refusals are logged sparingly). */
  private refusalLog = { minute: -1, lines: 0 };
  readonly stats: CallManagerStats = { refusedSourceCalls: 0, refusedSourceRate: 0, refusedBusy: 0 };

  constructor(private readonly deps: CallManagerDeps) {
    super();
    this.limiter = new InviteLimiter({
      clock: deps.clock,
      settings: { maxCalls: deps.settings.maxCalls, ...(deps.perSource ?? { maxCallsPerSource: null, invitesPerMinute: 20, trunkNetworks: [] }) },
      ...(deps.isTrunk ? { isTrunk: deps.isTrunk } : {}),
    });
  }

  /**
   * Staff's hands on a call the box is talking on (the Live page): end it, or transfer the caller
   * to the staff destination. null when the call is not in progress here.
   */
  control(id: number): { hangup: (reason: string) => void; transfer: () => Promise<boolean> } | null {
    const a = this.active.get(id);
    if (!a) return null;
    return { hangup: a.hangup, transfer: a.transfer ?? (() => Promise.resolve(false)) };
  }

  /** Calls the box is talking on now. */
  get activeCount(): number {
    return this.active.size;
  }

  get ringingCount(): number {
    return this.ringing.size;
  }

  /** Calls (ringing or answered) whose INVITE came from `address`. */
  callsFrom(address: string): number {
    let n = 0;
    for (const r of this.ringing.values()) if (r.source.address === address) n++;
    for (const a of this.active.values()) if (a.source === address) n++;
    return n;
  }

  /** Calls whose BYE or media stop is still under way. */
  get closingCount(): number {
    return this.closing.size;
  }

  /**
   * An INVITE that passed the network allow-list. Errors stay inside: a call log that cannot be
   * written answers 503 (the phone system tries elsewhere); nothing here throws to SIP.js.
   */
  handleInvite(request: IncomingInviteRequest, source: { address: string; port: number }): void {
    const msg = request.message;
    const now = this.deps.clock.now();
    const caller = callerIdentity({
      pAssertedIdentity: msg.getHeaders('p-asserted-identity'),
      remotePartyId: msg.getHeaders('remote-party-id'),
      from: msg.getHeader('from') ?? '',
      privacy: msg.getHeader('privacy') ?? '',
    });
    const entry = { sipCallId: msg.callId, caller, called: msg.ruri?.toString() ?? '', sourceAddress: `${source.address}:${source.port}`, at: now };
    const log = this.deps.log.child({ sipCallId: msg.callId, pii: { caller: caller.phone ?? caller.raw } });

    if (this.stopping) {
      this.reject(request, 503, log, ['Retry-After: 30']);
      return;
    }
    // Per-source limits first: a flood is refused with no call-log row and no missed-call text
    // (its From is whatever the sender wrote), and never reaches the all-lines check below.
    const verdict = this.limiter.check(source.address, this.callsFrom(source.address));
    if (!verdict.ok) {
      if (verdict.reason === 'source-calls') {
        this.stats.refusedSourceCalls++;
        request.reject({ statusCode: 486 });
      } else {
        this.stats.refusedSourceRate++;
        request.reject({ statusCode: 486, extraHeaders: [`Retry-After: ${verdict.retryAfterS}`] });
      }
      if (this.mayLogRefusal(now)) this.deps.log.warn({ source: source.address, reason: verdict.reason }, 'INVITE refused: per-source limit (486)');
      return;
    }
    if (this.active.size + this.ringing.size >= this.deps.settings.maxCalls) {
      this.stats.refusedBusy++;
      let id: number | null = null;
      this.record(log, 'log the refused call', false, () => (id = this.deps.calls.refused(entry, 'rejected-busy', 'all AI lines busy')));
      this.reject(request, 486, log);
      log.warn({ callId: id, max: this.deps.settings.maxCalls }, 'all AI lines busy: 486');
      if (id !== null) this.notify(log, 'missed', { id, caller });
      return;
    }
    if (!msg.body || !/application\/sdp/i.test(msg.getHeader('content-type') ?? '')) {
      // Offerless INVITEs (offer in our 200, answer in the ACK) are not supported yet.
      let id: number | null = null;
      this.record(log, 'log the refused call', false, () => (id = this.deps.calls.refused(entry, 'failed', 'INVITE without an SDP offer')));
      this.reject(request, 488, log, ['Warning: 399 spa-receptionist "an SDP offer is required"']);
      log.warn({ callId: id }, 'INVITE without SDP offer: 488');
      return;
    }

    this.retryUnwritten(log);
    let callId: number;
    try {
      callId = this.deps.calls.invited(entry);
    } catch (err) {
      // Without its row the call could not be followed, booked into or summarised.
      log.error({ err }, 'call log cannot be written: 503 so the phone system tries elsewhere');
      this.reject(request, 503, log, ['Retry-After: 30']);
      return;
    }
    const ring: Ringing = { callId, request, timer: undefined, source };
    this.ringing.set(callId, ring);
    request.delegate = {
      onCancel: (cancel) => {
        if (!this.ringing.delete(callId)) return;
        this.deps.clock.clearTimeout(ring.timer);
        this.reject(request, 487, log);
        const elsewhere = answeredElsewhere(cancel);
        const outcome: CallOutcome = elsewhere ? 'answered-elsewhere' : 'missed';
        this.closeRow(log, callId, outcome, elsewhere ? 'answered by staff' : 'caller hung up while ringing');
        log.info({ callId, outcome }, elsewhere ? 'answered elsewhere' : 'missed call');
        if (!elsewhere) this.notify(log, 'missed', { id: callId, caller });
        this.notify(log, 'ended', { id: callId, outcome, reason: 'cancelled' });
      },
    };
    try {
      request.trying();
      request.progress({ statusCode: 180 });
    } catch (err) {
      this.ringing.delete(callId);
      log.error({ err, callId }, 'could not send 180 Ringing');
      this.closeRow(log, callId, 'failed', 'could not send 180 Ringing', now);
      return;
    }
    log.info({ callId, ringTimeoutS: this.deps.settings.ringTimeoutS }, 'incoming call ringing');

    ring.timer = this.deps.clock.setTimeout(() => {
      this.takeOver(ring, caller, log).catch((err: unknown) => this.takeOverFailed(ring, log, err));
    }, this.deps.settings.ringTimeoutS * 1000);
  }

  /** Something in the take-over threw before the call was answered: refuse it and go on. */
  private takeOverFailed(ring: Ringing, log: Logger, err: unknown): void {
    log.error({ err, callId: ring.callId }, 'could not take the call over');
    if (!this.ringing.delete(ring.callId)) return;
    this.reject(ring.request, 500, log);
    this.closeRow(log, ring.callId, 'failed', 'internal error while answering');
    this.notify(log, 'ended', { id: ring.callId, outcome: 'failed', reason: 'internal error' });
  }

  /** The ring timer fired: answer with our SDP and hand the call to the conversation. */
  private async takeOver(ring: Ringing, caller: CallerIdentity, log: Logger): Promise<void> {
    const { callId, request } = ring;
    if (!this.ringing.has(callId)) return;
    let media: CallMedia;
    try {
      media = await this.deps.media.create(request.message.body, { callId, record: this.deps.settings.record, signalingAddress: ring.source.address });
    } catch (err) {
      if (!this.ringing.delete(callId)) return;
      const notAcceptable = err instanceof SdpNotAcceptable;
      this.reject(request, notAcceptable ? 488 : 500, log);
      this.closeRow(log, callId, 'failed', notAcceptable ? 'no common codec' : 'media setup failed');
      log.error({ callId, err }, 'could not answer');
      this.notify(log, 'ended', { id: callId, outcome: 'failed', reason: 'media' });
      return;
    }
    // CANCEL (or stop) may have arrived while the media was being set up.
    if (!this.ringing.delete(callId)) {
      await this.stopMedia(media, log, callId);
      return;
    }

    let session: Session;
    try {
      const response = request.accept({
        statusCode: 200,
        body: { contentDisposition: 'session', contentType: 'application/sdp', content: media.answerSdp },
      });
      session = response.session;
    } catch (err) {
      await this.stopMedia(media, log, callId);
      this.closeRow(log, callId, 'failed', 'could not send 200 OK');
      log.error({ callId, err }, 'accept failed');
      this.notify(log, 'ended', { id: callId, outcome: 'failed', reason: 'accept failed' });
      return;
    }
    const answeredAt = this.deps.clock.now();
    const codec = media.codec;
    this.record(log, 'mark the call answered', true, () => this.deps.calls.answered(callId, answeredAt, codec));
    log.info({ callId, codec: media.codec }, 'call taken over');
    this.notify(log, 'answered', { id: callId, caller });

    let resolveEnded!: () => void;
    const ended = new Promise<void>((r) => (resolveEnded = r));
    let over = false;
    let bridgedOutcome: CallOutcome | null = null;
    let byeDone: Promise<void> = Promise.resolve();
    // Never throws: it runs from SIP, RTP and timer callbacks.
    const end = (outcome: CallOutcome, reason: string): void => {
      if (over) return;
      over = true;
      this.active.delete(callId);
      this.closeRow(log, callId, outcome, reason);
      try {
        media.clear();
      } catch (err) {
        log.warn({ err, callId }, 'could not stop playback');
      }
      const closed = Promise.allSettled([this.stopMedia(media, log, callId), byeDone]);
      this.closing.add(closed);
      void closed.then(() => {
        this.closing.delete(closed);
        this.notify(log, 'closed', { id: callId });
      });
      log.info({ callId, outcome, reason }, 'call ended');
      this.notify(log, 'ended', { id: callId, outcome, reason });
      resolveEnded();
    };
    // RFC 3261 §15: no BYE before our 200 OK is ACKed (or its transaction timed out); a hangup
    // before that (stop, RTP timeout) sends its BYE as soon as it may.
    let mayBye = false;
    let deferredBye: (() => void) | null = null;
    const hangup = (reason: string): void => {
      if (over) return;
      if (mayBye) byeDone = this.sendBye(session, log, callId);
      else {
        byeDone = new Promise<void>((resolve) => {
          deferredBye = () => {
            deferredBye = null;
            void this.sendBye(session, log, callId).then(resolve);
          };
        });
      }
      end(bridgedOutcome ?? 'ai-handled', reason);
    };
    const byeAllowed = (): void => {
      mayBye = true;
      deferredBye?.();
    };
    this.active.set(callId, { hangup, source: ring.source.address });

    let transferring: ReturnType<typeof referCall> | null = null;
    const transfer = async (): Promise<boolean> => {
      const target = this.deps.settings.transferTo;
      if (!target || over || transferring) return false;
      const uri = transferUri(target, { host: ring.source.address, port: ring.source.port });
      log.info({ callId }, 'transferring to staff');
      transferring = referCall(session, uri, session.localURI.toString(), { log, clock: this.deps.clock });
      const outcome = await transferring.done;
      transferring = null;
      if (outcome.kind === 'transferred') {
        if (!over) byeDone = this.sendBye(session, log, callId);
        end('transferred', 'transferred to staff (REFER)');
        return true;
      }
      if (outcome.kind === 'refused' && this.deps.bridge && !over) {
        log.info({ callId, status: outcome.status }, 'REFER refused: bridging to staff');
        let bridged = false;
        try {
          bridged = await this.deps.bridge.bridge({ id: callId, media, ended, hangup }, uri);
        } catch (err) {
          log.error({ err, callId }, 'the bridge to staff failed');
        }
        if (bridged) {
          bridgedOutcome = 'transferred';
          await ended;
          return true;
        }
      }
      log.warn({ callId, outcome }, 'transfer failed; the caller stays with the receptionist');
      return false;
    };
    const entry = this.active.get(callId);
    if (entry) entry.transfer = transfer;

    let handed = false;
    const handOver = (): void => {
      if (handed || over) return;
      handed = true;
      const call: ActiveCall = { id: callId, caller, media, ended, hangup, transfer };
      Promise.resolve()
        .then(() => this.deps.handler.handle(call))
        .catch((err: unknown) => {
          log.error({ err, callId }, 'conversation failed');
          hangup('conversation error');
        });
    };

    session.delegate = {
      onAck: () => {
        byeAllowed();
        handOver();
      },
      onAckTimeout: () => {
        byeAllowed();
        if (over) return;
        log.warn({ callId }, 'no ACK for our 200 OK');
        hangup('no ACK');
      },
      onBye: (bye) => {
        try {
          bye.accept();
        } catch (err) {
          log.warn({ err, callId }, 'could not answer the BYE');
        }
        if (transferring) {
          transferring.onRemoteBye();
          end('transferred', 'transferred to staff (REFER)');
        } else end(bridgedOutcome ?? 'ai-handled', 'caller hung up');
      },
      onNotify: (notify) => {
        if (transferring) transferring.onNotify(notify);
        else notify.accept();
      },
      onInvite: (reinvite) => {
        // Hold / resume / media change (RFC 3264 re-offer).
        try {
          const answer = media.update(reinvite.message.body);
          reinvite.accept({ statusCode: 200, body: { contentDisposition: 'session', contentType: 'application/sdp', content: answer } });
        } catch (err) {
          reinvite.reject({ statusCode: err instanceof SdpNotAcceptable ? 488 : 500 });
        }
      },
    };
    media.on('timeout', () => hangup('no RTP from the caller'));
    media.on('failed', () => hangup('media error'));
    media.on('dtmf', (digit) => this.notify(log, 'dtmf', { id: callId, digit }));
    try {
      await media.start();
    } catch (err) {
      log.error({ err, callId }, 'media start failed');
      hangup('media start failed');
    }
  }

  /** At most 10 refusal lines a minute. */
  private mayLogRefusal(now: number): boolean {
    const minute = Math.floor(now / 60_000);
    if (minute !== this.refusalLog.minute) this.refusalLog = { minute, lines: 0 };
    return ++this.refusalLog.lines <= 10;
  }

  /**
   * Ends every call politely (503 for ringing ones, BYE for answered ones) and waits, at most
   * stopGraceMs, for their BYEs to be answered, their media stopped and recordings closed.
   * Resolves true when everything closed in time.
   */
  async stop(): Promise<boolean> {
    this.stopping = true;
    const log = this.deps.log;
    for (const [callId, ring] of this.ringing) {
      this.deps.clock.clearTimeout(ring.timer);
      this.reject(ring.request, 503, log);
      this.closeRow(log, callId, 'failed', 'appliance stopping');
      this.notify(log, 'ended', { id: callId, outcome: 'failed', reason: 'appliance stopping' });
    }
    this.ringing.clear();
    for (const call of [...this.active.values()]) call.hangup('appliance stopping');
    this.retryUnwritten(log);
    if (this.closing.size === 0) return true;
    const graceMs = this.deps.stopGraceMs ?? 5000;
    const closed = Promise.allSettled([...this.closing]).then(() => true);
    const inTime = await withTimeout(this.deps.clock, closed, graceMs, () => false);
    if (!inTime) log.warn({ calls: this.closing.size, graceMs }, 'calls did not finish closing in time; stopping anyway');
    return inTime;
  }

  /**
   * A call-log write that must not take the call, or the daemon, down: a failure is logged and,
   * with `retry`, the write is kept to be tried again (the row is then closed once the disk is back).
   */
  private record(log: Logger, what: string, retry: boolean, write: () => void): boolean {
    try {
      write();
      return true;
    } catch (err) {
      log.error({ err }, `call log: could not ${what}`);
      if (retry && this.unwritten.length < MAX_UNWRITTEN) this.unwritten.push({ what, write });
      return false;
    }
  }

  /** Closes the call's row (outcome, reason, time now); kept for a retry when the store refuses. */
  private closeRow(log: Logger, callId: number, outcome: CallOutcome, reason: string, at = this.deps.clock.now()): void {
    this.record(log, 'end the call', true, () => this.deps.calls.ended(callId, at, outcome, reason));
  }

  /** Writes the call-log updates that failed before, in order, while the store accepts them. */
  private retryUnwritten(log: Logger): void {
    let written = 0;
    for (let next = this.unwritten[0]; next; next = this.unwritten[0]) {
      try {
        next.write();
      } catch {
        break; // still failing: keep the rest for the next try
      }
      this.unwritten.shift();
      written++;
    }
    if (written > 0) log.info({ written, left: this.unwritten.length }, 'call log: wrote updates that had failed');
  }

  /** Emits to listeners; one that throws is logged and does not stop the call's handling. */
  private notify<K extends keyof CallManagerEvents>(log: Logger, event: K, ...args: CallManagerEvents[K]): void {
    try {
      (this.emit as (e: K, ...a: CallManagerEvents[K]) => boolean)(event, ...args);
    } catch (err) {
      log.error({ err, event }, 'a call event listener failed');
    }
  }

  private reject(request: IncomingInviteRequest, statusCode: number, log: Logger, extraHeaders?: string[]): void {
    try {
      request.reject({ statusCode, ...(extraHeaders ? { extraHeaders } : {}) });
    } catch (err) {
      // The transaction may be gone already (the caller gave up).
      log.debug({ err, statusCode }, 'could not send the final response');
    }
  }

  /** Sends BYE; resolves when it is answered, times out or cannot be sent. */
  private sendBye(session: Session, log: Logger, callId: number): Promise<void> {
    return new Promise<void>((resolve) => {
      try {
        session.bye({ onAccept: () => resolve(), onReject: () => resolve() });
      } catch (err) {
        log.warn({ err, callId }, 'BYE could not be sent');
        resolve();
      }
    });
  }

  /** Stops the call's media (RTP, recording); never rejects. */
  private async stopMedia(media: CallMedia, log: Logger, callId: number): Promise<void> {
    try {
      await media.stop();
    } catch (err) {
      log.error({ err, callId }, 'media stop failed');
    }
  }
}
