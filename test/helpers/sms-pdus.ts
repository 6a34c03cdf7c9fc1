// SMS-DELIVER and SMS-STATUS-REPORT PDUs as a network would hand them to the modem, for the fake
// modem to deliver. (Our encoder only writes SUBMITs; the decoder was checked against node-pdu.)
import { charSeptets, packSeptets } from '../../appliance/sms/gsm7.js';
import { encodeAddress } from '../../appliance/sms/pdu.js';

const SCTS = '32101141650040'; // 2023-01-11 14:56:00 +01:00
const SMSC = '07914477790700F0';

export function deliverPdu(from: string, text: string, opts: { concat?: { reference: number; parts: number; part: number }; ucs2?: boolean; dcs?: number } = {}): string {
  const udh = opts.concat ? Buffer.from([0x05, 0x00, 0x03, opts.concat.reference, opts.concat.parts, opts.concat.part]) : Buffer.alloc(0);
  const first = 0x04 | (opts.concat ? 0x40 : 0);
  let dcs = opts.dcs ?? (opts.ucs2 ? 0x08 : 0x00);
  let udl: number;
  let ud: Buffer;
  if (opts.ucs2) {
    dcs = opts.dcs ?? 0x08;
    ud = Buffer.concat([udh, Buffer.from(text, 'utf16le').swap16()]);
    udl = ud.length;
  } else {
    const septets = [...text].flatMap((c) => charSeptets(c) ?? [0x3f]);
    const fill = udh.length ? (7 - ((udh.length * 8) % 7)) % 7 : 0;
    ud = Buffer.concat([udh, packSeptets(septets, fill)]);
    udl = (udh.length * 8 + fill) / 7 + septets.length;
  }
  const head = Buffer.from([first]);
  return `${SMSC}${head.toString('hex')}${encodeAddress(from).toString('hex')}00${dcs.toString(16).padStart(2, '0')}${SCTS}${udl.toString(16).padStart(2, '0')}${ud.toString('hex')}`.toUpperCase();
}

/** A status report for message reference `mr`: TP-ST 0 delivered, 0x20+ still trying, 0x40+ failed. */
export function statusReportPdu(mr: number, to: string, st: number): string {
  const hex = (n: number): string => n.toString(16).padStart(2, '0');
  return `0006${hex(mr)}${encodeAddress(to).toString('hex')}${SCTS}${SCTS}${hex(st)}`.toUpperCase();
}
