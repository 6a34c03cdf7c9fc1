// Incoming calls, from INVITE to the end: ring while staff may answer, take the call over when
// the ring timer fires, and record what became of it. SIP mechanics (transactions, dialogs,
// retransmissions) are SIP.js's and the transport's; this file holds the appliance's policy.
import { EventEmitter } from 'node:events';
import type { IncomingInviteRequest, IncomingRequestMessage, Session } from 'sip.js/lib/core/index.js';
import type { Clock } from '../booking/bookings.js';
import type { Logger } from '../log.js';
import { callerIdentity, type CallerIdentity } from './caller-id.js';
import type { CallLog, CallOutcome } from './call-log.js';
import { SdpNotAcceptable, type CallMedia, type CallMediaFactory } from './call-media.js';
import { InviteLimiter, type InviteLimitSettings } from './invite-limit.js';
import { referCall, transferUri } from './transfer.js';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

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
  /** A key the caller pressed (RFC 4733) on an answered call. */
  dtmf: [event: { id: number; digit: string }];
}

export interface CallManagerDeps {
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
  timers?: Timers;
  bridge?: TransferBridge;
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
  timer: unknown;
  request: IncomingInviteRequest;
  source: { address: string; port: number };
}

/** `Reason: SIP;cause=200;text="Call completed elsewhere"` (RFC 3326): staff picked up. */
export function answeredElsewhere(cancel: IncomingRequestMessage): boolean {
  return cancel.getHeaders('reason').some((r) => /^\s*SIP\s*;(.*;)?\s*cause\s*=\s*200\b/i.test(r));
}

export class CallManager extends EventEmitter<CallManagerEvents> {
  private readonly ringing = new Map<number, Ringing>();
  private readonly active = new Map<number, { session: Session; media: CallMedia; source: string; end: (outcome: CallOutcome, reason: string) => void }>();
  private stopping = false;
  private readonly limiter: InviteLimiter;
  /** Refusals logged in the current minute (per-source refusals are logged sparingly). */
  private refusalLog = { minute: -1, lines: 0 };
  readonly stats: CallManagerStats = { refusedSourceCalls: 0, refusedSourceRate: 0, refusedBusy: 0 };

  constructor(private readonly deps: CallManagerDeps) {
    super();
    this.limiter = new InviteLimiter({
      now: () => deps.clock.now(),
      settings: { maxCalls: deps.settings.maxCalls, ...(deps.perSource ?? { maxCallsPerSource: null, invitesPerMinute: 20, trunkNetworks: [] }) },
      ...(deps.isTrunk ? { isTrunk: deps.isTrunk } : {}),
    });
  }

  private get timers(): Timers {
    return this.deps.timers ?? realTimers;
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

  /** An INVITE that passed the network allow-list. */
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
      request.reject({ statusCode: 503, extraHeaders: ['Retry-After: 30'] });
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
      const id = this.deps.calls.refused(entry, 'rejected-busy', 'all AI lines busy');
      request.reject({ statusCode: 486 });
      log.warn({ callId: id, max: this.deps.settings.maxCalls }, 'all AI lines busy: 486');
      this.emit('missed', { id, caller });
      return;
    }
    if (!msg.body || !/application\/sdp/i.test(msg.getHeader('content-type') ?? '')) {
      // Offerless INVITEs (offer in our 200, answer in the ACK) are not supported yet.
      const id = this.deps.calls.refused(entry, 'failed', 'INVITE without an SDP offer');
      request.reject({ statusCode: 488, extraHeaders: ['Warning: 399 spa-receptionist "an SDP offer is required"'] });
      log.warn({ callId: id }, 'INVITE without SDP offer: 488');
      return;
    }

    const callId = this.deps.calls.invited(entry);
    request.trying();
    request.progress({ statusCode: 180 });
    log.info({ callId, ringTimeoutS: this.deps.settings.ringTimeoutS }, 'incoming call ringing');

    const ring: Ringing = { callId, request, timer: undefined, source };
    this.ringing.set(callId, ring);
    request.delegate = {
      onCancel: (cancel) => {
        if (!this.ringing.delete(callId)) return;
        this.timers.clearTimeout(ring.timer);
        request.reject({ statusCode: 487 });
        const elsewhere = answeredElsewhere(cancel);
        const outcome: CallOutcome = elsewhere ? 'answered-elsewhere' : 'missed';
        this.deps.calls.ended(callId, this.deps.clock.now(), outcome, elsewhere ? 'answered by staff' : 'caller hung up while ringing');
        log.info({ callId, outcome }, elsewhere ? 'answered elsewhere' : 'missed call');
        if (!elsewhere) this.emit('missed', { id: callId, caller });
        this.emit('ended', { id: callId, outcome, reason: 'cancelled' });
      },
    };
    ring.timer = this.timers.setTimeout(() => {
      void this.takeOver(ring, caller, log);
    }, this.deps.settings.ringTimeoutS * 1000);
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
      request.reject({ statusCode: notAcceptable ? 488 : 500 });
      this.deps.calls.ended(callId, this.deps.clock.now(), 'failed', notAcceptable ? 'no common codec' : 'media setup failed');
      log.error({ callId, err }, 'could not answer');
      this.emit('ended', { id: callId, outcome: 'failed', reason: 'media' });
      return;
    }
    // CANCEL may have arrived while the media was being set up.
    if (!this.ringing.delete(callId)) {
      await media.stop();
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
      await media.stop();
      this.deps.calls.ended(callId, this.deps.clock.now(), 'failed', 'could not send 200 OK');
      log.error({ callId, err }, 'accept failed');
      return;
    }
    const answeredAt = this.deps.clock.now();
    this.deps.calls.answered(callId, answeredAt, media.codec);
    log.info({ callId, codec: media.codec }, 'call taken over');
    this.emit('answered', { id: callId, caller });

    let resolveEnded!: () => void;
    const ended = new Promise<void>((r) => (resolveEnded = r));
    let over = false;
    let bridgedOutcome: CallOutcome | null = null;
    const end = (outcome: CallOutcome, reason: string): void => {
      if (over) return;
      over = true;
      this.active.delete(callId);
      this.deps.calls.ended(callId, this.deps.clock.now(), outcome, reason);
      media.clear();
      media.stop().catch((err: unknown) => log.error({ err, callId }, 'media stop failed'));
      log.info({ callId, outcome, reason }, 'call ended');
      this.emit('ended', { id: callId, outcome, reason });
      resolveEnded();
    };
    const hangup = (reason: string): void => {
      if (over) return;
      try {
        session.bye();
      } catch (err) {
        log.warn({ err, callId }, 'BYE could not be sent');
      }
      end(bridgedOutcome ?? 'ai-handled', reason);
    };
    this.active.set(callId, { session, media, source: ring.source.address, end });

    let transferring: ReturnType<typeof referCall> | null = null;
    const transfer = async (): Promise<boolean> => {
      const target = this.deps.settings.transferTo;
      if (!target || over || transferring) return false;
      const uri = transferUri(target, { host: ring.source.address, port: ring.source.port });
      log.info({ callId }, 'transferring to staff');
      transferring = referCall(session, uri, session.localURI.toString(), { log, timers: this.timers });
      const outcome = await transferring.done;
      transferring = null;
      if (outcome.kind === 'transferred') {
        if (!over) {
          try {
            session.bye();
          } catch {
            // the transferee may have hung up already
          }
        }
        end('transferred', 'transferred to staff (REFER)');
        return true;
      }
      if (outcome.kind === 'refused' && this.deps.bridge && !over) {
        log.info({ callId, status: outcome.status }, 'REFER refused: bridging to staff');
        const bridged = await this.deps.bridge.bridge({ id: callId, media, ended, hangup }, uri);
        if (bridged) {
          bridgedOutcome = 'transferred';
          await ended;
          return true;
        }
      }
      log.warn({ callId, outcome }, 'transfer failed; the caller stays with the receptionist');
      return false;
    };

    let handed = false;
    const handOver = (): void => {
      if (handed || over) return;
      handed = true;
      const call: ActiveCall = { id: callId, caller, media, ended, hangup, transfer };
      Promise.resolve(this.deps.handler.handle(call)).catch((err: unknown) => {
        log.error({ err, callId }, 'conversation failed');
        hangup('conversation error');
      });
    };

    session.delegate = {
      onAck: () => {
        handOver();
      },
      onAckTimeout: () => {
        log.warn({ callId }, 'no ACK for our 200 OK');
        hangup('no ACK');
      },
      onBye: (bye) => {
        bye.accept();
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
    media.on('dtmf', (digit) => this.emit('dtmf', { id: callId, digit }));
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

  /** Ends every call politely (BYE, 503 for ringing ones) and waits for nothing longer than needed. */
  async stop(): Promise<void> {
    this.stopping = true;
    for (const [callId, ring] of this.ringing) {
      this.timers.clearTimeout(ring.timer);
      try {
        ring.request.reject({ statusCode: 503 });
      } catch {
        // the transaction may be gone already
      }
      this.deps.calls.ended(callId, this.deps.clock.now(), 'failed', 'appliance stopping');
    }
    this.ringing.clear();
    for (const { session, end } of [...this.active.values()]) {
      try {
        session.bye();
      } catch {
        // ignore: we are closing anyway
      }
      end('ai-handled', 'appliance stopping');
    }
    await Promise.resolve();
  }
}
