// The transport's guards at intake, over real loopback sockets from several 127.0.0.0/8 addresses
// (Linux answers for the whole block): the allow-list applied to the source address before any
// parsing, and the TCP caps and message deadline. Deadlines run on a FakeClock.
import assert from 'node:assert/strict';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, type Socket } from 'node:net';
import { afterEach, describe, test } from 'node:test';
import { createLogger } from '../../log.js';
import { FakeClock } from '../../shared/fake-clock.js';
import { sipRequest, sipResponse } from './sip-fixtures.js';
import { SipTransport, type ReceivedMessage, type SipTransportDeps } from './sip-transport.js';

const log = createLogger({ level: 'silent' });
const cleanup: (() => unknown)[] = [];

afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function startTransport(extra: Partial<SipTransportDeps> = {}) {
  const clock = new FakeClock();
  const transport = new SipTransport({ log, bind: '127.0.0.1', port: 0, clock, ...extra });
  await transport.start();
  cleanup.push(() => transport.stop());
  const inbox: ReceivedMessage[] = [];
  transport.on('message', (m) => inbox.push(m));
  return { transport, clock, inbox };
}

async function udpFrom(address: string): Promise<UdpSocket & { sendTo(text: string | Buffer, port: number): Promise<void> }> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, address, resolve));
  cleanup.push(() => new Promise<void>((r) => socket.close(() => r())));
  return Object.assign(socket, {
    sendTo: (text: string | Buffer, port: number) => new Promise<void>((resolve, reject) => socket.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve()))),
  });
}

/**
 * A TCP client from `address`, once connected or (a reset at accept can beat the connect event on
 * loopback) closed; `closed` resolves when the transport ends the connection.
 */
async function tcpFrom(address: string, port: number): Promise<{ socket: Socket; closed: Promise<void>; isOpen(): boolean }> {
  const socket = connect({ host: '127.0.0.1', port, localAddress: address });
  socket.on('error', () => undefined);
  let open = true;
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  void closed.then(() => (open = false));
  await Promise.race([new Promise<void>((resolve) => socket.once('connect', resolve)), closed]);
  cleanup.push(() => socket.destroy());
  return { socket, closed, isOpen: () => open };
}

/** Lets pending I/O events run until `cond` holds (bounded; throws when it never does). */
async function until(cond: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 20_000 && !cond(); i++) await new Promise((r) => setImmediate(r));
  assert.ok(cond(), `never happened: ${what}`);
}

const options = (port: number, branch: string): string =>
  sipRequest({ method: 'OPTIONS', uri: `sip:reception@127.0.0.1:${port}`, branch, callId: `${branch}@x` });

describe('UDP allow-list at intake', { timeout: 15_000 }, () => {
  test('a datagram from outside the allowed networks is dropped on its source alone: not inspected, not parsed, not passed up, counted', async () => {
    const { transport, inbox } = await startTransport({ allowNetworks: ['127.0.0.1/32'] });
    const outsider = await udpFrom('127.0.0.2');
    const insider = await udpFrom('127.0.0.1');
    await outsider.sendTo(sipRequest({ uri: `sip:reception@127.0.0.1:${transport.port}`, branch: 'z9hG4bK-out-1' }), transport.port);
    await outsider.sendTo(Buffer.from('\u0000garbage that would count as malformed if it were read'), transport.port);
    await insider.sendTo(options(transport.port, 'z9hG4bK-in-1'), transport.port);
    await until(() => inbox.length === 1, 'the allowed OPTIONS arrives');
    const stats = transport.stats();
    assert.equal(stats.droppedNotAllowed, 2);
    assert.equal(stats.droppedMalformed, 0, 'the garbage was never inspected');
    assert.equal(stats.received, 1, 'only the allowed message was parsed');
    assert.equal(inbox[0]?.source.address, '127.0.0.1');
  });

  test('a response from a peer we sent a request to is taken though its network is not allowed; a request from that peer is not', async () => {
    const { transport, inbox } = await startTransport({ allowNetworks: ['127.0.0.1/32'] });
    const pbx = await udpFrom('127.0.0.2');
    const got = new Promise<string>((resolve) => pbx.once('message', (m) => resolve(m.toString())));
    await transport.send(sipRequest({ method: 'REGISTER', uri: `sip:127.0.0.2:${pbx.address().port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-reg-1', branch: 'z9hG4bK-reg-1' }));
    const register = await got;
    await pbx.sendTo(sipResponse(register, 200), transport.port);
    await until(() => inbox.length === 1, 'the 200 to our REGISTER arrives');
    assert.match(inbox[0]?.message.toString() ?? '', /^SIP\/2\.0 200/);
    await pbx.sendTo(sipRequest({ uri: `sip:reception@127.0.0.1:${transport.port}`, branch: 'z9hG4bK-pbx-invite' }), transport.port);
    await until(() => transport.stats().droppedNotAllowed === 1, 'the INVITE from the contacted peer is dropped');
    assert.equal(inbox.length, 1);
  });

  test('a stranger outside the allowed networks cannot slip a request in by starting it like a response, nor answer before being contacted', async () => {
    const { transport, inbox } = await startTransport({ allowNetworks: ['127.0.0.1/32'] });
    const stranger = await udpFrom('127.0.0.3');
    await stranger.sendTo(sipResponse(sipRequest({ branch: 'z9hG4bK-forged' }), 200), transport.port);
    await until(() => transport.stats().droppedNotAllowed === 1, 'the uncontacted response is dropped');
    assert.equal(inbox.length, 0);
    assert.equal(transport.stats().droppedNotAllowed, 1);
  });

  test('addresses the agent trusts (the registrar) may send requests though their network is not allowed', async () => {
    const { transport, inbox } = await startTransport({ allowNetworks: ['127.0.0.1/32'] });
    transport.trust(['127.0.0.4']);
    const registrar = await udpFrom('127.0.0.4');
    await registrar.sendTo(sipRequest({ uri: `sip:reception@127.0.0.1:${transport.port}`, branch: 'z9hG4bK-trunk-1' }), transport.port);
    await until(() => inbox.length === 1, 'the INVITE from the trusted registrar arrives');
    transport.trust([]);
    await registrar.sendTo(sipRequest({ uri: `sip:reception@127.0.0.1:${transport.port}`, branch: 'z9hG4bK-trunk-2', callId: 'other@x' }), transport.port);
    await until(() => transport.stats().droppedNotAllowed === 1, 'once no longer trusted it is dropped');
  });
});

describe('INVITE flood shedding', { timeout: 15_000 }, () => {
  test('INVITEs from one source beyond the burst are dropped before SIP.js parses them; another source and a trunk are not held back', async () => {
    const { transport, clock, inbox } = await startTransport({ trunkNetworks: ['127.0.0.4/32'], inviteFlood: { burst: 3, perSecond: 1 } });
    const flooder = await udpFrom('127.0.0.2');
    const other = await udpFrom('127.0.0.3');
    const trunk = await udpFrom('127.0.0.4');
    const invite = (n: number, from: string): string => sipRequest({ uri: `sip:reception@127.0.0.1:${transport.port}`, branch: `z9hG4bK-${from}-${n}`, callId: `${from}-${n}@x` });
    for (let i = 0; i < 6; i++) await flooder.sendTo(invite(i, 'flood'), transport.port);
    await flooder.sendTo(options(transport.port, 'z9hG4bK-flood-options'), transport.port);
    await until(() => inbox.length === 4, 'three INVITEs and the OPTIONS pass');
    assert.equal(transport.stats().droppedInviteFlood, 3);
    assert.deepEqual(inbox.map((m) => m.message.toString().split(' ')[0]), ['INVITE', 'INVITE', 'INVITE', 'OPTIONS'], 'other methods are not counted');
    await other.sendTo(invite(0, 'other'), transport.port);
    for (let i = 0; i < 10; i++) await trunk.sendTo(invite(i, 'trunk'), transport.port);
    await until(() => inbox.length === 15, "the other host's INVITE and all the trunk's");
    clock.advance(1000);
    await flooder.sendTo(invite(6, 'flood'), transport.port);
    await until(() => inbox.length === 16, 'a second later the flooder has one more');
    assert.equal(transport.stats().droppedInviteFlood, 3);
  });
});

describe('TCP guards', { timeout: 15_000 }, () => {
  test('a connection from outside the allowed networks is reset at accept, before a byte of it is read', async () => {
    const { transport, inbox } = await startTransport({ allowNetworks: ['127.0.0.1/32'] });
    const outsider = await tcpFrom('127.0.0.2', transport.port);
    if (outsider.isOpen()) outsider.socket.write(sipRequest({ uri: `sip:reception@127.0.0.1:${transport.port}` }));
    await outsider.closed;
    const stats = transport.stats();
    assert.equal(stats.tcpRefusedNotAllowed, 1);
    assert.equal(stats.tcpConnections, 0);
    assert.equal(stats.received + stats.droppedMalformed, 0, 'nothing was read');
    assert.equal(inbox.length, 0);
  });

  test('a connection that sends no complete message within the deadline is closed on the fake clock; one that sends a message is kept until it drips the next one too slowly', async () => {
    const { transport, clock, inbox } = await startTransport({ tcp: { messageTimeoutMs: 5000 } });
    const silent = await tcpFrom('127.0.0.2', transport.port);
    const dripping = await tcpFrom('127.0.0.3', transport.port);
    const prompt = await tcpFrom('127.0.0.4', transport.port);
    await until(() => transport.stats().tcpConnections === 3, 'three connections accepted');
    dripping.socket.write('INVITE sip:reception@127.0.0.1 SIP/2.0\r\nVia: SIP/2.0/TCP 127.0.0.3:5060;branch=z9hG4bK-drip\r\n');
    prompt.socket.write(options(transport.port, 'z9hG4bK-prompt-1').replace('SIP/2.0/UDP', 'SIP/2.0/TCP'));
    await until(() => inbox.length === 1, "the prompt connection's message arrives");
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    assert.ok(silent.isOpen() && dripping.isOpen(), 'still within the deadline');
    clock.advance(1);
    await silent.closed;
    await dripping.closed;
    assert.equal(transport.stats().tcpMessageTimeouts, 2);
    // The prompt connection has no deadline while idle between messages...
    clock.advance(60_000);
    await new Promise((r) => setImmediate(r));
    assert.ok(prompt.isOpen(), 'an idle connection between messages is kept');
    // ...but a message begun must be finished within the deadline.
    const armed = clock.pendingTimers;
    prompt.socket.write('OPTIONS sip:reception@127.0.0.1 SIP/2.0\r\n');
    await until(() => clock.pendingTimers === armed + 1, 'the partial message is read and its deadline set');
    clock.advance(4999);
    await new Promise((r) => setImmediate(r));
    assert.ok(prompt.isOpen());
    clock.advance(1);
    await prompt.closed;
    assert.equal(transport.stats().tcpMessageTimeouts, 3);
  });

  test('keep-alive pings do not hold a connection open without a first message', async () => {
    const { transport, clock } = await startTransport({ tcp: { messageTimeoutMs: 5000 } });
    const pinger = await tcpFrom('127.0.0.2', transport.port);
    const pong = new Promise<void>((resolve) => pinger.socket.once('data', () => resolve()));
    pinger.socket.write('\r\n\r\n');
    await pong;
    clock.advance(5000);
    await pinger.closed;
    assert.equal(transport.stats().keepalives, 1);
    assert.equal(transport.stats().tcpMessageTimeouts, 1);
  });

  test('one address may hold only maxPerAddress inbound connections; another address still connects', async () => {
    const { transport } = await startTransport({ tcp: { maxPerAddress: 2 } });
    const a1 = await tcpFrom('127.0.0.2', transport.port);
    const a2 = await tcpFrom('127.0.0.2', transport.port);
    await until(() => transport.stats().tcpConnections === 2, 'two accepted');
    const a3 = await tcpFrom('127.0.0.2', transport.port);
    await a3.closed;
    const b1 = await tcpFrom('127.0.0.3', transport.port);
    await until(() => transport.stats().tcpConnections === 3, "the other address's connection accepted");
    assert.ok(a1.isOpen() && a2.isOpen() && b1.isOpen());
    assert.equal(transport.stats().tcpRefusedPerAddress, 1);
    // A closed connection frees its place.
    a1.socket.destroy();
    await until(() => transport.stats().tcpConnections === 2, 'the closed one is gone');
    const a4 = await tcpFrom('127.0.0.2', transport.port);
    await until(() => transport.stats().tcpConnections === 3, 'its place is taken again');
    assert.ok(a4.isOpen());
  });

  test('beyond maxConnections in all, new connections are reset', async () => {
    const { transport } = await startTransport({ tcp: { maxConnections: 2 } });
    await tcpFrom('127.0.0.2', transport.port);
    await tcpFrom('127.0.0.3', transport.port);
    await until(() => transport.stats().tcpConnections === 2, 'two accepted');
    const third = await tcpFrom('127.0.0.4', transport.port);
    await third.closed;
    assert.equal(transport.stats().tcpRefusedTooMany, 1);
    assert.equal(transport.stats().tcpConnections, 2);
  });
});
