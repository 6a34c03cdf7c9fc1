// Registered-extension mode against a scripted registrar on a raw UDP socket: retry with backoff
// while the registrar fails, refresh, and register again at once when the network changes. The
// agent's timers (back-off, network watch) run on a FakeClock; only the UDP exchange is awaited.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { createLogger } from '../../appliance/log.js';
import { FakeClock } from '../../appliance/shared/fake-clock.js';
import { CallLog } from '../../appliance/telephony/call-log.js';
import { CallManager } from '../../appliance/telephony/call-manager.js';
import type { CallMediaFactory } from '../../appliance/telephony/call-media.js';
import { SipAgent, sipNetwork } from '../../appliance/telephony/sip-agent.js';
import { SipTransport } from '../../appliance/telephony/transport/index.js';
import { openTestSpa } from '../helpers/spa.js';
import { until } from '../helpers/until.js';

/** Answers each REGISTER with the next status of `script` (the last one repeats). */
function fakeRegistrar(script: number[]) {
  const socket = createSocket('udp4');
  const registers: { text: string }[] = [];
  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    const text = msg.toString();
    if (!text.startsWith('REGISTER ')) return;
    registers.push({ text });
    const status = script[Math.min(registers.length - 1, script.length - 1)] ?? 200;
    const header = (name: string): string => new RegExp(`^${name}:.*$`, 'mi').exec(text)?.[0] ?? '';
    const reply = [
      `SIP/2.0 ${status} ${status === 200 ? 'OK' : 'Service Unavailable'}`,
      header('Via'),
      header('From'),
      `${header('To')};tag=reg1`,
      header('Call-ID'),
      header('CSeq'),
      ...(status === 200 ? [`${header('Contact')}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    socket.send(reply, rinfo.port, rinfo.address);
  });
  return {
    registers,
    start: () => new Promise<number>((r) => socket.bind(0, '127.0.0.1', () => r(socket.address().port))),
    stop: () => new Promise<void>((r) => socket.close(() => r())),
  };
}

test('registration retries with backoff while the registrar fails, and registers again when the network changes', async () => {
  const registrar = fakeRegistrar([503, 200]);
  const port = await registrar.start();
  const spa = openTestSpa();
  const log = createLogger({ level: 'silent' });
  let addresses = 'eth0=192.168.1.20';
  const clock = new FakeClock();
  const transport = new SipTransport({ log, bind: '127.0.0.1', port: 0, allowNetworks: ['127.0.0.0/8'] });
  const calls = new CallManager({
    clock: spa.clock,
    log,
    calls: new CallLog({ db: spa.db }),
    media: {} as CallMediaFactory,
    handler: { handle: () => undefined },
    settings: { ringTimeoutS: 0, maxCalls: 1, record: false, transferTo: null },
  });
  const agent = new SipAgent({
    clock,
    log,
    network: sipNetwork(transport),
    calls,
    userAgent: 'test',
    registration: { registrar: `127.0.0.1:${port}`, username: '250', password: 'pw', expiresS: 300 },
    addresses: () => addresses,
    networkPollMs: 50,
  });
  try {
    await agent.start();
    await until(() => agent.registrationStatus()?.lastError?.startsWith('503') === true, 'the first REGISTER refused (503)');
    assert.equal(registrar.registers.length, 1);
    // Back-off after one failure: 2 s with +-20 % jitter, so no retry before 1.6 s and one by 2.4 s.
    clock.advance(1599);
    assert.equal(agent.registrationStatus()?.attempts, 1, 'no retry before 1.6 s');
    clock.advance(801);
    await until(() => agent.registrationStatus()?.registered === true, 'registered on the retry');
    assert.equal(registrar.registers.length, 2);
    assert.match(registrar.registers[1]?.text ?? '', /^Contact: <sip:250@127\.0\.0\.1:\d+>;expires=300/m);
    assert.match(registrar.registers[1]?.text ?? '', /^Expires: 300/m);

    addresses = 'eth0=192.168.1.77';
    clock.advance(50); // the next network check
    await until(() => registrar.registers.length === 3, 'a REGISTER for the new address');
    assert.ok(agent.registrationStatus()?.registered);
  } finally {
    await agent.stop();
    await registrar.stop();
    spa.close();
  }
});
