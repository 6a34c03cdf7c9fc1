import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SdpMalformedError, SdpNotAcceptableError } from './errors.js';
import { answerOffer, createOffer, readAnswer, type MediaCapabilities } from './sdp-negotiate.js';
import { readSdp } from './sdp-read.js';

const caps: MediaCapabilities = { address: '192.0.2.10', rtpPort: 20000 };
const ctx = { sessionId: '4242' };

function offer(media: string[], session: string[] = ['c=IN IP4 198.51.100.7'], version = 1): string {
  return ['v=0', `o=pbx 1000 ${version} IN IP4 198.51.100.7`, 's=call', ...session, 't=0 0', ...media, ''].join('\r\n');
}

const TE8 = ['a=rtpmap:101 telephone-event/8000', 'a=fmtp:101 0-16'];

test('a PCMU-only offer is answered with PCMU (PT 0) and telephone-event/8000 at the offered PT', () => {
  const a = answerOffer(offer(['m=audio 4000 RTP/AVP 0 101', ...TE8]), caps, ctx);
  assert.equal(a.media.codec, 'PCMU');
  assert.equal(a.media.payloadType, 0);
  assert.deepEqual(a.media.telephoneEvent, { payloadType: 101, clockRate: 8000 });
  assert.deepEqual(a.media.remote, { address: '198.51.100.7', port: 4000, rtcpAddress: '198.51.100.7', rtcpPort: 4001 });
  assert.equal(a.media.direction, 'sendrecv');
  assert.match(a.sdp, /^m=audio 20000 RTP\/AVP 0 101\r$/m);
  assert.match(a.sdp, /^c=IN IP4 192\.0\.2\.10\r$/m);
  assert.match(a.sdp, /^o=- 4242 0 IN IP4 192\.0\.2\.10\r$/m);
  assert.match(a.sdp, /^a=rtpmap:0 PCMU\/8000\r$/m);
  assert.match(a.sdp, /^a=rtpmap:101 telephone-event\/8000\r$/m);
  assert.match(a.sdp, /^a=fmtp:101 0-15\r$/m);
  assert.match(a.sdp, /^a=ptime:20\r$/m);
  assert.match(a.sdp, /^a=sendrecv\r$/m);
});

test('the offerer’s preference order decides: PCMA first in the offer gives PCMA', () => {
  const a = answerOffer(offer(['m=audio 4000 RTP/AVP 8 0 101', 'a=rtpmap:8 PCMA/8000', ...TE8]), caps, ctx);
  assert.equal(a.media.codec, 'PCMA');
  assert.equal(a.media.payloadType, 8);
  assert.match(a.sdp, /^m=audio 20000 RTP\/AVP 8 101\r$/m);
});

test('an L16/16000 offer is taken at its dynamic PT with telephone-event/16000, not /8000', () => {
  const a = answerOffer(
    offer(['m=audio 4000 RTP/AVP 98 0 101 100', 'a=rtpmap:98 L16/16000', ...TE8, 'a=rtpmap:100 telephone-event/16000', 'a=ptime:30']),
    caps,
    ctx,
  );
  assert.equal(a.media.codec, 'L16/16000');
  assert.equal(a.media.payloadType, 98);
  assert.equal(a.media.clockRate, 16000);
  assert.deepEqual(a.media.telephoneEvent, { payloadType: 100, clockRate: 16000 });
  assert.equal(a.media.remotePtime, 30);
  assert.match(a.sdp, /^a=rtpmap:98 L16\/16000\r$/m);
  assert.match(a.sdp, /^a=rtpmap:100 telephone-event\/16000\r$/m);
});

test('telephone-event is only taken at the codec’s clock rate; L16 stereo or at 8 kHz is not our codec', () => {
  const noTe = answerOffer(offer(['m=audio 4000 RTP/AVP 0 100', 'a=rtpmap:100 telephone-event/16000']), caps, ctx);
  assert.equal(noTe.media.telephoneEvent, undefined);
  assert.match(noTe.sdp, /^m=audio 20000 RTP\/AVP 0\r$/m);
  const pick = answerOffer(offer(['m=audio 4000 RTP/AVP 97 96 0', 'a=rtpmap:97 L16/16000/2', 'a=rtpmap:96 L16/8000']), caps, ctx);
  assert.equal(pick.media.codec, 'PCMU');
});

test('hold: sendonly is answered recvonly, recvonly sendonly, inactive inactive, and c=0.0.0.0 as old-style hold', () => {
  const dir = (d: string): string => answerOffer(offer(['m=audio 4000 RTP/AVP 0', `a=${d}`]), caps, ctx).media.direction;
  assert.equal(dir('sendonly'), 'recvonly');
  assert.equal(dir('recvonly'), 'sendonly');
  assert.equal(dir('inactive'), 'inactive');
  const held = answerOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=sendonly']), caps, ctx);
  assert.match(held.sdp, /^a=recvonly\r$/m);
  const inactive = answerOffer(offer(['m=audio 4000 RTP/AVP 0', 'a=inactive']), caps, ctx);
  assert.match(inactive.sdp, /^a=inactive\r$/m);
  const session = answerOffer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 198.51.100.7', 'a=sendonly']), caps, ctx);
  assert.equal(session.media.direction, 'recvonly');
  const old = answerOffer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 0.0.0.0']), caps, ctx);
  assert.equal(old.media.direction, 'recvonly');
});

test('no common codec is a typed 488 Not Acceptable Here', () => {
  assert.throws(
    () => answerOffer(offer(['m=audio 4000 RTP/AVP 18 9', 'a=rtpmap:18 G729/8000', 'a=rtpmap:9 G722/8000']), caps, ctx),
    (err: unknown) => err instanceof SdpNotAcceptableError && err.sipStatus === 488 && err.code === 'SPA_ERR_SDP_NOT_ACCEPTABLE',
  );
  assert.throws(() => answerOffer(offer(['m=audio 4000 RTP/SAVP 0']), caps, ctx), SdpNotAcceptableError);
  assert.throws(() => answerOffer(offer(['m=video 4000 RTP/AVP 96']), caps, ctx), SdpNotAcceptableError);
  assert.throws(() => answerOffer(offer(['m=audio 4000 RTP/AVP 8']), { ...caps, codecs: ['PCMU'] }, ctx), SdpNotAcceptableError);
});

test('session-level c= is used when the media has none; media-level c= and a=rtcp override it', () => {
  const s = answerOffer(offer(['m=audio 4000 RTP/AVP 0'], ['c=IN IP4 203.0.113.5']), caps, ctx);
  assert.equal(s.media.remote.address, '203.0.113.5');
  const m = answerOffer(offer(['m=audio 4000 RTP/AVP 0', 'c=IN IP4 203.0.113.9', 'a=rtcp:4555 IN IP4 203.0.113.10'], ['c=IN IP4 203.0.113.5']), caps, ctx);
  assert.deepEqual(m.media.remote, { address: '203.0.113.9', port: 4000, rtcpAddress: '203.0.113.10', rtcpPort: 4555 });
  assert.throws(() => answerOffer(offer(['m=audio 4000 RTP/AVP 0'], []), caps, ctx), SdpMalformedError);
});

test('other m= lines are refused with port 0 in the same order; garbage is a typed 400', () => {
  const a = answerOffer(offer(['m=video 5000 RTP/AVP 96', 'a=rtpmap:96 H264/90000', 'm=audio 4000 RTP/AVP 0']), caps, ctx);
  const parsed = readSdp(a.sdp);
  assert.deepEqual(parsed.media.map((m) => [m.type, m.port]), [['video', 0], ['audio', 20000]]);
  assert.throws(() => answerOffer('hello', caps, ctx), (e: unknown) => e instanceof SdpMalformedError && e.sipStatus === 400);
  assert.throws(() => answerOffer('v=0\r\ns=-\r\n', caps, ctx), SdpMalformedError);
});

test('re-INVITE: a repeated offer gets the identical answer; our o= version rises only when the answer changes', () => {
  const first = answerOffer(offer(['m=audio 4000 RTP/AVP 0 101', ...TE8], undefined, 1), caps, ctx);
  const same = answerOffer(offer(['m=audio 4000 RTP/AVP 0 101', ...TE8], undefined, 1), caps, { ...ctx, previous: first });
  assert.equal(same, first);
  const refresh = answerOffer(offer(['m=audio 4000 RTP/AVP 0 101', ...TE8], undefined, 2), caps, { ...ctx, previous: first });
  assert.equal(refresh.sessionVersion, 0);
  assert.equal(refresh.sdp, first.sdp);
  const hold = answerOffer(offer(['m=audio 4000 RTP/AVP 0 101', ...TE8, 'a=sendonly'], undefined, 3), caps, { ...ctx, previous: refresh });
  assert.equal(hold.sessionVersion, 1);
  assert.match(hold.sdp, /^o=- 4242 1 IN IP4/m);
  const resume = answerOffer(offer(['m=audio 4000 RTP/AVP 0 101', ...TE8], undefined, 4), caps, { ...ctx, previous: hold });
  assert.equal(resume.sessionVersion, 2);
  assert.equal(resume.media.direction, 'sendrecv');
});

test('createOffer lists our codecs and telephone-events; answerOffer and readAnswer agree on both sides', () => {
  const sim: MediaCapabilities = { address: '127.0.0.1', rtpPort: 30000, codecs: ['L16/16000', 'PCMU'] };
  const o = createOffer(sim, { sessionId: '1', sessionVersion: 1 });
  assert.match(o, /^m=audio 30000 RTP\/AVP 96 0 102 101\r$/m);
  const answer = answerOffer(o, caps, ctx);
  assert.equal(answer.media.codec, 'L16/16000');
  assert.equal(answer.media.telephoneEvent?.payloadType, 102);
  const ours = readAnswer(answer.sdp, sim);
  assert.equal(ours.codec, 'L16/16000');
  assert.equal(ours.payloadType, 96);
  assert.deepEqual(ours.telephoneEvent, { payloadType: 102, clockRate: 16000 });
  assert.deepEqual(ours.remote, { address: '192.0.2.10', port: 20000, rtcpAddress: '192.0.2.10', rtcpPort: 20001 });
  const holdOffer = createOffer(sim, { sessionId: '1', sessionVersion: 2, direction: 'sendonly' });
  const holdAnswer = answerOffer(holdOffer, caps, { ...ctx, previous: answer });
  assert.equal(holdAnswer.media.direction, 'recvonly');
  assert.equal(readAnswer(holdAnswer.sdp, sim).direction, 'sendonly');
});

test('an IPv6 offer is answered; a single-payload m= line (parsed as a number) works', () => {
  const a = answerOffer(['v=0', 'o=- 1 1 IN IP6 2001:db8::1', 's=-', 'c=IN IP6 2001:db8::1', 't=0 0', 'm=audio 4000 RTP/AVP 8', ''].join('\r\n'), { address: '2001:db8::10', rtpPort: 20000 }, ctx);
  assert.equal(a.media.remote.address, '2001:db8::1');
  assert.equal(a.media.codec, 'PCMA');
  assert.match(a.sdp, /^c=IN IP6 2001:db8::10\r$/m);
});
