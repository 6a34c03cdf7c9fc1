import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FakeClock, settle } from '../shared/fake-clock.js';
import { AtChannel, type Unsolicited } from './at-channel.js';
import { AtError } from './errors.js';

function channel(): { ch: AtChannel; clock: FakeClock; written: string[]; urcs: Unsolicited[] } {
  const clock = new FakeClock();
  const written: string[] = [];
  const ch = new AtChannel({ clock, write: (d) => written.push(d) });
  const urcs: Unsolicited[] = [];
  ch.on('unsolicited', (u) => urcs.push(u));
  return { ch, clock, written, urcs };
}

test('a command resolves with its information lines on OK, echo removed', async () => {
  const { ch, written } = channel();
  const reply = ch.run('AT+CSQ');
  assert.deepEqual(written, ['AT+CSQ\r']);
  ch.feed('AT+CSQ\r\r\n+CSQ: 20,99\r\n\r\nOK\r\n');
  assert.deepEqual(await reply, { lines: ['+CSQ: 20,99'] });
});

test('only one command is in flight: the second is written after the first one ends', async () => {
  const { ch, written } = channel();
  const a = ch.run('AT');
  const b = ch.run('ATI');
  assert.deepEqual(written, ['AT\r']);
  ch.feed('\r\nOK\r\n');
  await a;
  assert.deepEqual(written, ['AT\r', 'ATI\r']);
  ch.feed('Quectel\r\nEC25\r\nOK\r\n');
  assert.deepEqual((await b).lines, ['Quectel', 'EC25']);
});

test('the "> " prompt (no line end after it) gets the PDU and Ctrl-Z; the +CMGS reply follows', async () => {
  const { ch, written } = channel();
  const reply = ch.run('AT+CMGS=18', { pdu: '0011ABCD', timeoutMs: 120_000 });
  ch.feed('\r\n> ');
  assert.deepEqual(written, ['AT+CMGS=18\r', '0011ABCD\x1a']);
  ch.feed('\r\n+CMGS: 42\r\n\r\nOK\r\n');
  assert.deepEqual((await reply).lines, ['+CMGS: 42']);
});

test('a +CMTI and a +CDS with its PDU line arriving in the middle of a reply are URCs, not reply lines', async () => {
  const { ch, urcs } = channel();
  const reply = ch.run('AT+CMGR=1');
  ch.feed('\r\n+CMGR: 0,,24\r\n+CMTI: "SM",2\r\n');
  ch.feed('\r\n+CDS: 25\r\n0006');
  ch.feed('2A0B91\r\n07914477\r\n\r\nOK\r\n');
  assert.deepEqual((await reply).lines, ['+CMGR: 0,,24', '07914477']);
  assert.deepEqual(urcs, [
    { code: '+CMTI', value: '"SM",2' },
    { code: '+CDS', value: '25', pdu: '00062A0B91' },
  ]);
});

test('+CREG is a reply to AT+CREG? but a URC at any other time; RING and +CLIP are URCs', async () => {
  const { ch, urcs } = channel();
  const reply = ch.run('AT+CREG?');
  ch.feed('\r\n+CREG: 0,5\r\n\r\nOK\r\n');
  assert.deepEqual((await reply).lines, ['+CREG: 0,5']);
  ch.feed('\r\n+CREG: 1\r\n\r\nRING\r\n\r\n+CLIP: "+15551234567",145\r\n');
  assert.deepEqual(urcs.map((u) => [u.code, u.value]), [
    ['+CREG', '1'],
    ['RING', ''],
    ['+CLIP', '"+15551234567",145'],
  ]);
});

test('+CMS ERROR and +CME ERROR reject with the fault they mean, numeric or verbose', async () => {
  const { ch } = channel();
  const a = ch.run('AT+CMGS=10', { pdu: '00' });
  ch.feed('\r\n+CMS ERROR: 330\r\n');
  await assert.rejects(a, (e: unknown) => e instanceof AtError && e.kind === 'cms' && e.fault === 'unknown-smsc');
  const b = ch.run('AT+CPIN?');
  ch.feed('\r\n+CME ERROR: SIM not inserted\r\n');
  await assert.rejects(b, (e: unknown) => e instanceof AtError && e.kind === 'cme' && e.fault === 'no-sim');
  const c = ch.run('AT+CPMS?');
  ch.feed('\r\n+CMS ERROR: 322\r\n');
  await assert.rejects(c, (e: unknown) => e instanceof AtError && e.fault === 'storage-full');
});

test('a hung AT+CMGS times out after its own 120 s, is cancelled with ESC, and the next command goes out', async () => {
  const { ch, clock, written } = channel();
  const hung = ch.run('AT+CMGS=18', { pdu: '0011', timeoutMs: 120_000 });
  const after = ch.run('AT');
  ch.feed('\r\n> ');
  const errors: unknown[] = [];
  hung.catch((e: unknown) => errors.push(e));
  clock.advance(119_999);
  await settle();
  assert.equal(errors.length, 0, 'still waiting just before 120 s');
  clock.advance(1);
  await settle();
  const err = errors[0];
  assert.ok(err instanceof AtError && err.kind === 'timeout');
  assert.deepEqual(written, ['AT+CMGS=18\r', '0011\x1a', '\x1b', 'AT\r']);
  ch.feed('\r\nOK\r\n');
  assert.deepEqual((await after).lines, []);
});

test('close() fails the command in flight and the queued ones, and later commands at once', async () => {
  const { ch } = channel();
  const a = ch.run('AT');
  const b = ch.run('AT+CSQ');
  ch.close('unplugged');
  await assert.rejects(a, (e: unknown) => e instanceof AtError && e.kind === 'closed');
  await assert.rejects(b, (e: unknown) => e instanceof AtError && e.kind === 'closed');
  await assert.rejects(ch.run('AT'), (e: unknown) => e instanceof AtError && e.kind === 'closed');
});

test('output nobody asked for (boot banners) is ignored without breaking the next reply', async () => {
  const { ch } = channel();
  ch.feed('\r\nRDY\r\n\r\n+QIND: SMS DONE\r\n');
  const r = ch.run('AT');
  ch.feed('\r\nOK\r\n');
  assert.deepEqual((await r).lines, []);
});
