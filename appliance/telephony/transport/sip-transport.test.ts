// Integration tests over real loopback sockets: SipTransport against scripted raw peers. Our
// retransmission timers run on a FakeClock, so "T1 later" is an explicit step, and every
// expected packet is awaited.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { afterEach, describe, test } from 'node:test';
import { createLogger } from '../../log.js';
import { FakeClock } from '../../shared/fake-clock.js';
import { SipSendError } from './errors.js';
import { TcpListener, TcpPeer, UdpPeer } from './loopback-peers.js';
import { SDP, sipRequest, sipResponse } from './sip-fixtures.js';
import { SipTransport, type ReceivedMessage, type SipTransportDeps } from './sip-transport.js';

const log = createLogger({ level: 'silent' });
const running: { stop(): Promise<void> | void }[] = [];

async function startTransport(extra: Partial<SipTransportDeps> = {}) {
  const clock = new FakeClock();
  const transport = new SipTransport({ log, bind: '127.0.0.1', port: 0, clock, ...extra });
  await transport.start();
  running.push(transport);
  const inbox: ReceivedMessage[] = [];
  const waiters: ((m: ReceivedMessage) => void)[] = [];
  transport.on('message', (m) => {
    const waiter = waiters.shift();
    if (waiter) waiter(m);
    else inbox.push(m);
  });
  /** The next message the transport passes up. */
  const received = (): Promise<ReceivedMessage> => {
    const m = inbox.shift();
    return m ? Promise.resolve(m) : new Promise((resolve) => waiters.push(resolve));
  };
  return { transport, clock, received, inbox };
}

async function udpPeer(): Promise<UdpPeer> {
  const peer = await UdpPeer.open();
  running.push({ stop: () => peer.close() });
  return peer;
}

afterEach(async () => {
  for (const item of running.splice(0).reverse()) await item.stop();
});

const topVia = (text: string): string => /\r\nVia: ([^\r]*)/.exec(text)?.[1] ?? '';

describe('UDP', { timeout: 10_000 }, () => {
  test('an INVITE whose first copy is lost is retransmitted after T1; the 486 is ACKed and its retransmission answered from the ACK cache', async () => {
    const { transport, clock, received } = await startTransport();
    const peer = await udpPeer();
    // As SIP.js writes it: Via with viaHost and no port.
    const invite = sipRequest({ uri: `sip:desk@127.0.0.1:${peer.port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-a', body: SDP });
    await transport.send(invite);
    const lost = await peer.next();
    assert.equal(topVia(lost), `SIP/2.0/UDP 127.0.0.1:${transport.port};branch=z9hG4bK-a;rport`);
    clock.advance(500);
    const copy = await peer.next();
    assert.equal(copy, lost, 'Timer A retransmission');

    await peer.send(sipResponse(copy, 100), transport.port);
    assert.equal((await received()).message.toString(), sipResponse(copy, 100));
    await peer.send(sipResponse(copy, 486), transport.port);
    assert.match((await received()).message.toString(), /^SIP\/2\.0 486/);
    const ack = sipRequest({ method: 'ACK', uri: `sip:desk@127.0.0.1:${peer.port}`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-a', toTag: 'to-1' });
    await transport.send(ack); // what SIP.js does on the 486
    const firstAck = await peer.next();
    assert.match(firstAck, /^ACK /);

    await peer.send(sipResponse(copy, 486), transport.port); // our ACK "was lost"
    assert.equal(await peer.next(), firstAck, 'ACK resent from the cache');
    clock.advance(60_000);
    const stats = transport.stats();
    assert.equal(stats.retransmissionsSent, 2, 'one INVITE, one ACK');
    assert.equal(stats.duplicatesAbsorbed, 1, 'the retransmitted 486 did not go up');
    assert.equal(peer.unread, 0);
  });

  test('a request gets received/rport from its real source; a lost 486 is retransmitted (Timer G) until the ACK, and a retransmitted INVITE is answered, not passed up', async () => {
    const { transport, clock, received } = await startTransport();
    const peer = await udpPeer();
    // The peer claims a private address (behind NAT): responses must go to where it really is.
    const invite = sipRequest({ uri: `sip:receptionist@127.0.0.1:${transport.port}`, via: 'SIP/2.0/UDP 10.9.9.9:5999;branch=z9hG4bK-b;rport' });
    await peer.send(invite, transport.port);
    const { message, source } = await received();
    assert.deepEqual(source, { protocol: 'UDP', address: '127.0.0.1', port: peer.port });
    assert.equal(message.getHeader('via'), `SIP/2.0/UDP 10.9.9.9:5999;branch=z9hG4bK-b;rport=${peer.port};received=127.0.0.1`);

    const busy = sipResponse(message.toString(), 486);
    await transport.send(busy);
    assert.equal(await peer.next(), busy); // "lost"
    clock.advance(500);
    assert.equal(await peer.next(), busy, 'Timer G retransmission reached the real source port');

    await peer.send(invite, transport.port); // an INVITE retransmission crossing our 486
    assert.equal(await peer.next(), busy, 'answered from the cache');
    await peer.send(sipRequest({ method: 'ACK', via: 'SIP/2.0/UDP 10.9.9.9:5999;branch=z9hG4bK-b;rport', toTag: 'to-1' }), transport.port);
    assert.equal((await received()).message.toString().slice(0, 4), 'ACK ');
    clock.advance(60_000);
    assert.equal(transport.stats().retransmissionsSent, 2, 'one by Timer G, one answering the INVITE copy');
    assert.equal(peer.unread, 0);
  });

  test('garbage datagrams are counted and dropped, and the transport keeps working', async () => {
    const { transport, received } = await startTransport();
    const peer = await udpPeer();
    let seed = 7;
    const byte = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    for (let i = 0; i < 100; i++) {
      await peer.send(Buffer.from(Array.from({ length: 20 + (i % 100) }, byte)), transport.port);
    }
    await peer.send('\r\n\r\n', transport.port);
    await peer.send(sipRequest({ method: 'OPTIONS', branch: 'z9hG4bK-after-garbage' }), transport.port);
    assert.match((await received()).message.toString(), /^OPTIONS /);
    const stats = transport.stats();
    assert.equal(stats.droppedMalformed, 100);
    assert.equal(stats.keepalives, 1);
    assert.equal(stats.received, 1);
  });

  test('responses whose top Via is not ours (RFC 3261 18.1.2) are dropped', async () => {
    const { transport, received, inbox } = await startTransport();
    const peer = await udpPeer();
    const foreign = sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/UDP 10.1.1.1:5060;branch=z9hG4bK-f' });
    await peer.send(sipResponse(foreign, 200), transport.port);
    const ours = sipRequest({ method: 'OPTIONS', via: `SIP/2.0/UDP 127.0.0.1:${transport.port};branch=z9hG4bK-o;rport=1;received=127.0.0.1` });
    await peer.send(sipResponse(ours, 200), transport.port);
    assert.match(topVia((await received()).message.toString()), /z9hG4bK-o/);
    assert.equal(inbox.length, 0);
    assert.equal(transport.stats().droppedNotOurs, 1);
  });

  test('a host name is resolved once per send with the configured resolver; a failed lookup rejects', async () => {
    const lookups: string[] = [];
    const resolve = (host: string): Promise<string> => {
      lookups.push(host);
      return host === 'pbx.example' ? Promise.resolve('127.0.0.1') : Promise.reject(new Error('ENOTFOUND'));
    };
    const { transport } = await startTransport({ resolve });
    const peer = await udpPeer();
    await transport.send(sipRequest({ method: 'OPTIONS', uri: `sip:desk@pbx.example:${peer.port}` }));
    assert.match(await peer.next(), /^OPTIONS sip:desk@pbx\.example/);
    assert.deepEqual(lookups, ['pbx.example']);
    await assert.rejects(transport.send(sipRequest({ method: 'OPTIONS', uri: 'sip:desk@nowhere.example' })), (err: unknown) => {
      return err instanceof SipSendError && err.reason === 'dns-lookup-failed' && err.retryable;
    });
  });

  test('an unroutable message is rejected with a SipSendError and counted', async () => {
    const { transport } = await startTransport();
    await assert.rejects(transport.send(sipRequest({ method: 'OPTIONS', uri: 'sips:desk@127.0.0.1' })), SipSendError);
    assert.equal(transport.stats().sendErrors, 1);
  });

  test('IPv6: a request from [::1] is stamped with received=::1 and rport, and answered there', async () => {
    const peer = createSocket('udp6');
    await new Promise<void>((resolve, reject) => {
      peer.once('error', reject);
      peer.bind(0, '::1', resolve);
    });
    running.push({ stop: () => new Promise<void>((resolve) => peer.close(() => resolve())) });
    const { transport, received } = await startTransport({ bind: '::1' });
    assert.equal(transport.sentBy(), `[::1]:${transport.port}`);
    const peerPort = peer.address().port;
    const answer = new Promise<string>((resolve) => peer.once('message', (bytes) => resolve(bytes.toString())));
    const options = sipRequest({ method: 'OPTIONS', uri: `sip:receptionist@[::1]:${transport.port}`, via: `SIP/2.0/UDP [::1]:${peerPort};branch=z9hG4bK-v6;rport` });
    peer.send(options, transport.port, '::1');
    const { message } = await received();
    assert.equal(message.getHeader('via'), `SIP/2.0/UDP [::1]:${peerPort};branch=z9hG4bK-v6;rport=${peerPort};received=::1`);
    await transport.send(sipResponse(message.toString(), 200));
    assert.match(await answer, /^SIP\/2\.0 200 /);
  });

  test('start() binds UDP and TCP on one port and reports it; stop() frees it', async () => {
    const first = new SipTransport({ log, bind: '127.0.0.1', port: 0 });
    await first.start();
    const port = first.port;
    assert.ok(port > 0);
    assert.equal(first.sentBy(), `127.0.0.1:${port}`);
    assert.equal(first.localContactUri('receptionist'), `sip:receptionist@127.0.0.1:${port}`);
    await first.stop();
    const second = new SipTransport({ log, bind: '127.0.0.1', port });
    await second.start();
    assert.equal(second.port, port);
    await second.stop();
  });
});

describe('TCP', { timeout: 10_000 }, () => {
  test('a message split across chunks and two messages in one chunk are delivered; the response goes back on the same connection', async () => {
    const { transport, received } = await startTransport();
    const client = await TcpPeer.connect(transport.port);
    running.push({ stop: () => client.close() });
    const via = (b: string): string => `SIP/2.0/TCP 10.0.0.8:5060;branch=${b}`;
    const invite = sipRequest({ via: via('z9hG4bK-t1'), body: SDP });
    const cut = [0, 30, invite.indexOf('\r\n\r\n') + 2, invite.length - 5, invite.length];
    for (let i = 0; i + 1 < cut.length; i++) await client.write(invite.slice(cut[i], cut[i + 1]));
    const first = await received();
    assert.equal(first.source.protocol, 'TCP');
    assert.equal(first.message.body, SDP);
    assert.equal(first.message.getHeader('via'), `${via('z9hG4bK-t1')};received=127.0.0.1`);

    const options = sipRequest({ method: 'OPTIONS', via: via('z9hG4bK-t2') });
    const bye = sipRequest({ method: 'BYE', via: via('z9hG4bK-t3'), toTag: 'to-1' });
    await client.write(options + bye);
    assert.match((await received()).message.toString(), /^OPTIONS /);
    assert.match((await received()).message.toString(), /^BYE /);

    // 10.0.0.8:5060 is unreachable: only the incoming connection can carry the response.
    const ringing = sipResponse(first.message.toString(), 180);
    await transport.send(ringing);
    assert.equal(await client.next(), ringing);
    assert.equal(transport.stats().tcpConnections, 1);
  });

  test('a missing Content-Length drops the connection; a CRLFCRLF ping gets a CRLF pong', async () => {
    const { transport } = await startTransport();
    const pinger = await TcpPeer.connect(transport.port);
    running.push({ stop: () => pinger.close() });
    await pinger.write('\r\n\r\n');
    assert.equal(await pinger.next(), '\r\n');

    const broken = await TcpPeer.connect(transport.port);
    await broken.write(sipRequest({ method: 'OPTIONS', contentLength: null }));
    await broken.closed;
    assert.equal(transport.stats().droppedMalformed, 1);
    assert.equal(transport.stats().keepalives, 1);
  });

  test('a request with ;transport=tcp opens a connection, says TCP in its Via, and the answer on that connection comes up', async () => {
    const { transport, received } = await startTransport();
    const server = await TcpListener.open();
    running.push({ stop: () => server.close() });
    await transport.send(sipRequest({ method: 'OPTIONS', uri: `sip:desk@127.0.0.1:${server.port};transport=tcp`, via: 'SIP/2.0/UDP 127.0.0.1;branch=z9hG4bK-out' }));
    const peer = await server.accepted();
    running.push({ stop: () => peer.close() });
    const request = await peer.next();
    assert.equal(topVia(request), `SIP/2.0/TCP 127.0.0.1:${transport.port};branch=z9hG4bK-out`);
    await peer.write(sipResponse(request, 200));
    const answer = await received();
    assert.equal(answer.source.protocol, 'TCP');
    assert.match(answer.message.toString(), /^SIP\/2\.0 200 /);
    // A second request to the same peer reuses the connection.
    await transport.send(sipRequest({ method: 'OPTIONS', uri: `sip:desk@127.0.0.1:${server.port};transport=tcp`, branch: 'z9hG4bK-out2' }));
    assert.match(await peer.next(), /branch=z9hG4bK-out2/);
    assert.equal(transport.stats().tcpConnections, 1);
  });
});
