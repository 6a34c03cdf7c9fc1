// Registered-extension mode against a scripted registrar on a raw UDP socket: retry with backoff
// while the registrar fails, refresh, and register again at once when the network changes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { createLogger } from '../../appliance/log.js';
import { systemClock } from '../../appliance/shared/clock.js';
import { CallLog } from '../../appliance/telephony/call-log.js';
import { CallManager } from '../../appliance/telephony/call-manager.js';
import type { CallMediaFactory } from '../../appliance/telephony/call-media.js';
import { SipAgent, sipNetwork } from '../../appliance/telephony/sip-agent.js';
import { SipTransport } from '../../appliance/telephony/transport/index.js';
import { openTestSpa } from '../helpers/spa.js';

/** Answers each REGISTER with the next status of `script` (the last one repeats). */
function fakeRegistrar(script: number[]) {
  const socket = createSocket('udp4');
  const registers: { at: number; text: string }[] = [];
  socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => {
    const text = msg.toString();
    if (!text.startsWith('REGISTER ')) return;
    registers.push({ at: Date.now(), text });
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

async function until(cond: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

test('registration retries with backoff while the registrar fails, and registers again when the network changes', async () => {
  const registrar = fakeRegistrar([503, 200]);
  const port = await registrar.start();
  const spa = openTestSpa();
  const log = createLogger({ level: 'silent' });
  let addresses = 'eth0=192.168.1.20';
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
    clock: systemClock,
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
    await until(() => agent.registrationStatus()?.registered === true, 10_000);
    assert.equal(registrar.registers.length, 2);
    const gap = (registrar.registers[1]?.at ?? 0) - (registrar.registers[0]?.at ?? 0);
    assert.ok(gap >= 1500 && gap <= 3000, `retried after ${gap} ms (backoff ~2 s)`);
    assert.match(registrar.registers[1]?.text ?? '', /^Contact: <sip:250@127\.0\.0\.1:\d+>;expires=300/m);
    assert.match(registrar.registers[1]?.text ?? '', /^Expires: 300/m);

    addresses = 'eth0=192.168.1.77';
    await until(() => registrar.registers.length === 3, 2000);
    assert.ok(agent.registrationStatus()?.registered);
  } finally {
    await agent.stop();
    await registrar.stop();
    spa.close();
  }
});
