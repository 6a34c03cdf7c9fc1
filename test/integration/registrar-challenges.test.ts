// Digest credentials go only to the configured registrar. Real SipAgent + SipTransport on
// 127.0.0.1 against scripted raw UDP peers: the registrar on 127.0.0.1, an impostor and a staff
// phone on 127.0.0.5 (Linux answers for all of 127.0.0.0/8). The agent's timers (the registration's
// back-off) run on a FakeClock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { createLogger } from '../../appliance/log.js';
import { FakeClock } from '../../appliance/shared/fake-clock.js';
import { CallLog } from '../../appliance/telephony/call-log.js';
import { CallManager } from '../../appliance/telephony/call-manager.js';
import type { CallMediaFactory } from '../../appliance/telephony/call-media.js';
import { SipAgent, sipNetwork } from '../../appliance/telephony/sip-agent.js';
import { SipTransport } from '../../appliance/telephony/transport/index.js';
import { openTestSpa } from '../helpers/spa.js';
import { until } from '../helpers/until.js';

const log = createLogger({ level: 'silent' });

interface Peer {
  socket: Socket;
  port: number;
  /** Requests received, in order. */
  requests: string[];
  reply(request: string, to: RemoteInfo, status: number, extra?: string[]): void;
  close(): Promise<void>;
}

/** A raw UDP SIP peer at `address`; `onRequest` decides what to do with each request. */
async function peer(address: string, onRequest: (p: Peer, text: string, from: RemoteInfo) => void): Promise<Peer> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  const p: Peer = {
    socket,
    port: socket.address().port,
    requests: [],
    reply(request, to, status, extra = []) {
      const header = (name: string): string => new RegExp(`^${name}:.*$`, 'mi').exec(request)?.[0] ?? '';
      const text = [
        `SIP/2.0 ${status} ${status === 200 ? 'OK' : status === 401 ? 'Unauthorized' : 'Proxy Authentication Required'}`,
        header('Via'),
        header('From'),
        `${header('To')};tag=peer-${p.port}`,
        header('Call-ID'),
        header('CSeq'),
        ...(status === 200 && request.startsWith('REGISTER ') ? [header('Contact')] : []),
        ...extra,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      socket.send(text, to.port, to.address);
    },
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
  socket.on('message', (msg, from) => {
    const text = msg.toString();
    if (text.startsWith('SIP/2.0')) return;
    p.requests.push(text);
    onRequest(p, text, from);
  });
  return p;
}

async function startAgent(registrar: string | null, clock: FakeClock) {
  const spa = openTestSpa();
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
    registration: { registrar, username: '250', password: 'secret', expiresS: 300 },
    addresses: () => 'fixed',
  });
  await agent.start();
  return {
    agent,
    transport,
    stop: async () => {
      await agent.stop();
      spa.close();
    },
  };
}

const SDP = ['v=0', 'o=- 1 1 IN IP4 127.0.0.1', 's=-', 'c=IN IP4 127.0.0.1', 't=0 0', 'm=audio 40000 RTP/AVP 0', ''].join('\r\n');

test("a 401 to the box's REGISTER from an address that is not the registrar is not answered; the registrar's own challenge is", async () => {
  const impostor = await peer('127.0.0.5', () => undefined);
  let forged = false;
  const registrar = await peer('127.0.0.1', (p, text, from) => {
    if (!forged) {
      // The first REGISTER is answered by someone else, with a challenge of its own.
      forged = true;
      const header = (name: string): string => new RegExp(`^${name}:.*$`, 'mi').exec(text)?.[0] ?? '';
      const challenge = ['SIP/2.0 401 Unauthorized', header('Via'), header('From'), `${header('To')};tag=evil`, header('Call-ID'), header('CSeq'), 'WWW-Authenticate: Digest realm="evil", nonce="impostor-nonce", algorithm=MD5', 'Content-Length: 0', '', ''].join('\r\n');
      impostor.socket.send(challenge, from.port, from.address);
      return;
    }
    if (!/^Authorization:/im.test(text)) p.reply(text, from, 401, ['WWW-Authenticate: Digest realm="pbx", nonce="registrar-nonce", algorithm=MD5']);
    else p.reply(text, from, 200);
  });
  const clock = new FakeClock();
  const box = await startAgent(`127.0.0.1:${registrar.port}`, clock);
  try {
    await until(() => box.agent.stats.challengesWithheld === 1, 'the forged challenge reached the agent');
    await until(() => box.agent.registrationStatus()?.lastError?.startsWith('401') === true, 'the attempt failed on the unanswered 401');
    assert.equal(registrar.requests.length, 1, 'no REGISTER answered the impostor');
    clock.advance(2400); // the back-off before the next attempt (2 s after one failure, +20 % jitter at most)
    await until(() => box.agent.registrationStatus()?.registered === true, 'registered with the registrar');
    assert.equal(registrar.requests.length, 3, 'a fresh REGISTER, then one answering the registrar');
    assert.ok(!/^Authorization:/im.test(registrar.requests[1] ?? ''));
    const answer = /^Authorization:.*$/im.exec(registrar.requests[2] ?? '')?.[0] ?? '';
    assert.match(answer, /nonce="registrar-nonce"/);
    assert.ok(!registrar.requests.some((r) => r.includes('impostor-nonce')), 'the impostor nonce was never answered');
    assert.equal(impostor.requests.length, 0);
  } finally {
    await box.stop();
    await registrar.close();
    await impostor.close();
  }
});

test('a staff phone that is not the registrar asking for credentials (407) gets none: the box gives up the call; the registrar asking is answered', async () => {
  const staff = await peer('127.0.0.5', (p, text, from) => {
    if (text.startsWith('INVITE ')) p.reply(text, from, 407, ['Proxy-Authenticate: Digest realm="pbx", nonce="relay-me", algorithm=MD5']);
  });
  const pbx = await peer('127.0.0.1', (p, text, from) => {
    if (text.startsWith('REGISTER ')) p.reply(text, from, 200);
    else if (text.startsWith('INVITE ') && !/^Proxy-Authorization:/im.test(text)) p.reply(text, from, 407, ['Proxy-Authenticate: Digest realm="pbx", nonce="pbx-nonce", algorithm=MD5']);
    else if (text.startsWith('INVITE ')) p.reply(text, from, 486);
  });
  const box = await startAgent(`127.0.0.1:${pbx.port}`, new FakeClock());
  try {
    await until(() => box.agent.registrationStatus()?.registered === true, 'registered');
    const toStaff = await box.agent.dial(`sip:201@127.0.0.5:${staff.port}`, SDP, { timeoutMs: 10_000, onBye: () => undefined });
    assert.deepEqual(toStaff, { status: 407 });
    await until(() => staff.requests.some((r) => r.startsWith('ACK ')), 'the 407 was ACKed');
    const invites = staff.requests.filter((r) => r.startsWith('INVITE '));
    assert.equal(invites.length, 1, 'no second INVITE with credentials');
    assert.ok(!staff.requests.some((r) => /^Proxy-Authorization:/im.test(r)));
    assert.equal(box.agent.stats.challengesWithheld, 1);

    const viaPbx = await box.agent.dial(`sip:201@127.0.0.1:${pbx.port}`, SDP, { timeoutMs: 10_000, onBye: () => undefined });
    assert.deepEqual(viaPbx, { status: 486 }, 'the PBX took the credentials, then refused the call');
    const answered = pbx.requests.filter((r) => r.startsWith('INVITE ') && /^Proxy-Authorization:.*nonce="pbx-nonce"/im.test(r));
    assert.equal(answered.length, 1);
    assert.equal(box.agent.stats.challengesWithheld, 1);
  } finally {
    await box.stop();
    await pbx.close();
    await staff.close();
  }
});
