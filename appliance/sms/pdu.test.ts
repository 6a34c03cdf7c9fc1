import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Deliver, parse, Submit } from 'node-pdu';
import { codingFor, decodePdu, encodeSubmit, PduError, splitText } from './pdu.js';
import { isGsm7, packSeptets, unpackSeptets } from './gsm7.js';

/** What node-pdu (an independent decoder) reads in one of our PDUs. */
function independent(hex: string): { text: string; to: string; srr: number; concat: { ref: number; total: number; part: number } | null } {
  const p = parse(hex);
  assert.ok(p instanceof Submit, 'node-pdu reads an SMS-SUBMIT');
  const part = p.data.parts[0];
  const header = part?.header?.toJSON() ?? null;
  return {
    text: p.data.getText(),
    to: p.address.phone ?? '',
    srr: p.type.statusReportRequest,
    concat: header ? { ref: header.POINTER ?? -1, total: header.SEGMENTS ?? -1, part: header.CURRENT ?? -1 } : null,
  };
}

test('a short GSM-7 text is one SUBMIT that node-pdu reads back with the number, the text and the report request', () => {
  const [only, ...rest] = encodeSubmit('+15551234567', 'Sorry we missed your call. How can we help?', { reference: 7, statusReport: true });
  assert.equal(rest.length, 0);
  assert.ok(only);
  const read = independent(only.hex);
  assert.equal(read.text, 'Sorry we missed your call. How can we help?');
  assert.equal(read.to, '15551234567');
  assert.equal(read.srr, 1);
  assert.equal(read.concat, null);
  assert.equal(only.tpduLength * 2 + 2, only.hex.length, 'AT+CMGS length counts the octets after the SMSC field');
});

test('GSM-7 fits 160 characters in one part and splits 161 into 153 + 8 with a shared reference', () => {
  assert.equal(encodeSubmit('+15551234567', 'a'.repeat(160), { reference: 1, statusReport: false }).length, 1);
  const parts = encodeSubmit('+15551234567', `${'a'.repeat(153)}bcdefghi`, { reference: 42, statusReport: false });
  assert.equal(parts.length, 2);
  const read = parts.map((p) => independent(p.hex));
  assert.equal(read[0]?.text, 'a'.repeat(153));
  assert.equal(read[1]?.text, 'bcdefghi');
  assert.deepEqual(read.map((r) => r.concat), [
    { ref: 42, total: 2, part: 1 },
    { ref: 42, total: 2, part: 2 },
  ]);
});

test('extension characters take two septets and an escape pair is never split across parts', () => {
  assert.equal(encodeSubmit('+15551234567', '€'.repeat(80), { reference: 1, statusReport: false }).length, 1);
  const { pieces } = splitText(`${'a'.repeat(152)}€${'b'.repeat(10)}`);
  assert.deepEqual(pieces.map((p) => p.length), [152, 12], 'the € (escape + 0x65) moves whole to part 2');
  const parts = encodeSubmit('+15551234567', `${'a'.repeat(152)}€ [x] {y} ~|^\\`, { reference: 9, statusReport: false });
  const texts = parts.map((p) => independent(p.hex).text).join('');
  assert.equal(texts, `${'a'.repeat(152)}€ [x] {y} ~|^\\`);
});

test('a text with a character outside GSM-7 goes as UCS-2: 70 in one part, 71 as 67 + 4', () => {
  assert.equal(codingFor('Café ☺'), 'ucs2');
  assert.equal(codingFor('Café è'), 'gsm7', 'é and è are in the default alphabet');
  assert.equal(encodeSubmit('+15551234567', '☺'.repeat(70), { reference: 1, statusReport: false }).length, 1);
  const parts = encodeSubmit('+15551234567', 'ü☺'.repeat(35) + 'x', { reference: 200, statusReport: false });
  assert.equal(parts.length, 2);
  const read = parts.map((p) => independent(p.hex));
  assert.equal(read.map((r) => r.text).join(''), 'ü☺'.repeat(35) + 'x');
  assert.equal(read[0]?.text.length, 67);
  assert.deepEqual(read[1]?.concat, { ref: 200, total: 2, part: 2 });
});

test('an emoji (a surrogate pair) is never cut in half at a UCS-2 part boundary', () => {
  const { pieces } = splitText(`${'x'.repeat(66)}😀${'y'.repeat(5)}`);
  assert.deepEqual(pieces.map((p) => p.length), [66, 7]);
});

test('a local number is addressed with the unknown type and its digits', () => {
  const [only] = encodeSubmit('5550100', 'hi', { reference: 0, statusReport: false });
  assert.ok(only);
  assert.match(only.hex, /^0011000781/);
  assert.equal(independent(only.hex).to, '5550100');
});

/** A DELIVER from +15557654321 at 2023-01-11 14:56 +01:00, built by hand (not by our encoder). */
function deliverHex(dcs: number, udl: number, ud: Buffer): string {
  return `07914477790700F0000B915155674523F100${dcs.toString(16).padStart(2, '0')}32101141650040${udl.toString(16).padStart(2, '0')}${ud.toString('hex')}`;
}

test('the README vector of node-pdu decodes the same with ours: sender and "Hello, world!"', () => {
  const hex = '07919730071111F1000B919746121611F10000811170021222230DC8329BFD6681EE6F399B1C02';
  const ours = decodePdu(hex);
  const theirs = parse(hex);
  assert.ok(ours.type === 'deliver' && theirs instanceof Deliver);
  assert.equal(ours.text, theirs.data.getText());
  assert.equal(ours.text, 'Hello, world!');
  assert.equal(ours.from, `+${theirs.address.phone ?? ''}`);
});

test('a GSM-7 DELIVER with extension characters decodes to the text node-pdu reads too', () => {
  // "[a]€" as septets written out from 23.038's tables: ESC 3C, 61, ESC 3E, ESC 65.
  const septets = [0x1b, 0x3c, 0x61, 0x1b, 0x3e, 0x1b, 0x65];
  const hex = deliverHex(0x00, septets.length, packSeptets(septets));
  const ours = decodePdu(hex);
  assert.ok(ours.type === 'deliver');
  assert.equal(ours.text, '[a]€');
  assert.equal(ours.coding, 'gsm7');
  assert.equal(ours.concat, null);
  assert.equal(ours.class0, false);
  const theirs = parse(hex);
  assert.ok(theirs instanceof Deliver);
  assert.equal(theirs.data.getText(), '[a]€');
});

test('a UCS-2 DELIVER decodes to its text', () => {
  const body = Buffer.from('Merci ☺ à bientôt', 'utf16le').swap16();
  const out = decodePdu(deliverHex(0x08, body.length, body));
  assert.equal(out.type === 'deliver' && out.text, 'Merci ☺ à bientôt');
  assert.equal(out.type === 'deliver' && out.coding, 'ucs2');
});

test('a concatenated GSM-7 DELIVER part yields its reference and position and the text after the header', () => {
  // SMSC 91 4477..., first octet 0x44 (DELIVER, UDHI), OA +15557654321, DCS 0, SCTS, UDL, UDH 050003 2A 02 01, "Hello"
  const septets = [...'Hello'].map((c) => c.charCodeAt(0));
  const ud = Buffer.concat([Buffer.from([0x05, 0x00, 0x03, 0x2a, 0x02, 0x01]), packSeptets(septets, 1)]);
  const hex = `07914477790700F0440B915155674523F10000${'32101141650040'}${(7 + 5).toString(16).padStart(2, '0')}${ud.toString('hex')}`;
  const out = decodePdu(hex);
  assert.ok(out.type === 'deliver');
  assert.deepEqual(out.concat, { reference: 0x2a, parts: 2, part: 1 });
  assert.equal(out.text, 'Hello');
  assert.equal(new Date(out.sentAt).toISOString(), '2023-01-11T13:56:00.000Z');
});

test('class-0 and WAP-push (MMS notification) DELIVERs are flagged so they can be ignored', () => {
  const flash = decodePdu('00040B915155674523F10010321011416500400548656C6C6F'.replace('48656C6C6F', packSeptets([...'Hello'].map((c) => c.charCodeAt(0))).toString('hex')));
  assert.ok(flash.type === 'deliver' && flash.class0);
  const wap = decodePdu('00440B915155674523F100043210114165004009060504' + '0B8423F0' + 'AA');
  assert.ok(wap.type === 'deliver');
  assert.equal(wap.applicationPort, 0x0b84);
  assert.equal(wap.coding, 'binary');
});

test('a STATUS-REPORT gives the message reference it reports on and whether it was delivered', () => {
  // first octet 0x06 (status report), MR 0x2A, RA +15551234567, SCTS, DT, ST 00
  const ts = '32101141650040';
  const ok = decodePdu(`0006` + `2A` + `0B915155214365F7` + ts + ts + `00`);
  assert.deepEqual(ok.type === 'status-report' && [ok.reference, ok.recipient, ok.status], [42, '+15551234567', 'delivered']);
  const failed = decodePdu(`00062B0B915155214365F7${ts}${ts}41`);
  assert.equal(failed.type === 'status-report' && failed.status, 'failed');
  const trying = decodePdu(`00062C0B915155214365F7${ts}${ts}20`);
  assert.equal(trying.type === 'status-report' && trying.status, 'pending');
});

test('bad PDUs throw PduError instead of crashing the reader', () => {
  assert.throws(() => decodePdu('zz'), PduError);
  assert.throws(() => decodePdu('0004'), PduError);
  assert.throws(() => decodePdu('0001000B91'), PduError, 'a SUBMIT is not something the modem delivers');
});

test('septets round-trip through packing at every fill offset', () => {
  const s = [0, 1, 0x7f, 0x1b, 0x65, 64, 100];
  for (let fill = 0; fill < 7; fill++) assert.deepEqual(unpackSeptets(packSeptets(s, fill), s.length, fill), s);
  assert.equal(isGsm7('plain text {}'), true);
  assert.equal(isGsm7('日本'), false);
});
