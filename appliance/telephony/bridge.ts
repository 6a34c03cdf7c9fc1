// The REFER fallback: the box calls the staff destination itself and relays audio between the
// caller and staff (a minimal B2BUA). Used only when the caller's side refuses REFER.
import type { Session } from 'sip.js/lib/core/index.js';
import type { Logger } from '../log.js';
import type { CallMedia } from './call-media.js';
import type { TransferBridge } from './call-manager.js';
import type { OfferingMedia } from './rtp-call-media.js';

/** A bounded live stream of frames: the reader always gets the newest audio (no growing delay). */
export class FrameStream implements AsyncIterable<Int16Array> {
  private readonly queue: Int16Array[] = [];
  private waiting: ((r: IteratorResult<Int16Array>) => void) | null = null;
  private ended = false;
  dropped = 0;

  constructor(private readonly maxFrames = 5) {}

  push(frame: Int16Array): void {
    if (this.ended) return;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: frame, done: false });
      return;
    }
    this.queue.push(frame);
    if (this.queue.length > this.maxFrames) {
      this.queue.shift();
      this.dropped++;
    }
  }

  end(): void {
    this.ended = true;
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = null;
      w({ value: undefined, done: true });
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Int16Array> {
    return {
      next: () => {
        const frame = this.queue.shift();
        if (frame) return Promise.resolve({ value: frame, done: false });
        if (this.ended) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => (this.waiting = resolve));
      },
    };
  }
}

export interface BridgeDeps {
  log: Logger;
  offering: (opts: { callId: number }) => Promise<OfferingMedia>;
  dial: (target: string, offerSdp: string, opts: { timeoutMs: number; onBye: () => void }) => Promise<{ session: Session; answerSdp: string } | { status: number }>;
  /** How long staff may take to answer. */
  answerTimeoutMs?: number;
}

export class StaffBridge implements TransferBridge {
  constructor(private readonly deps: BridgeDeps) {}

  async bridge(call: { id: number; media: CallMedia; ended: Promise<void>; hangup(reason: string): void }, target: string): Promise<boolean> {
    const log = this.deps.log.child({ callId: call.id });
    const offering = await this.deps.offering({ callId: call.id });
    let staffGone = false;
    let onStaffBye = (): void => {
      staffGone = true;
    };
    const dialed = await this.deps.dial(target, offering.offerSdp, { timeoutMs: this.deps.answerTimeoutMs ?? 30_000, onBye: () => onStaffBye() });
    if ('status' in dialed) {
      log.warn({ status: dialed.status }, 'staff did not answer the bridged transfer');
      await offering.abandon();
      return false;
    }
    let staff: CallMedia;
    try {
      staff = offering.accept(dialed.answerSdp);
    } catch (err) {
      log.warn({ err }, 'staff answered with SDP the box cannot use');
      dialed.session.bye();
      await offering.abandon();
      return false;
    }
    // Relay: each side's received frames play out on the other side.
    const toStaff = new FrameStream();
    const toCaller = new FrameStream();
    const fromCaller = (f: Int16Array): void => toStaff.push(f);
    const fromStaff = (f: Int16Array): void => toCaller.push(f);
    call.media.clear();
    call.media.on('audio', fromCaller);
    staff.on('audio', fromStaff);
    // A leg whose media stopped under it ends its playback with an error: the bridge ends with the call.
    call.media.play(toCaller).catch((err: unknown) => log.warn({ err }, 'bridge: playback to the caller failed'));
    staff.play(toStaff).catch((err: unknown) => log.warn({ err }, 'bridge: playback to staff failed'));
    log.info('caller bridged to staff');

    let torn = false;
    const teardown = async (): Promise<void> => {
      if (torn) return;
      torn = true;
      call.media.off('audio', fromCaller);
      staff.off('audio', fromStaff);
      toStaff.end();
      toCaller.end();
      await staff.stop();
    };
    onStaffBye = () => {
      staffGone = true;
      teardown().catch((err: unknown) => log.warn({ err }, 'bridge: teardown failed'));
      call.hangup('staff hung up');
    };
    if (staffGone) onStaffBye();
    call.ended.then(async () => {
      if (!staffGone) {
        staffGone = true;
        try {
          dialed.session.bye();
        } catch {
          // already gone
        }
      }
      await teardown();
    }).catch((err: unknown) => log.warn({ err }, 'bridge: teardown failed'));
    return true;
  }
}
