// SIP and RTP abuse from other hosts on the LAN, with real peers on loopback (Linux answers for
// all of 127.0.0.0/8, so sipp -i 127.0.0.2 is another host as far as the box can tell):
// - sipp from a network the allow-list does not name, over UDP and TCP: dropped on the source
//   address before any parsing, no answer, no call row;
// - an INVITE flood from one allowed host while a caller from another is still answered;
// - RTP from a stranger's address during a call: ignored, and nothing is sent to it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeUlaw } from '../../appliance/media/g711.js';
import { parseRtp, serializeRtp } from '../../appliance/media/rtp-packet.js';
import type { ActiveCall, CallHandler } from '../../appliance/telephony/call-manager.js';
import { channel, readWav, type WavAudio } from '../../appliance/shared/wav.js';
import { startAppliance, type RunningAppliance } from '../helpers/appliance.js';
import { freeUdpPort, runSipp } from '../helpers/sipp.js';
import { until } from '../helpers/until.js';

interface CallView {
  id: number;
  outcome: string | null;
}

async function callSources(box: RunningAppliance): Promise<{ outcome: string | null; source: string }[]> {
  const { calls } = await box.api<{ calls: CallView[] }>('/api/calls?limit=500');
  const out: { outcome: string | null; source: string }[] = [];
  for (const c of calls) {
    const { call } = await box.api<{ call: CallView & { sourceAddress: string } }>(`/api/calls/${c.id}`);
    out.push({ outcome: call.outcome, source: call.sourceAddress.split(':')[0] ?? '' });
  }
  return out;
}


test('sipp from a network not in the allow-list, over UDP and over TCP, is dropped on its source address before parsing: no answer, no call row', { timeout: 60_000 }, async () => {
  const box = await startAppliance({}, { telephony: { allowNetworks: ['127.0.0.1/32'] } });
  try {
    const udp = await runSipp({ scenario: 'uac-unanswered.xml', target: box.sipTarget, localIp: '127.0.0.2', fill: { silence_ms: '3000' }, timeoutMs: 20_000 });
    assert.equal(udp.code, 0, `sipp got an answer over UDP, or failed otherwise:\n${udp.errors || udp.stderr}`);
    assert.doesNotMatch(udp.messages, /SIP\/2\.0 \d{3}/, 'no response reached sipp');
    let stats = box.appliance.sipStats().transport;
    assert.ok(stats, 'transport stats');
    assert.ok(stats.droppedNotAllowed >= 2, `the INVITE and its retransmissions were dropped (${stats.droppedNotAllowed})`);
    assert.equal(stats.received, 0, 'nothing was parsed');
    assert.equal(stats.droppedMalformed, 0, 'nothing was even inspected');

    const tcp = await runSipp({ scenario: 'uac-unanswered.xml', target: box.sipTarget, localIp: '127.0.0.2', fill: { silence_ms: '3000' }, args: ['-t', 't1'], timeoutMs: 20_000 });
    assert.notEqual(tcp.code, 0);
    assert.match(`${tcp.stderr}\n${tcp.errors}`, /reset by peer/i, `sipp saw its connection reset:\n${tcp.stderr}`);
    assert.doesNotMatch(tcp.messages, /SIP\/2\.0 \d{3}/, 'no response reached sipp over TCP');
    stats = box.appliance.sipStats().transport;
    assert.ok(stats);
    assert.ok(stats.tcpRefusedNotAllowed >= 1, `the TCP connection was reset at accept (${stats.tcpRefusedNotAllowed})`);
    assert.equal(stats.received, 0);
    assert.equal(stats.droppedMalformed, 0);
    assert.equal(stats.tcpConnections, 0);

    const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
    assert.equal(calls.length, 0, 'refused sources leave no call row');

    // The allowed address is still served, over both (the control: the box was listening all along).
    const options = await runSipp({ scenario: 'uac-options.xml', target: box.sipTarget });
    assert.equal(options.code, 0, options.errors || options.stderr);
    const optionsTcp = await runSipp({ scenario: 'uac-options.xml', target: box.sipTarget, args: ['-t', 't1'] });
    assert.equal(optionsTcp.code, 0, optionsTcp.errors || optionsTcp.stderr);
  } finally {
    await box.stop();
  }
});

test('an INVITE flood from one LAN host takes at most its share of the lines; a caller from another host is still answered', { timeout: 120_000 }, async () => {
  // 4 lines: the flooding host may hold 3 (all but one), and 20 new INVITEs a minute after a burst
  // of 10 (486 beyond); beyond 5 INVITEs a second after a burst of 20 they are shed unparsed.
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0', SPA_MAX_CALLS: '4' });
  try {
    const flood = runSipp({
      scenario: 'uac-flood.xml',
      target: box.sipTarget,
      localIp: '127.0.0.2',
      calls: 300,
      // An INVITE the box sheds unparsed is never answered: sipp gives it up after 3 retransmissions
      // (7.5 s) instead of its default 7 (31.5 s), so the flood, which the test waits for, ends soon
      // after its last INVITE. The box answers at once (ring timeout 0), refuses, or sheds.
      args: ['-r', '100', '-l', '300', '-d', '8000', '-max_invite_retrans', '3'],
      timeoutMs: 60_000,
    });
    const refused = (): number => {
      const { calls: c, transport: t } = box.appliance.sipStats();
      return (c?.refusedSourceCalls ?? 0) + (c?.refusedSourceRate ?? 0) + (t?.droppedInviteFlood ?? 0);
    };
    await until(() => refused() >= 50, 'the flood is being refused', 20_000, 20);
    const caller = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, localIp: '127.0.0.3', args: ['-d', '1000'], timeoutMs: 30_000 });
    const refusedWhileCalling = refused();
    assert.equal(caller.code, 0, `the caller from 127.0.0.3 was not answered during the flood:\n${caller.errors || caller.stderr}`);
    assert.match(caller.messages, /SIP\/2\.0 180/, 'the caller heard ringing');
    const flooded = await flood;
    assert.match(flooded.messages, /SIP\/2\.0 486/, 'the flood met 486 Busy Here');
    assert.ok(refusedWhileCalling > 50 && refused() >= 250, `refused or shed ${refused()} INVITEs of a 300-call flood`);
    const shed = box.appliance.sipStats().transport?.droppedInviteFlood ?? 0;
    assert.ok(shed > 0, 'past its burst, the flood was shed before parsing');

    const rows = await callSources(box);
    const fromFlood = rows.filter((r) => r.source === '127.0.0.2');
    const fromCaller = rows.filter((r) => r.source === '127.0.0.3');
    assert.deepEqual(fromCaller.map((r) => r.outcome), ['ai-handled']);
    assert.ok(fromFlood.length <= 13, `refused flood INVITEs leave no call row (${fromFlood.length} rows: the few answered)`);
    assert.equal(box.appliance.sipStats().calls?.refusedBusy, 0, 'no caller met "all lines busy"');
  } finally {
    await box.stop();
  }
});

/** A PCMU packet of 160 samples from `samples` at `offset`. */
function pcmuPacket(seq: number, ssrc: number, samples: Int16Array, offset: number): Buffer {
  const pcm = new Int16Array(160);
  for (let i = 0; i < 160; i++) pcm[i] = samples[(offset + i) % samples.length] ?? 0;
  return serializeRtp({ payloadType: 0, sequenceNumber: seq & 0xffff, timestamp: (seq * 160) >>> 0, ssrc, payload: encodeUlaw(pcm) });
}

function peak(frames: Int16Array): number {
  let m = 0;
  for (const s of frames) m = Math.max(m, Math.abs(s));
  return m;
}

test("RTP from a stranger's address during a call is ignored: the caller's audio and the recording hold only the caller, and nothing is sent to the stranger", { timeout: 60_000 }, async () => {
  const frames: Int16Array[] = [];
  let answered: ActiveCall | undefined;
  const handler: CallHandler = {
    handle(call) {
      answered = call;
      call.media.on('audio', (f) => frames.push(Int16Array.from(f)));
    },
  };
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } }, handler);
  const phone = createSocket('udp4');
  const stranger = createSocket('udp4');
  try {
    const phonePort = await freeUdpPort();
    await new Promise<void>((r) => phone.bind(phonePort, '127.0.0.1', r));
    await new Promise<void>((r) => stranger.bind(0, '127.0.0.5', r));
    let toStranger = 0;
    stranger.on('message', () => toStranger++);
    const firstFromBox = once(phone, 'message') as Promise<[Buffer, RemoteInfo]>;
    const ended = once(box.appliance, 'callEnded');
    const sipp = runSipp({ scenario: 'uac-media-elsewhere.xml', target: box.sipTarget, keys: { rtp_port: String(phonePort) }, args: ['-d', '6000'], timeoutMs: 30_000 });

    // The box's RTP port: where its first packet to the caller came from (an attacker would scan for it).
    const [packet, boxRtp] = await firstFromBox;
    assert.ok(parseRtp(packet), 'the box sends RTP to the address in the SDP');
    const boxPort = boxRtp.port;
    const caller = Int16Array.from({ length: 8000 }, (_, i) => Math.round(8000 * Math.sin((2 * Math.PI * 440 * i) / 8000)));
    const loud = Int16Array.from({ length: 160 }, (_, i) => (i % 8 < 4 ? 30000 : -30000));
    const sendFrom = (s: Socket, p: Buffer): void => s.send(p, boxPort, '127.0.0.1');
    let strangerSeq = 5000;
    const strangerBurst = (): void => {
      sendFrom(stranger, Buffer.from('garbage, not RTP'));
      sendFrom(stranger, Buffer.from([0x80, 0x00, 0x00])); // a truncated header
      for (let i = 0; i < 10; i++) {
        // Valid-looking RTP: our payload type, the caller's SSRC, sequence numbers near the caller's.
        sendFrom(stranger, pcmuPacket(strangerSeq++, 0x1234, loud, 0));
        sendFrom(stranger, pcmuPacket(i, 0xabcdef, loud, 0));
      }
    };
    // The stranger speaks first: before the caller sends anything (a latch-on-first-packet box would take it).
    strangerBurst();
    // The caller: 1 s of a 440 Hz tone, 20 ms a packet; 2.5 s of silence (nothing sent), the
    // stranger busy all the while; 1 s more tone.
    let seq = 1;
    const talk = async (packets: number): Promise<void> => {
      for (let i = 0; i < packets; i++) {
        sendFrom(phone, pcmuPacket(seq, 0x1234, caller, (seq * 160) % caller.length));
        seq++;
        await new Promise((r) => setTimeout(r, 20)); // real-time pacing of the caller's stream
      }
    };
    await talk(50);
    for (let i = 0; i < 25; i++) {
      strangerBurst();
      await new Promise((r) => setTimeout(r, 100));
    }
    await talk(50);
    const result = await sipp;
    assert.equal(result.code, 0, result.errors || result.stderr);
    await ended;
    assert.ok(answered, 'the call was handed to the conversation');

    // What the receptionist heard: the caller's tone, never the stranger's full-scale square wave.
    const heard = frames.filter((f) => peak(f) > 4000);
    assert.ok(heard.length >= 80, `the caller's audio arrived (${heard.length} frames with the tone)`);
    const loudest = Math.max(...frames.map(peak));
    assert.ok(loudest < 12000, `nothing of the stranger's audio was heard (peak ${loudest})`);
    assert.equal(toStranger, 0, 'the box sent nothing to the stranger');

    // The recording: caller on the left, the same story.
    await until(() => readRecording(box) !== null, 'the recording is written', 20_000, 20);
    const wav = readRecording(box);
    assert.ok(wav);
    const left = channel(wav, 0);
    assert.ok(peak(left) > 4000 && peak(left) < 12000, `recording's caller side: peak ${peak(left)}`);
  } finally {
    phone.close();
    stranger.close();
    await box.stop();
  }
});

function readRecording(box: RunningAppliance): WavAudio | null {
  try {
    const wav = readWav(readFileSync(join(box.dataDir, 'recordings', 'call-1.wav')));
    return wav.samples.length > 0 ? wav : null;
  } catch {
    return null;
  }
}
