// Registered-extension mode against a scripted registrar on a raw UDP socket: retry with backoff
// while the registrar fails, refresh, and register again at once when the network changes. The
// registration's timers are the test's: it checks the delay each retry was set for and runs it,
// instead of sleeping through the ~2 s backoff.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo } from 'node:dgram';
import { createLogger } from '../../appliance/log.js';
import { CallLog } from '../../appliance/telephony/call-log.js';
import { CallManager, type Timers } from '../../appliance/telephony/call-manager.js';
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

/** setTimeout/clearTimeout that run only when the test says so, and show the delays asked for. */
function manualTimers(): Timers & { delays(): number[]; runAll(): void } {
  const pending = new Map<() => void, number>();
  return {
    setTimeout: (fn, ms) => {
      pending.set(fn, ms);
      return fn;
    },
    clearTimeout: (h) => pending.delete(h as () => void),
    delays: () => [...pending.values()],
    runAll() {
      const due = [...pending.keys()];
      pending.clear();
      for (const fn of due) fn();
    },
  };
}

test('registration retries with backoff while the registrar fails, and registers again when the network changes', async () => {
  const registrar = fakeRegistrar([503, 200]);
  const port = await registrar.start();
  const spa = openTestSpa();
  const log = createLogger({ level: 'silent' });
  let addresses = 'eth0=192.168.1.20';
  const timers = manualTimers();
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
    clock: { now: () => Date.now() },
    log,
    network: sipNetwork(transport),
    calls,
    userAgent: 'test',
    registration: { registrar: `127.0.0.1:${port}`, username: '250', password: 'pw', expiresS: 300 },
    addresses: () => addresses,
    networkPollMs: 50,
    timers,
  });
  try {
    await agent.start();
    // The first REGISTER gets 503: a retry is set for the backoff (2 s, jittered by up to 20%).
    await until(() => timers.delays().length === 1, 'the retry after the 503', 10_000);
    assert.equal(registrar.registers.length, 1);
    const [retryMs] = timers.delays();
    assert.ok(retryMs !== undefined && retryMs >= 1500 && retryMs <= 3000, `retry set for ${retryMs} ms (backoff ~2 s)`);
    timers.runAll();
    await until(() => agent.registrationStatus()?.registered === true, 'registered', 10_000);
    assert.equal(registrar.registers.length, 2);
    assert.match(registrar.registers[1]?.text ?? '', /^Contact: <sip:250@127\.0\.0\.1:\d+>;expires=300/m);
    assert.match(registrar.registers[1]?.text ?? '', /^Expires: 300/m);
    // Registered: the refresh is set for before the 300 s run out.
    assert.deepEqual(timers.delays(), [270_000]);

    addresses = 'eth0=192.168.1.77';
    // The network change replaces the refresh by a REGISTER at once.
    await until(() => timers.delays().includes(0), 'the REGISTER after the network change', 2000);
    assert.deepEqual(timers.delays(), [0]);
    timers.runAll();
    await until(() => registrar.registers.length === 3, 'the third REGISTER', 2000);
    assert.ok(agent.registrationStatus()?.registered);
  } finally {
    await agent.stop();
    await registrar.stop();
    spa.close();
  }
});
