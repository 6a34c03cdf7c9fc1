// The real driver (AtModem over serialport 13) against the fake modem on a socat pseudo-terminal.
// I/O is real; the driver's timers (command timeouts, re-open, polling) run on a FakeClock.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { parse, Submit } from 'node-pdu';
import { createLogger } from '../../appliance/log.js';
import { FakeClock, settle } from '../../appliance/shared/fake-clock.js';
import { AtModem, type AtModemOptions } from '../../appliance/sms/at-modem.js';
import { AtError } from '../../appliance/sms/errors.js';
import type { DeliveryReport, InboundSms } from '../../appliance/sms/modem.js';
import { openSerialPort } from '../../appliance/sms/serial-link.js';
import { FakeModem } from '../helpers/fake-modem.js';
import { deliverPdu, statusReportPdu } from '../helpers/sms-pdus.js';
import { until } from '../helpers/until.js';

const log = createLogger({ level: 'silent' });
const open: Array<{ modem: AtModem; fake: FakeModem }> = [];
after(async () => {
  for (const { modem, fake } of open) {
    await modem.stop();
    await fake.close();
  }
});

interface Rig {
  fake: FakeModem;
  modem: AtModem;
  clock: FakeClock;
  inbox: InboundSms[];
  reports: DeliveryReport[];
}

async function rig(setup: (fake: FakeModem) => void = () => undefined, options: AtModemOptions = {}): Promise<Rig> {
  const fake = new FakeModem();
  setup(fake);
  await fake.plug();
  const clock = new FakeClock();
  const modem = new AtModem({ clock, log, device: fake.device, openLink: openSerialPort, options });
  open.push({ modem, fake });
  const inbox: InboundSms[] = [];
  const reports: DeliveryReport[] = [];
  modem.on('message', (m) => inbox.push(m));
  modem.on('report', (r) => reports.push(r));
  await modem.start();
  return { fake, modem, clock, inbox, reports };
}

function submitted(hex: string): { to: string; text: string } {
  const p = parse(hex);
  assert.ok(p instanceof Submit);
  return { to: p.address.phone ?? '', text: p.data.getText() };
}

test('start-up: echo off, verbose errors, SIM, PDU mode, registration, signal in dBm and bars, operator, indications', async () => {
  const { fake, modem } = await rig();
  const st = modem.status();
  assert.equal(st.state, 'ready');
  assert.equal(st.sim, 'ready');
  assert.equal(st.registered, true);
  assert.deepEqual(st.signal, { dBm: -71, bars: 4 });
  assert.equal(st.operator, 'Test Mobile');
  const order = ['ATE0', 'AT+CMEE=2', 'AT+CPIN?', 'AT+CMGF=0', 'AT+CREG?', 'AT+CEREG?', 'AT+CSQ', 'AT+CNMI=2,1,0,1,0', 'AT+CMGL=4'];
  const positions = order.map((c) => fake.commands.indexOf(c));
  assert.ok(positions.every((p) => p >= 0), `every start-up command was sent: ${fake.commands.join(' ')}`);
  assert.deepEqual([...positions].sort((a, b) => a - b), positions, 'in this order');
});

test('an LTE-only network registers on CEREG while CREG says not registered', async () => {
  const { modem } = await rig((f) => {
    f.script.creg = 0;
    f.script.cereg = 1;
  });
  assert.equal(modem.status().registered, true);
  assert.equal(modem.status().state, 'ready');
});

test('sends a single GSM-7 text, a 2-part GSM-7 text and a 2-part UCS-2 text that an independent decoder reads back', async () => {
  const { fake, modem } = await rig();
  const one = await modem.send('+15551234567', 'Sorry we missed your call at Glow Med Spa. How can we help?', { statusReport: true });
  assert.equal(one.references.length, 1);
  assert.deepEqual(submitted(fake.sent[0] ?? ''), { to: '15551234567', text: 'Sorry we missed your call at Glow Med Spa. How can we help?' });
  const long = `Your appointment is confirmed. ${'Please arrive ten minutes early. '.repeat(5)}`;
  const two = await modem.send('+15551234567', long, { statusReport: false });
  assert.equal(two.references.length, 2);
  assert.equal(fake.sent.slice(1, 3).map((h) => submitted(h).text).join(''), long);
  const uni = `Merci ☺ ${'à bientôt '.repeat(8)}`;
  const three = await modem.send('+15551234567', uni, { statusReport: false });
  assert.equal(three.references.length, 2);
  assert.equal(fake.sent.slice(3, 5).map((h) => submitted(h).text).join(''), uni);
});

test('+CMTI: the message is read, handed on and deleted from the SIM', async () => {
  const { fake, inbox } = await rig();
  fake.deliver(deliverPdu('+15557654321', 'Do you have anything Saturday?'));
  await until(() => inbox.length === 1 && fake.storage.size === 0, 'the message read and deleted');
  assert.equal(inbox[0]?.from, '+15557654321');
  assert.equal(inbox[0]?.text, 'Do you have anything Saturday?');
  assert.ok(fake.commands.some((c) => /^AT\+CMGD=\d+$/.test(c)));
});

test('a 3-part message arriving out of order is reassembled, one +CMTI arriving in the middle of a send', async () => {
  const { fake, modem, inbox } = await rig();
  const from = '+15557654321';
  const parts = ['Hello, I would like ', 'to book a facial ', 'next Tuesday.'];
  fake.deliver(deliverPdu(from, parts[2] ?? '', { concat: { reference: 9, parts: 3, part: 3 } }));
  const idx = fake.store(deliverPdu(from, parts[0] ?? '', { concat: { reference: 9, parts: 3, part: 1 } }));
  fake.script.injectMidReply.push(`+CMTI: "SM",${idx}`);
  await modem.send('+15551234567', 'hi', { statusReport: false });
  fake.deliver(deliverPdu(from, parts[1] ?? '', { concat: { reference: 9, parts: 3, part: 2 } }));
  await until(() => inbox.length === 1, 'the reassembled message');
  assert.deepEqual(inbox[0], { from, text: parts.join(''), sentAt: inbox[0]?.sentAt, parts: 3, complete: true });
  await until(() => fake.storage.size === 0, 'every part deleted');
});

test('a multi-part message missing a part is delivered with a gap when its expiry passes', async () => {
  const { fake, clock, inbox } = await rig(() => undefined, { reassemblyMs: 60_000 });
  fake.deliver(deliverPdu('+15557654321', 'first half, ', { concat: { reference: 4, parts: 2, part: 1 } }));
  await until(() => fake.storage.size === 0, 'the part read');
  assert.equal(inbox.length, 0);
  clock.advance(60_000);
  assert.equal(inbox.length, 1);
  assert.equal(inbox[0]?.text, 'first half, […]');
  assert.equal(inbox[0]?.complete, false);
});

test('messages left in storage are swept at start; class-0 and MMS notifications are dropped and deleted', async () => {
  const { fake, inbox } = await rig((f) => {
    f.store(deliverPdu('+15550000001', 'sent while you were off'));
    f.store(deliverPdu('+15550000002', 'flash!', { dcs: 0x10 }));
    f.store('00440B915155000000F300F432101141650040090605040B8423F0AA');
  });
  assert.deepEqual(inbox.map((m) => m.text), ['sent while you were off']);
  assert.equal(fake.storage.size, 0);
});

test('a delivery report (+CDS) carries the reference AT+CMGS answered for the part', async () => {
  const { fake, modem, reports } = await rig();
  const { references } = await modem.send('+15551234567', 'See you tomorrow', { statusReport: true });
  fake.statusReport(statusReportPdu(references[0] ?? -1, '+15551234567', 0x00));
  await until(() => reports.length === 1, 'the report');
  assert.deepEqual(reports[0], { reference: references[0], recipient: '+15551234567', status: 'delivered' });
});

test('no SIM: the state says so and sending is refused with the fault', async () => {
  const { modem } = await rig((f) => (f.script.sim = 'absent'));
  assert.equal(modem.status().state, 'no-sim');
  assert.equal(modem.status().sim, 'absent');
  await assert.rejects(modem.send('+15551234567', 'hi', { statusReport: false }), (e: unknown) => e instanceof AtError && e.fault === 'no-sim');
});

test('a SIM that needs a PIN and none is set stays pin-needed; the PIN is never guessed', async () => {
  const { fake, modem } = await rig((f) => (f.script.sim = 'pin'));
  assert.equal(modem.status().state, 'pin-needed');
  assert.equal(fake.pinAttempts, 0);
});

test('a wrong PIN is tried exactly once, even across later start-up retries', async () => {
  const { fake, modem, clock } = await rig((f) => {
    f.script.sim = 'pin';
    f.script.pin = '0000';
  }, { pin: '1234', pollMs: 1000 });
  assert.equal(modem.status().state, 'pin-needed');
  for (let i = 0; i < 3; i++) {
    const asked = fake.commands.filter((c) => c === 'AT+CPIN?').length;
    clock.advance(1000);
    await until(() => fake.commands.filter((c) => c === 'AT+CPIN?').length > asked, 'a start-up retry reading the SIM again');
  }
  assert.equal(fake.pinAttempts, 1);
});

test('the right PIN unlocks the SIM and the modem comes up ready', async () => {
  const { fake, modem } = await rig((f) => (f.script.sim = 'pin'), { pin: '1234' });
  assert.equal(modem.status().state, 'ready');
  assert.equal(fake.pinAttempts, 1);
});

test('no network: the state is no-network and a send fails with that fault', async () => {
  const { fake, modem } = await rig((f) => (f.script.creg = 2));
  assert.equal(modem.status().state, 'no-network');
  assert.equal(fake.script.creg, 2);
  await assert.rejects(modem.send('+15551234567', 'hi', { statusReport: false }), (e: unknown) => e instanceof AtError && e.fault === 'no-network');
});

test('+CMS ERROR 330 on a send is "unknown SMSC"; 322 is "storage full"; the state and last error say so', async () => {
  const { fake, modem } = await rig();
  fake.script.cmgsError = '+CMS ERROR: 330';
  await assert.rejects(modem.send('+15551234567', 'hi', { statusReport: false }), (e: unknown) => e instanceof AtError && e.fault === 'unknown-smsc');
  assert.equal(modem.status().state, 'unknown-smsc');
  assert.match(modem.status().lastError ?? '', /CMS ERROR: 330/);
  fake.script.cmgsError = '+CMS ERROR: 322';
  await assert.rejects(modem.send('+15551234567', 'hi', { statusReport: false }), (e: unknown) => e instanceof AtError && e.fault === 'storage-full');
  assert.equal(modem.status().state, 'storage-full');
});

test('a hung AT+CMGS times out at 120 s on the clock and is cancelled with ESC; the modem answers the next command', async () => {
  const { fake, modem, clock } = await rig();
  fake.script.cmgsHangs = true;
  const hung = modem.send('+15551234567', 'hi', { statusReport: false });
  const errors: unknown[] = [];
  hung.catch((e: unknown) => errors.push(e));
  await until(() => fake.sent.length === 1, 'the PDU sent');
  clock.advance(119_000);
  // A timeout at 119 s would reject within a turn or two of the event loop (the timer fires inside advance()).
  for (let i = 0; i < 50; i++) await settle();
  assert.equal(errors.length, 0);
  clock.advance(1_000);
  await until(() => errors.length === 1 && fake.cancels === 1, 'the timeout and the ESC');
  assert.ok(errors[0] instanceof AtError && errors[0].kind === 'timeout');
  fake.script.cmgsHangs = false;
  const ok = await modem.send('+15551234567', 'again', { statusReport: false });
  assert.equal(ok.references.length, 1);
});

test('unplugged: the state is unplugged; plugged back at the same path, it is re-opened and sends again', async () => {
  const { fake, modem, clock } = await rig(() => undefined, { reopenMs: 5000 });
  await fake.unplug();
  await until(() => modem.status().state === 'unplugged', 'the unplug noticed');
  await assert.rejects(modem.send('+15551234567', 'hi', { statusReport: false }), (e: unknown) => e instanceof AtError && e.kind === 'closed');
  await fake.plug();
  clock.advance(5000);
  await until(() => modem.status().state === 'ready', 'the modem ready again', 10_000);
  const sent = await modem.send('+15551234567', 'back again', { statusReport: false });
  assert.equal(sent.references.length, 1);
  assert.equal(submitted(fake.sent.at(-1) ?? '').text, 'back again');
});
