// RFC 4733 telephone-events (DTMF over RTP): the 4-byte payload, the packet plan of one digit on the
// sending side, and a receiver that turns the stream of updates into one report per digit.

export type DtmfDigit = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '*' | '#' | 'A' | 'B' | 'C' | 'D';

const DIGITS: readonly DtmfDigit[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '#', 'A', 'B', 'C', 'D'];

/** RFC 4733 §3.2 event code of a DTMF digit (0-9, * = 10, # = 11, A-D = 12-15); undefined if not a digit. */
export function dtmfEventCode(digit: string): number | undefined {
  const i = DIGITS.indexOf(digit.toUpperCase() as DtmfDigit);
  return i < 0 ? undefined : i;
}

export function dtmfDigitOf(event: number): DtmfDigit | undefined {
  return DIGITS[event];
}

export function isDtmfDigit(s: string): s is DtmfDigit {
  return dtmfEventCode(s) !== undefined;
}

export interface TelephoneEvent {
  event: number;
  end: boolean;
  /** Power level in -dBm0, 0..63 (RFC 4733 §2.3.4). */
  volume: number;
  /** Duration so far in RTP timestamp units, 0..65535. */
  duration: number;
}

export function encodeTelephoneEvent(e: TelephoneEvent): Buffer {
  const out = Buffer.alloc(4);
  out[0] = e.event & 0xff;
  out[1] = (e.end ? 0x80 : 0) | (e.volume & 0x3f);
  out.writeUInt16BE(Math.min(0xffff, Math.max(0, Math.round(e.duration))), 2);
  return out;
}

/** Decodes a telephone-event payload; null when it is not one (too short). Extra blocks are ignored. */
export function decodeTelephoneEvent(payload: Uint8Array): TelephoneEvent | null {
  if (payload.length < 4) return null;
  const b1 = payload[1] ?? 0;
  return {
    event: payload[0] ?? 0,
    end: (b1 & 0x80) !== 0,
    volume: b1 & 0x3f,
    duration: ((payload[2] ?? 0) << 8) | (payload[3] ?? 0),
  };
}

export interface DtmfPacket {
  payload: Buffer;
  /** Set on the first packet of the event only. */
  marker: boolean;
  end: boolean;
}

export interface DtmfPlanOptions {
  clockRate: number;
  /** Tone length; RFC 4733 senders commonly use 100 ms or more. */
  durationMs?: number;
  /** Interval between updates, the stream's packet time. */
  packetMs?: number;
  volume?: number;
}

/**
 * The packets that carry one digit, to be sent one per packet interval, all with the same RTP
 * timestamp (the event's start). The final packet has the end bit and is sent three times
 * (RFC 4733 §2.5.1.4); every packet carries the duration so far.
 */
export function planDtmfPackets(digit: string, opts: DtmfPlanOptions): DtmfPacket[] {
  const event = dtmfEventCode(digit);
  if (event === undefined) throw new RangeError(`not a DTMF digit: ${JSON.stringify(digit)}`);
  const packetMs = opts.packetMs ?? 20;
  const durationMs = Math.max(packetMs, opts.durationMs ?? 100);
  const volume = opts.volume ?? 10;
  const packetTs = Math.round((opts.clockRate * packetMs) / 1000);
  const totalTs = Math.min(0xffff, Math.round((opts.clockRate * durationMs) / 1000));
  const updates = Math.ceil(totalTs / packetTs);
  const packets: DtmfPacket[] = [];
  for (let k = 1; k <= updates; k++) {
    const end = k === updates;
    const duration = end ? totalTs : k * packetTs;
    packets.push({ payload: encodeTelephoneEvent({ event, end, volume, duration }), marker: k === 1, end });
  }
  const last = packets[packets.length - 1];
  if (last) packets.push({ ...last, marker: false }, { ...last, marker: false });
  return packets;
}

export interface ReceivedDigit {
  digit: DtmfDigit;
  durationMs: number;
  /** RTP timestamp of the event (its start). */
  timestamp: number;
  /** False when the end packets were all lost and the digit was closed by a newer event or a timeout. */
  ended: boolean;
}

interface PendingEvent {
  timestamp: number;
  event: number;
  duration: number;
  lastUpdateMs: number;
}

/**
 * Turns received telephone-event packets into digits, each reported once with its duration:
 * updates of an event share its timestamp, the end packet's repeats are dropped, an event whose
 * start packets were lost is still reported, and one whose end packets were lost is reported when
 * the next event starts or when `poll()` finds it silent for `endTimeoutMs`.
 */
export class DtmfReceiver {
  private pending: PendingEvent | undefined;
  /** Timestamps of recently finished events, so late repeats of their end packet are ignored. */
  private readonly finished: number[] = [];

  constructor(
    private readonly clockRate: number,
    private readonly endTimeoutMs = 1000,
  ) {}

  /** Feeds one telephone-event payload; returns the digits completed by it (0, 1 or 2). */
  push(timestamp: number, payload: Uint8Array, nowMs: number): ReceivedDigit[] {
    const e = decodeTelephoneEvent(payload);
    const out: ReceivedDigit[] = [];
    if (!e || dtmfDigitOf(e.event) === undefined) return out;
    if (this.finished.includes(timestamp)) return out;
    if (this.pending && this.pending.timestamp !== timestamp) {
      out.push(this.close(this.pending, false));
    }
    const p = this.pending ?? { timestamp, event: e.event, duration: 0, lastUpdateMs: nowMs };
    p.duration = Math.max(p.duration, e.duration);
    p.lastUpdateMs = nowMs;
    this.pending = p;
    if (e.end) out.push(this.close(p, true));
    return out;
  }

  /** Closes an event whose end never arrived once it has been silent for endTimeoutMs. */
  poll(nowMs: number): ReceivedDigit | undefined {
    const p = this.pending;
    if (!p || nowMs - p.lastUpdateMs < this.endTimeoutMs) return undefined;
    return this.close(p, false);
  }

  reset(): void {
    this.pending = undefined;
    this.finished.length = 0;
  }

  private close(p: PendingEvent, ended: boolean): ReceivedDigit {
    this.pending = undefined;
    this.finished.push(p.timestamp);
    if (this.finished.length > 8) this.finished.shift();
    return {
      digit: dtmfDigitOf(p.event) ?? '0',
      durationMs: Math.round((p.duration * 1000) / this.clockRate),
      timestamp: p.timestamp,
      ended,
    };
  }
}
