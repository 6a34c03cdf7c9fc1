// Real SIP calls from sipp (Debian's sip-tester) to a whole appliance on loopback. Each test has an
// appliance of its own and most of a test is waiting on sipp's timers and pauses, so they run two
// at a time.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { channel, readWav } from '../../appliance/shared/wav.js';
import { openingHoursClock, startAppliance } from '../helpers/appliance.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { freeUdpPort, runSipp, SIPP_SCENARIOS } from '../helpers/sipp.js';
import { untilEvent } from '../helpers/until.js';

interface CallView {
  id: number;
  outcome: string | null;
  endReason: string;
  codec: string | null;
  ringMs: number | null;
  caller: { phone: string | null };
}

describe('sipp calls to the box', { concurrency: 2 }, () => {
  test('a call is answered only after the ring timeout, its DTMF is heard, and the caller hangs up', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '2' });
    try {
      const digits: string[] = [];
      box.appliance.on('dtmf', (e) => digits.push(e.digit));
      const started = Date.now();
      const r = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '1500'] });
      assert.equal(r.code, 0, r.errors || r.stderr);
      assert.ok(Date.now() - started >= 2000);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls.length, 1);
      const call = calls[0] as CallView;
      assert.equal(call.outcome, 'ai-handled');
      assert.equal(call.endReason, 'caller hung up');
      assert.equal(call.codec, 'PCMA/8000');
      assert.equal(call.caller.phone, '+12035550188');
      assert.ok((call.ringMs ?? 0) >= 2000 && (call.ringMs ?? 0) < 3500, `rang ${call.ringMs} ms`);
      assert.deepEqual(digits, ['1'], 'the RFC 4733 digit from sipp\'s pcap');
    } finally {
      await box.stop();
    }
  });

  test('a CANCEL while ringing is a missed call; a CANCEL with Reason cause=200 was answered by staff', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '20' });
    try {
      const missed = await runSipp({ scenario: 'uac-cancel.xml', target: box.sipTarget, keys: { reason: '' } });
      assert.equal(missed.code, 0, missed.errors || missed.stderr);
      const elsewhere = await runSipp({
        scenario: 'uac-cancel.xml',
        target: box.sipTarget,
        keys: { reason: 'Reason: SIP;cause=200;text="Call completed elsewhere"' },
      });
      assert.equal(elsewhere.code, 0, elsewhere.errors || elsewhere.stderr);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.deepEqual(calls.map((c) => c.outcome).sort(), ['answered-elsewhere', 'missed']);
      assert.ok(calls.every((c) => c.codec === null && c.ringMs === null), 'neither was answered by the box');
    } finally {
      await box.stop();
    }
  });

  test('the box hangs up with BYE when no RTP arrives, and the call log says why', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0', SPA_RTP_TIMEOUT_S: '5' });
    try {
      const ended = once(box.appliance, 'callEnded');
      const r = await runSipp({ scenario: 'uac-waits-for-bye.xml', target: box.sipTarget });
      assert.equal(r.code, 0, r.errors || r.stderr);
      await ended;
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.endReason, 'no RTP from the caller');
    } finally {
      await box.stop();
    }
  });

  test('with 10% of SIP packets lost both ways, every call still completes', async () => {
    // sipp plays the PBX forwarding 20 callers: a trunk, not held to one host's share of new calls.
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0', SPA_MAX_CALLS: '8' }, { telephony: { trunkNetworks: ['127.0.0.1/32'] } });
    let ended = 0;
    box.appliance.on('callEnded', () => ended++);
    try {
      const r = await runSipp({
        scenario: 'uac-answered-lossy.xml',
        target: box.sipTarget,
        calls: 20,
        args: ['-lost', '10', '-r', '4', '-l', '4', '-d', '500', '-recv_timeout', '40000'],
        timeoutMs: 120_000,
      });
      assert.equal(r.code, 0, `${r.errors}\n${r.stdout.slice(-2000)}`);
      // sipp's -trace_counts totals: messages really were lost, and were recovered by retransmission.
      const total = (suffix: string): number => Object.entries(r.counts).filter(([k]) => k.endsWith(suffix)).reduce((n, [, v]) => n + v, 0);
      assert.ok(total('_Lost') > 0 && total('_Retrans') > 0, `sipp lost and retransmitted messages: ${JSON.stringify(r.counts)}`);
      // sipp is done once the box has answered its last BYE; the box logs that call's end just after.
      await untilEvent(box.appliance, 'callEnded', () => ended >= 20, 'the box to log the end of all 20 calls');
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls.length, 20);
      assert.ok(calls.every((c) => c.outcome === 'ai-handled'), JSON.stringify(calls.map((c) => [c.outcome, c.endReason])));
    } finally {
      await box.stop();
    }
  });

  test('when every AI line is busy a new caller gets 486 and the call is logged as rejected busy', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0', SPA_MAX_CALLS: '1' });
    try {
      const answered = once(box.appliance, 'callAnswered');
      const first = runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '3000'] });
      await answered;
      // From another host: the first one holds all its share (the one line) of calls itself.
      const busy = await runSipp({ scenario: 'uac-expect-refusal.xml', target: box.sipTarget, localIp: '127.0.0.3', fill: { status: '486' }, keys: { media: 'm=audio 40002 RTP/AVP 0' } });
      assert.equal(busy.code, 0, busy.errors || busy.stderr);
      assert.equal((await first).code, 0);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.deepEqual(calls.map((c) => c.outcome).sort(), ['ai-handled', 'rejected-busy']);
    } finally {
      await box.stop();
    }
  });

  // Sources outside the allow-list get no answer at all: test/integration/sip-guard.test.ts.
  test('OPTIONS from an allowed PBX get 200', async () => {
    const open = await startAppliance();
    try {
      const r = await runSipp({ scenario: 'uac-options.xml', target: open.sipTarget });
      assert.equal(r.code, 0, r.errors || r.stderr);
    } finally {
      await open.stop();
    }
  });

  test('an offer with no codec in common is refused with 488', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' });
    try {
      const r = await runSipp({ scenario: 'uac-expect-refusal.xml', target: box.sipTarget, fill: { status: '488' }, keys: { media: 'm=audio 40006 RTP/AVP 18' } });
      assert.equal(r.code, 0, r.errors || r.stderr);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.outcome, 'failed');
    } finally {
      await box.stop();
    }
  });

  test('hold and resume by re-INVITE: sendonly is answered recvonly, sendrecv again after', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' });
    try {
      const r = await runSipp({ scenario: 'uac-hold.xml', target: box.sipTarget });
      assert.equal(r.code, 0, r.errors || r.stderr);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.endReason, 'caller hung up');
    } finally {
      await box.stop();
    }
  });

  const part = (name: string): string => readFileSync(join(SIPP_SCENARIOS, 'parts', name), 'utf8');

  test('pressing 0 transfers the caller to the staff extension by REFER, and the box leaves the call', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { transferTo: '201' } }, undefined, { clock: openingHoursClock() });
    try {
      const r = await runSipp({
        scenario: 'uac-transfer.xml',
        target: box.sipTarget,
        fill: { refer_status: '202', refer_reason: 'Accepted', referto: 'sip:201@127.0.0.1', after_refer: part('transfer-notify-200.xml.part') },
      });
      assert.equal(r.code, 0, r.errors || r.stderr);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.outcome, 'transferred');
    } finally {
      await box.stop();
    }
  });

  test('when the caller side refuses REFER, the box calls staff itself and bridges; the staff phone is hung up with the caller', async () => {
    const staffPort = await freeUdpPort();
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { transferTo: `sip:201@127.0.0.1:${staffPort}` } }, undefined, { clock: openingHoursClock() });
    try {
      const staff = runSipp({ scenario: 'uas-staff.xml', target: '', fill: { answer: part('staff-answers.xml.part') }, args: ['-p', String(staffPort)] });
      const caller = await runSipp({
        scenario: 'uac-transfer.xml',
        target: box.sipTarget,
        fill: { refer_status: '405', refer_reason: 'Method Not Allowed', referto: `sip:201@127.0.0.1:${staffPort}`, after_refer: part('caller-hangs-up.xml.part') },
      });
      assert.equal(caller.code, 0, caller.errors || caller.stderr);
      const s = await staff;
      assert.equal(s.code, 0, `the staff phone was called, answered and hung up by the box: ${s.errors || s.stderr}`);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.outcome, 'transferred');
    } finally {
      await box.stop();
    }
  });

  test('when REFER is refused and staff is busy, the caller stays with the box and is told so', async () => {
    const staffPort = await freeUdpPort();
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { transferTo: `sip:201@127.0.0.1:${staffPort}` } }, undefined, { clock: openingHoursClock() });
    try {
      const staff = runSipp({ scenario: 'uas-staff.xml', target: '', fill: { answer: part('staff-busy.xml.part') }, args: ['-p', String(staffPort)] });
      const caller = await runSipp({
        scenario: 'uac-transfer.xml',
        target: box.sipTarget,
        fill: { refer_status: '405', refer_reason: 'Method Not Allowed', referto: `sip:201@127.0.0.1:${staffPort}`, after_refer: part('caller-hangs-up.xml.part') },
      });
      assert.equal(caller.code, 0, caller.errors || caller.stderr);
      assert.equal((await staff).code, 0);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.outcome, 'ai-handled');
      assert.equal(calls[0]?.endReason, 'caller hung up');
    } finally {
      await box.stop();
    }
  });

  test('with recording on, a call leaves a stereo WAV: the caller on the left, the box on the right', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } });
    try {
      const r = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '2000'] });
      assert.equal(r.code, 0, r.errors || r.stderr);
      const { calls } = await box.api<{ calls: (CallView & { recording: boolean })[] }>('/api/calls');
      assert.equal(calls[0]?.recording, true);
      const path = join(box.dataDir, 'recordings', `call-${calls[0]?.id}.wav`);
      const wav = readWav(readFileSync(path));
      assert.equal(wav.channels, 2);
      assert.equal(wav.sampleRate, 16000);
      // Loudest half second of a channel (mean absolute sample): sipp's pcap plays for about a
      // second before the DTMF pcap replaces it; the greeting plays for several.
      const level = (ch: number): number => {
        const side = channel(wav, ch);
        let best = 0;
        for (let s = 0; s + 8000 <= side.length; s += 8000) {
          let sum = 0;
          for (let i = s; i < s + 8000; i++) sum += Math.abs(side[i] as number);
          best = Math.max(best, sum / 8000);
        }
        return best;
      };
      assert.ok(level(0) > 60, `the caller's pcap audio is on the left (${level(0)})`);
      assert.ok(level(1) > 300, `the greeting is on the right (${level(1)})`);
      assert.ok(wav.samples.length / 2 / 16000 >= 2, 'the recording covers the call');
    } finally {
      await box.stop();
    }
  });

  test('a call over SIP/TCP is answered and ends like one over UDP', async () => {
    const box = await startAppliance({ SPA_RING_TIMEOUT_S: '1' });
    try {
      const r = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-t', 't1', '-d', '1000'] });
      assert.equal(r.code, 0, r.errors || r.stderr);
      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls[0]?.outcome, 'ai-handled');
      assert.equal(calls[0]?.endReason, 'caller hung up');
    } finally {
      await box.stop();
    }
  });
});
