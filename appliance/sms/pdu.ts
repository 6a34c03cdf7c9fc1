// Our SMS PDU codec (3GPP TS 23.040): SMS-SUBMIT for sending (GSM-7 with the extension table, 160
// / 153 septets per part; UCS-2, 70 / 67 characters; concatenation with an 8-bit reference;
// status-report request) and reading SMS-DELIVER and SMS-STATUS-REPORT. Pure: no I/O, no clock.
import { charSeptets, packSeptets, septetsToText, unpackSeptets } from './gsm7.js';

export type Coding = 'gsm7' | 'ucs2';

export interface SubmitOptions {
  /** Concatenation reference (0-255), the same for every part of one message. */
  reference: number;
  /** Ask the network for a delivery report (TP-SRR). */
  statusReport: boolean;
  /** TP-VP, relative (23.040 §9.2.3.12.1); default 0xA7, one day. */
  validity?: number;
}

export interface SubmitPart {
  /** The PDU in hex, with a zero-length SMSC field (the SIM's SMSC is used). */
  hex: string;
  /** What AT+CMGS wants: the octets after the SMSC field. */
  tpduLength: number;
  /** 1-based part number and total. */
  part: number;
  parts: number;
}

const GSM7_SINGLE = 160;
const GSM7_PART = 153;
const UCS2_SINGLE = 70;
const UCS2_PART = 67;

/** Which coding a text needs: GSM-7 when every character is in the alphabet or its extension. */
export function codingFor(text: string): Coding {
  for (const ch of text) if (charSeptets(ch) === null) return 'ucs2';
  return 'gsm7';
}

/**
 * Splits a text into the pieces each part carries: whole characters only (an escape pair or a
 * UTF-16 surrogate pair is never split), at most 160 septets / 70 units alone, 153 / 67 when
 * concatenated. Returns septets (GSM-7) or UTF-16 code units (UCS-2) per part.
 */
export function splitText(text: string): { coding: Coding; pieces: number[][] } {
  const coding = codingFor(text);
  const units: number[][] = []; // per character
  for (const ch of text) {
    if (coding === 'gsm7') units.push(charSeptets(ch) ?? []);
    else {
      const codes: number[] = [];
      for (let i = 0; i < ch.length; i++) codes.push(ch.charCodeAt(i));
      units.push(codes);
    }
  }
  const total = units.reduce((n, u) => n + u.length, 0);
  const single = coding === 'gsm7' ? GSM7_SINGLE : UCS2_SINGLE;
  if (total <= single) return { coding, pieces: [units.flat()] };
  const per = coding === 'gsm7' ? GSM7_PART : UCS2_PART;
  const pieces: number[][] = [];
  let current: number[] = [];
  for (const u of units) {
    if (current.length + u.length > per) {
      pieces.push(current);
      current = [];
    }
    current.push(...u);
  }
  if (current.length > 0) pieces.push(current);
  return { coding, pieces };
}

/** An address field (TP-DA): digit count, type (international when it starts with +), swapped semi-octets. */
export function encodeAddress(number: string): Buffer {
  const international = number.startsWith('+');
  const digits = number.replace(/^\+/, '');
  if (!/^[0-9*#]{1,20}$/.test(digits)) throw new RangeError('not a phone number the network can address');
  const padded = digits.length % 2 === 1 ? `${digits}F` : digits;
  const swapped = Buffer.alloc(padded.length / 2);
  for (let i = 0; i < padded.length; i += 2) {
    swapped[i / 2] = (semiOctet(padded[i + 1] ?? 'F') << 4) | semiOctet(padded[i] ?? 'F');
  }
  return Buffer.concat([Buffer.from([digits.length, international ? 0x91 : 0x81]), swapped]);
}

function semiOctet(ch: string): number {
  if (ch === '*') return 0x0a;
  if (ch === '#') return 0x0b;
  if (ch === 'F') return 0x0f;
  return Number(ch);
}

/** Encodes a text to `to` as one or more SMS-SUBMIT PDUs. */
export function encodeSubmit(to: string, text: string, opts: SubmitOptions): SubmitPart[] {
  const { coding, pieces } = splitText(text);
  const concat = pieces.length > 1;
  if (pieces.length > 255) throw new RangeError('text too long for one concatenated SMS');
  const da = encodeAddress(to);
  return pieces.map((piece, i) => {
    const firstOctet = 0x01 | 0x10 | (opts.statusReport ? 0x20 : 0) | (concat ? 0x40 : 0);
    const udh = concat ? Buffer.from([0x05, 0x00, 0x03, opts.reference & 0xff, pieces.length, i + 1]) : Buffer.alloc(0);
    let udl: number;
    let ud: Buffer;
    if (coding === 'gsm7') {
      const udhBits = udh.length * 8;
      const fill = udhBits === 0 ? 0 : (7 - (udhBits % 7)) % 7;
      udl = (udhBits + fill) / 7 + piece.length;
      ud = Buffer.concat([udh, packSeptets(piece, fill)]);
    } else {
      const body = Buffer.alloc(piece.length * 2);
      piece.forEach((u, j) => body.writeUInt16BE(u, j * 2));
      ud = Buffer.concat([udh, body]);
      udl = ud.length;
    }
    const tpdu = Buffer.concat([
      Buffer.from([firstOctet, 0x00]), // TP-MR 0: the modem assigns it
      da,
      Buffer.from([0x00, coding === 'gsm7' ? 0x00 : 0x08, opts.validity ?? 0xa7, udl]),
      ud,
    ]);
    return { hex: `00${tpdu.toString('hex').toUpperCase()}`, tpduLength: tpdu.length, part: i + 1, parts: pieces.length };
  });
}

// ---- reading ----------------------------------------------------------------------------------

export interface Concat {
  reference: number;
  parts: number;
  part: number;
}

export interface DeliverPdu {
  type: 'deliver';
  /** The sender: E.164 when international, else the digits or the alphanumeric name. */
  from: string;
  /** The service centre's time stamp, ms since the epoch. */
  sentAt: number;
  text: string;
  coding: Coding | 'binary';
  concat: Concat | null;
  /** Class 0 ("flash") messages are shown, not stored: the appliance ignores them. */
  class0: boolean;
  /** 8-bit data to an application port (WAP push: MMS notifications, configuration). */
  applicationPort: number | null;
}

export interface StatusReportPdu {
  type: 'status-report';
  /** TP-MR of the message this reports on (what +CMGS answered). */
  reference: number;
  recipient: string;
  /** TP-ST: delivered, still trying, or failed for good. */
  status: 'delivered' | 'pending' | 'failed';
  statusCode: number;
  dischargedAt: number;
}

export type DecodedPdu = DeliverPdu | StatusReportPdu;

/** The PDU cannot be read (too short, wrong type, bad hex). */
export class PduError extends Error {}

class Reader {
  private pos = 0;
  constructor(private readonly buf: Buffer) {}
  byte(): number {
    const b = this.buf[this.pos++];
    if (b === undefined) throw new PduError('PDU ends early');
    return b;
  }
  bytes(n: number): Buffer {
    if (this.pos + n > this.buf.length) throw new PduError('PDU ends early');
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }
  rest(): Buffer {
    return this.buf.subarray(this.pos);
  }
}

/** Reads one PDU as AT+CMGR / +CDS give it (hex, starting with the SMSC field). */
export function decodePdu(hex: string): DecodedPdu {
  const clean = hex.trim();
  if (!/^([0-9a-fA-F]{2})+$/.test(clean)) throw new PduError('not a hex PDU');
  const r = new Reader(Buffer.from(clean, 'hex'));
  r.bytes(r.byte()); // SMSC
  const first = r.byte();
  const mti = first & 0x03;
  if (mti === 0x00) return readDeliver(r, first);
  if (mti === 0x02) return readStatusReport(r);
  throw new PduError(`PDU type ${mti} is not a deliver or a status report`);
}

function readAddress(r: Reader): string {
  const digits = r.byte();
  const toa = r.byte();
  const octets = r.bytes(Math.ceil(digits / 2));
  if ((toa & 0x70) === 0x50) {
    // Alphanumeric sender, GSM-7 packed; `digits` counts semi-octets.
    return septetsToText(unpackSeptets(octets, Math.floor((digits * 4) / 7)));
  }
  let out = '';
  for (const o of octets) out += semi(o & 0x0f) + semi(o >> 4);
  out = out.slice(0, digits);
  return (toa & 0x70) === 0x10 ? `+${out}` : out;
}

function semi(n: number): string {
  return n < 10 ? String(n) : n === 0x0a ? '*' : n === 0x0b ? '#' : '';
}

function readTimestamp(r: Reader): number {
  const b = r.bytes(7);
  const d = (i: number): number => {
    const o = b[i] ?? 0;
    return (o & 0x0f) * 10 + (o >> 4);
  };
  const tzByte = b[6] ?? 0;
  const quarters = (tzByte & 0x07) * 10 + (tzByte >> 4);
  const sign = tzByte & 0x08 ? -1 : 1;
  const utc = Date.UTC(2000 + d(0), d(1) - 1, d(2), d(3), d(4), d(5));
  return utc - sign * quarters * 15 * 60_000;
}

function readDeliver(r: Reader, first: number): DeliverPdu {
  const udhi = (first & 0x40) !== 0;
  const from = readAddress(r);
  r.byte(); // PID
  const dcs = r.byte();
  const sentAt = readTimestamp(r);
  const udl = r.byte();
  const ud = r.rest();
  const { coding, class0 } = readDcs(dcs);
  let concat: Concat | null = null;
  let applicationPort: number | null = null;
  let headerOctets = 0;
  if (udhi) {
    const udhl = ud[0] ?? 0;
    headerOctets = udhl + 1;
    const udh = ud.subarray(1, headerOctets);
    for (let i = 0; i + 1 < udh.length; ) {
      const iei = udh[i] ?? 0;
      const len = udh[i + 1] ?? 0;
      const v = udh.subarray(i + 2, i + 2 + len);
      if (iei === 0x00 && len === 3) concat = { reference: v[0] ?? 0, parts: v[1] ?? 0, part: v[2] ?? 0 };
      else if (iei === 0x08 && len === 4) concat = { reference: v.readUInt16BE(0), parts: v[2] ?? 0, part: v[3] ?? 0 };
      else if (iei === 0x05 && len === 4) applicationPort = v.readUInt16BE(0);
      else if (iei === 0x04 && len === 2) applicationPort = v[0] ?? 0;
      i += 2 + len;
    }
  }
  let text: string;
  if (coding === 'gsm7') {
    const headerSeptets = Math.ceil((headerOctets * 8) / 7);
    const septets = unpackSeptets(ud, udl, 0).slice(headerSeptets);
    text = septetsToText(septets);
  } else if (coding === 'ucs2') {
    const body = ud.subarray(headerOctets, udl);
    let s = '';
    for (let i = 0; i + 1 < body.length; i += 2) s += String.fromCharCode(body.readUInt16BE(i));
    text = s;
  } else {
    text = ud.subarray(headerOctets, udl).toString('hex');
  }
  return { type: 'deliver', from, sentAt, text, coding, concat, class0, applicationPort };
}

function readDcs(dcs: number): { coding: Coding | 'binary'; class0: boolean } {
  const group = dcs >> 4;
  if (group <= 0x07) {
    // General data coding (00xx): bit 5 compressed, bit 4 class present.
    const alphabet = (dcs >> 2) & 0x03;
    const coding = alphabet === 0 ? 'gsm7' : alphabet === 2 ? 'ucs2' : 'binary';
    return { coding, class0: (dcs & 0x10) !== 0 && (dcs & 0x03) === 0 };
  }
  if (group === 0x0f) return { coding: dcs & 0x04 ? 'binary' : 'gsm7', class0: (dcs & 0x03) === 0 };
  if (group === 0x0e) return { coding: 'ucs2', class0: false };
  return { coding: 'gsm7', class0: false }; // message waiting groups
}

function readStatusReport(r: Reader): StatusReportPdu {
  const reference = r.byte();
  const recipient = readAddress(r);
  readTimestamp(r); // SCTS
  const dischargedAt = readTimestamp(r);
  const statusCode = r.byte();
  const status = statusCode < 0x20 ? 'delivered' : statusCode < 0x40 ? 'pending' : 'failed';
  return { type: 'status-report', reference, recipient, status, statusCode, dischargedAt };
}
