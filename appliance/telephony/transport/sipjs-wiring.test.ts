// SIP.js's UserAgentCore wired to SipTransport exactly as the call layer will (see
// sipjs-adapter.ts), against a scripted UDP peer that loses first copies. SIP.js's timers (global
// setTimeout) run on node:test's mock timers, ours on a FakeClock; tick() moves both, so T1 is a tick.
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, mock, test } from 'node:test';
import {
  URI,
  UserAgentCore,
  type IncomingResponse,
  type UserAgentCoreConfiguration,
} from 'sip.js/lib/core/index.js';
import { createLogger } from '../../log.js';
import { FakeClock } from '../../shared/fake-clock.js';
import { UdpPeer } from './loopback-peers.js';
import { SDP, sipRequest, sipResponse } from './sip-fixtures.js';
import { SipTransport } from './sip-transport.js';
import { deliverToCore, sipjsContact, sipjsLoggerFactory } from './sipjs-adapter.js';

const log = createLogger({ level: 'silent' });

function deferred<T = void>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('SIP.js core over SipTransport', { timeout: 10_000 }, () => {
  let transport: SipTransport;
  let clock: FakeClock;
  let peer: UdpPeer;
  let core: UserAgentCore;
  let detach: () => void;
  let acked = deferred();
  let byes = 0;

  beforeEach(async () => {
    mock.timers.enable({ apis: ['setTimeout', 'Date'] });
    acked = deferred();
    byes = 0;
    clock = new FakeClock();
    transport = new SipTransport({ log, bind: '127.0.0.1', port: 0, clock });
    await transport.start();
    peer = await UdpPeer.open();
    const configuration: UserAgentCoreConfiguration = {
      aor: new URI('sip', 'receptionist', '127.0.0.1'),
      contact: sipjsContact('receptionist', transport.local),
      displayName: 'Receptionist',
      loggerFactory: sipjsLoggerFactory(log),
      hackViaTcp: false,
      routeSet: [],
      sipjsId: 'spa01',
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: 'spa-receptionist',
      viaForceRport: true,
      viaHost: transport.sentBy(),
      authenticationFactory: () => undefined,
      transportAccessor: () => transport,
    };
    core = new UserAgentCore(configuration, {
      onInvite: (request) => {
        request.trying();
        request.progress();
        const { session } = request.accept({ statusCode: 200, body: { contentDisposition: 'session', contentType: 'application/sdp', content: SDP } });
        session.delegate = {
          onAck: () => acked.resolve(),
          onBye: (bye) => {
            byes++;
            bye.accept();
          },
        };
      },
    });
    detach = deliverToCore(transport, core, log);
  });

  /** Moves SIP.js's time (mock timers) and the transport's (the FakeClock) by `ms`. */
  const tick = (ms: number): void => {
    mock.timers.tick(ms);
    clock.advance(ms);
  };

  afterEach(async () => {
    detach();
    core.dispose();
    await transport.stop();
    await peer.close();
    mock.timers.reset();
  });

  test('an incoming call completes although the peer loses the first 200 OK and the first 200 to its BYE', async () => {
    const contactUri = transport.localContactUri('receptionist');
    const via = `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-call;rport`;
    const invite = sipRequest({ uri: contactUri, via, contact: `<sip:desk@127.0.0.1:${peer.port}>`, body: SDP });
    await peer.send(invite, transport.port);

    assert.match(await peer.next(), /^SIP\/2\.0 100 /);
    assert.match(await peer.next(), /^SIP\/2\.0 180 /);
    const ok = await peer.next(); // lost
    assert.match(ok, /^SIP\/2\.0 200 /);
    assert.match(ok, new RegExp(`\\r\\nContact: <sip:receptionist@127\\.0\\.0\\.1:${transport.port}>`));
    assert.match(ok, new RegExp(`rport=${peer.port};received=127\\.0\\.0\\.1`));

    tick(500); // SIP.js's own 2xx retransmission (RFC 3261 13.3.1.4), through our transport
    assert.equal(await peer.next(), ok);
    const toTag = /\r\nTo: [^\r]*;tag=([^;\r]+)/.exec(ok)?.[1];
    assert.ok(toTag);
    const inDialog = { uri: contactUri, toTag, contact: `<sip:desk@127.0.0.1:${peer.port}>` };
    await peer.send(sipRequest({ ...inDialog, method: 'ACK', via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-ack;rport` }), transport.port);
    await acked.promise;
    tick(40_000);
    assert.equal(transport.stats().retransmissionsSent, 1, 'no 2xx retransmission after the ACK');

    const bye = sipRequest({ ...inDialog, method: 'BYE', cseq: 2, via: `SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK-bye;rport` });
    await peer.send(bye, transport.port);
    const byeOk = await peer.next(); // lost
    assert.match(byeOk, /^SIP\/2\.0 200 /);
    await peer.send(bye, transport.port); // retransmitted; SIP.js's transaction is already gone (Timer J = 0)
    assert.equal(await peer.next(), byeOk, 'answered from the transport cache');
    assert.equal(byes, 1, 'the BYE reached the call once');
    assert.equal(transport.stats().duplicatesAbsorbed, 1);
  });

  test('an outgoing OPTIONS whose first copy is lost is retransmitted (Timer E) and its answer reaches SIP.js', async () => {
    const target = new URI('sip', 'desk', '127.0.0.1', peer.port);
    const message = core.makeOutgoingRequestMessage('OPTIONS', target, core.configuration.aor, target, {});
    const accepted = deferred<IncomingResponse>();
    core.request(message, { onAccept: (response) => accepted.resolve(response) });
    const lost = await peer.next();
    assert.match(lost, new RegExp(`\\r\\nVia: SIP/2\\.0/UDP 127\\.0\\.0\\.1:${transport.port};branch=z9hG4bK\\d+;rport\\r\\n`));
    tick(500);
    const copy = await peer.next();
    assert.equal(copy, lost);
    await peer.send(sipResponse(copy, 200), transport.port);
    const response = await accepted.promise;
    assert.equal(response.message.statusCode, 200);
    tick(40_000);
    assert.equal(transport.stats().retransmissionsSent, 1);
  });
});
