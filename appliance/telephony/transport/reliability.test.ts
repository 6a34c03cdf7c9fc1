import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { FakeClock } from '../../shared/fake-clock.js';
import { Reliability } from './reliability.js';
import type { SendTarget } from './routing.js';
import { infoOf, sipRequest, sipResponse } from './sip-fixtures.js';

const PEER: SendTarget = { protocol: 'UDP', host: '127.0.0.1', port: 5099 };
const TCP_PEER: SendTarget = { protocol: 'TCP', host: '127.0.0.1', port: 5099 };

function setup(capacity?: { server?: number; client?: number }) {
  const clock = new FakeClock();
  const sent: { at: number; text: string }[] = [];
  const reliability = new Reliability({
    clock,
    send: (text) => sent.push({ at: clock.monotonic(), text }),
    ...(capacity ? { capacity } : {}),
  });
  reliability.start();
  /** We send `text` (as SIP.js would through the transport). */
  const out = (text: string, target = PEER): void => reliability.outgoing(infoOf(text), text, target);
  /** `text` arrives from the network; returns the verdict. */
  const arrive = (text: string, protocol: 'UDP' | 'TCP' = 'UDP') => reliability.incoming(infoOf(text), protocol);
  const times = (): number[] => sent.map((s) => s.at / 1000);
  return { clock, sent, reliability, out, arrive, times };
}

describe('client INVITE (Timer A)', () => {
  test('is retransmitted at 0.5, 1.5, 3.5 s and stops once 100 Trying arrives', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.out(invite);
    t.clock.advance(3600);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5]);
    assert.ok(t.sent.every((s) => s.text === invite));
    assert.equal(t.arrive(sipResponse(invite, 100)), 'deliver');
    t.clock.advance(60_000);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5]);
    assert.equal(t.reliability.stats().retransmissionsSent, 3);
  });

  test('without any response is retransmitted with doubling intervals until Timer B (64*T1) and no later', () => {
    const t = setup();
    t.out(sipRequest({ method: 'INVITE' }));
    t.clock.advance(120_000);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5, 7.5, 15.5, 31.5]);
  });

  test('a response to another transaction (other branch) does not stop it', () => {
    const t = setup();
    t.out(sipRequest({ method: 'INVITE', branch: 'z9hG4bK-a' }));
    assert.equal(t.arrive(sipResponse(sipRequest({ method: 'INVITE', branch: 'z9hG4bK-b' }), 100)), 'deliver');
    t.clock.advance(1600);
    assert.deepEqual(t.times(), [0.5, 1.5]);
  });

  test('a retransmitted non-2xx final response is absorbed and answered with the cached ACK (Timer D)', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    const busy = sipResponse(invite, 486);
    const ack = sipRequest({ method: 'ACK', toTag: 'to-1' });
    t.out(invite);
    assert.equal(t.arrive(busy), 'deliver');
    t.out(ack); // SIP.js ACKs the 486 (same branch as the INVITE)
    t.clock.advance(10_000);
    assert.equal(t.sent.length, 0, 'neither INVITE nor ACK retransmitted on a timer');
    assert.equal(t.arrive(busy), 'absorb');
    assert.equal(t.arrive(busy), 'absorb');
    assert.deepEqual(
      t.sent.map((s) => s.text),
      [ack, ack],
    );
    assert.equal(t.reliability.stats().duplicatesAbsorbed, 2);
  });

  test('the ACK cache lasts 64*T1: a later copy of the final response goes up to SIP.js', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.out(invite);
    t.arrive(sipResponse(invite, 486));
    t.out(sipRequest({ method: 'ACK', toTag: 'to-1' }));
    t.clock.advance(32_001);
    assert.equal(t.arrive(sipResponse(invite, 486)), 'deliver');
    assert.equal(t.sent.length, 0);
  });

  test('2xx responses and their retransmissions all go up to SIP.js, which resends its own ACK', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.out(invite);
    assert.equal(t.arrive(sipResponse(invite, 200)), 'deliver');
    assert.equal(t.arrive(sipResponse(invite, 200)), 'deliver');
    t.clock.advance(60_000);
    assert.equal(t.sent.length, 0);
  });

  test('ACK is never retransmitted', () => {
    const t = setup();
    t.out(sipRequest({ method: 'ACK', branch: 'z9hG4bK-ack-2xx', toTag: 'to-1' }));
    t.clock.advance(60_000);
    assert.equal(t.sent.length, 0);
  });

  test('a failed send stops the retransmissions of that request', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.out(invite);
    t.reliability.sendFailed(infoOf(invite));
    t.clock.advance(60_000);
    assert.equal(t.sent.length, 0);
  });
});

describe('client non-INVITE (Timer E)', () => {
  test('is retransmitted at T1 doubling, capped at T2 = 4 s, until Timer F (64*T1)', () => {
    const t = setup();
    t.out(sipRequest({ method: 'OPTIONS' }));
    t.clock.advance(120_000);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  });

  test('after a provisional response it keeps retransmitting every T2, and stops on the final response', () => {
    const t = setup();
    const bye = sipRequest({ method: 'BYE', toTag: 'to-1' });
    t.out(bye);
    t.clock.advance(600); // first retransmission at 0.5 s, next due at 1.5 s
    assert.equal(t.arrive(sipResponse(bye, 100)), 'deliver');
    t.clock.advance(10_000); // fires at 1.5 (then T2), 5.5, 9.5
    assert.deepEqual(t.times(), [0.5, 1.5, 5.5, 9.5]);
    assert.equal(t.arrive(sipResponse(bye, 200)), 'deliver');
    t.clock.advance(60_000);
    assert.deepEqual(t.times(), [0.5, 1.5, 5.5, 9.5]);
  });

  test('retransmitted final responses to a completed transaction are absorbed for T4 (Timer K)', () => {
    const t = setup();
    const bye = sipRequest({ method: 'BYE', toTag: 'to-1' });
    t.out(bye);
    assert.equal(t.arrive(sipResponse(bye, 200)), 'deliver');
    assert.equal(t.arrive(sipResponse(bye, 200)), 'absorb');
    t.clock.advance(5001);
    assert.equal(t.arrive(sipResponse(bye, 200)), 'deliver');
  });

  test('CANCEL is retransmitted with Timer E, independently of the INVITE it cancels (same branch)', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    const cancel = sipRequest({ method: 'CANCEL' });
    t.out(invite);
    t.arrive(sipResponse(invite, 180)); // INVITE: Timer A stopped
    t.out(cancel);
    t.clock.advance(4000);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5]);
    assert.ok(t.sent.every((s) => s.text === cancel));
    t.arrive(sipResponse(cancel, 200));
    t.clock.advance(60_000);
    assert.equal(t.sent.length, 3);
  });

  test('over TCP nothing is retransmitted and no response is absorbed', () => {
    const t = setup();
    const options = sipRequest({ method: 'OPTIONS', via: 'SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK-t' });
    t.out(options, TCP_PEER);
    t.clock.advance(60_000);
    assert.equal(t.sent.length, 0);
    assert.equal(t.arrive(sipResponse(options, 200), 'TCP'), 'deliver');
    assert.equal(t.arrive(sipResponse(options, 200), 'TCP'), 'deliver');
  });
});

describe('server INVITE', () => {
  test('a non-2xx final response is retransmitted (Timer G: T1 doubling, capped at T2) until the ACK', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    const busy = sipResponse(invite, 486);
    assert.equal(t.arrive(invite), 'deliver');
    t.out(busy);
    t.clock.advance(12_000);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5, 7.5, 11.5]);
    assert.ok(t.sent.every((s) => s.text === busy));
    const ack = sipRequest({ method: 'ACK', toTag: 'to-1' });
    assert.equal(t.arrive(ack), 'deliver', 'the first ACK goes up to SIP.js');
    assert.equal(t.arrive(ack), 'absorb', 'a duplicate ACK does not');
    t.clock.advance(60_000);
    assert.equal(t.sent.length, 5);
  });

  test('Timer G gives up at Timer H (64*T1) when no ACK comes', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.arrive(invite);
    t.out(sipResponse(invite, 486));
    t.clock.advance(120_000);
    assert.deepEqual(t.times(), [0.5, 1.5, 3.5, 7.5, 11.5, 15.5, 19.5, 23.5, 27.5, 31.5]);
  });

  test('an INVITE retransmitted before the final response gets the latest provisional and is not delivered twice', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    assert.equal(t.arrive(invite), 'deliver');
    assert.equal(t.arrive(invite), 'absorb', 'nothing sent yet: dropped');
    assert.equal(t.sent.length, 0);
    t.out(sipResponse(invite, 100));
    t.out(sipResponse(invite, 180));
    assert.equal(t.arrive(invite), 'absorb');
    assert.deepEqual(
      t.sent.map((s) => s.text),
      [sipResponse(invite, 180)],
    );
    assert.equal(t.reliability.stats().duplicatesAbsorbed, 2);
  });

  test('an INVITE retransmitted after the non-2xx final response gets that response again', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.arrive(invite);
    t.out(sipResponse(invite, 486));
    assert.equal(t.arrive(invite), 'absorb');
    assert.deepEqual(
      t.sent.map((s) => s.text),
      [sipResponse(invite, 486)],
    );
  });

  test('2xx is not retransmitted by the transport (SIP.js does it); an INVITE retransmitted after it is absorbed silently', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    const ok = sipResponse(invite, 200);
    t.arrive(invite);
    t.out(ok);
    t.clock.advance(500);
    t.out(ok); // SIP.js's own 2xx retransmission passing through: counted, not duplicated
    t.clock.advance(40_000);
    assert.equal(t.sent.length, 0);
    assert.equal(t.reliability.stats().retransmissionsSent, 1);
    const t2 = setup();
    t2.arrive(invite);
    t2.out(ok);
    assert.equal(t2.arrive(invite), 'absorb');
    assert.equal(t2.sent.length, 0, 'RFC 6026: absorbed in the Accepted state, not answered');
  });

  test('the ACK for a 2xx (its own branch) goes up once; its duplicates are absorbed', () => {
    const t = setup();
    const ack = sipRequest({ method: 'ACK', branch: 'z9hG4bK-ack-of-2xx', toTag: 'to-1' });
    assert.equal(t.arrive(ack), 'deliver');
    assert.equal(t.arrive(ack), 'absorb');
  });

  test('matching uses the sent-by too: the same branch from another sent-by is a new transaction', () => {
    const t = setup();
    assert.equal(t.arrive(sipRequest({ via: 'SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK-same' })), 'deliver');
    assert.equal(t.arrive(sipRequest({ via: 'SIP/2.0/UDP 10.0.0.2:5060;branch=z9hG4bK-same' })), 'deliver');
  });
});

describe('server non-INVITE', () => {
  test('a duplicate BYE after the transaction ended is answered from the cache and not delivered twice', () => {
    const t = setup();
    const bye = sipRequest({ method: 'BYE', cseq: 2, toTag: 'to-1' });
    const ok = sipResponse(bye, 200);
    assert.equal(t.arrive(bye), 'deliver');
    t.out(ok); // SIP.js answers; its transaction ends at once (Timer J = 0)
    t.clock.advance(2000);
    assert.equal(t.arrive(bye), 'absorb');
    assert.deepEqual(
      t.sent.map((s) => s.text),
      [ok],
    );
    assert.equal(t.reliability.stats().duplicatesAbsorbed, 1);
  });

  test('the cached response is kept for 64*T1; a copy arriving later is a new request', () => {
    const t = setup();
    const options = sipRequest({ method: 'OPTIONS' });
    t.arrive(options);
    t.out(sipResponse(options, 200));
    t.clock.advance(32_001);
    assert.equal(t.arrive(options), 'deliver');
  });

  test('a stateless reply (e.g. 404 from SIP.js core) is cached too', () => {
    const t = setup();
    const options = sipRequest({ method: 'OPTIONS', uri: 'sip:nobody@127.0.0.1' });
    t.arrive(options);
    t.out(sipResponse(options, 404));
    assert.equal(t.arrive(options), 'absorb');
    assert.equal(t.sent.length, 1);
  });

  test('over TCP duplicates go up to SIP.js and nothing is cached', () => {
    const t = setup();
    const via = 'SIP/2.0/TCP 127.0.0.1:5099;branch=z9hG4bK-tcp';
    const bye = sipRequest({ method: 'BYE', via, toTag: 'to-1' });
    assert.equal(t.arrive(bye, 'TCP'), 'deliver');
    t.out(sipResponse(bye, 200), TCP_PEER);
    assert.equal(t.arrive(bye, 'TCP'), 'deliver');
    assert.equal(t.reliability.stats().serverTransactions, 0);
  });
});

describe('bounded memory', () => {
  test('a flood of distinct requests keeps the caches at their capacity', () => {
    const t = setup({ server: 100, client: 10 });
    for (let i = 0; i < 2000; i++) {
      const request = sipRequest({ method: 'OPTIONS', branch: `z9hG4bK-flood-${i}`, callId: `flood-${i}` });
      t.arrive(request);
      t.out(sipResponse(request, 404));
      t.out(sipRequest({ method: 'OPTIONS', branch: `z9hG4bK-out-${i}`, callId: `out-${i}` }));
    }
    const stats = t.reliability.stats();
    assert.equal(stats.serverTransactions, 100);
    assert.equal(stats.clientTransactions, 10);
    assert.ok(t.clock.pendingTimers <= 10 + 1, 'only the remembered client transactions (and the sweep) hold clock');
  });

  test('entries expire and are swept; stop() clears every timer', () => {
    const t = setup();
    const invite = sipRequest({ method: 'INVITE' });
    t.arrive(invite);
    t.out(sipResponse(invite, 486));
    t.out(sipRequest({ method: 'OPTIONS', branch: 'z9hG4bK-o' }));
    t.clock.advance(40_000);
    assert.equal(t.reliability.stats().serverTransactions, 0);
    assert.equal(t.reliability.stats().clientTransactions, 0);
    t.out(sipRequest({ method: 'OPTIONS', branch: 'z9hG4bK-o2' }));
    t.reliability.stop();
    assert.equal(t.clock.pendingTimers, 0);
  });
});
