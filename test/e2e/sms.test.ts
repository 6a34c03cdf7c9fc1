// Texting end to end on a whole appliance with the simulated modem (SPA_MODEM=sim): a real SIP
// call from sipp cancelled while ringing gets the text-back within 15 s, a second miss within a day
// gets none, STOP opts the number out, and an SMS conversation books an appointment.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openingHoursClock, startAppliance } from '../helpers/appliance.js';
import { runSipp } from '../helpers/sipp.js';
import { untilEvent } from '../helpers/until.js';

interface MessageView {
  id: number;
  phone: string;
  direction: 'in' | 'out';
  kind: string;
  text: string;
  status: string;
  createdAt: string;
  sentAt: string | null;
}
interface MessagesView {
  threads: Array<{ phone: string; optedOut: boolean; paused: boolean; messages: number }>;
  messages: MessageView[];
}

const SIPP_CALLER = '+12035550188';
/** Handed to the (simulated) modem: sent, or already reported delivered. */
const handed = (m: MessageView): boolean => m.status === 'sent' || m.status === 'delivered';
const JSON_HEADERS = { 'content-type': 'application/json' };

test('missed call -> text-back within 15 s; a second miss within 24 h -> none; STOP -> opted out with one confirmation text', async () => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '20' }, undefined, undefined, { clock: openingHoursClock() });
  try {
    const messages = async (): Promise<MessagesView> => box.api<MessagesView>(`/api/messages?phone=${encodeURIComponent(SIPP_CALLER)}`);
    const r = await runSipp({ scenario: 'uac-cancel.xml', target: box.sipTarget, keys: { reason: '' } });
    assert.equal(r.code, 0, r.errors || r.stderr);
    const missedAt = Date.now();
    let sent: MessageView | undefined;
    await untilEvent(box.appliance, 'sms', async () => (sent = (await messages()).messages.find((m) => m.kind === 'text-back' && handed(m))) !== undefined, 'the text-back handed to the modem', 15_000);
    assert.ok(sent, 'the text-back was handed to the modem');
    assert.ok(Date.now() - missedAt < 15_000);
    assert.equal(sent.text, 'Sorry we missed your call at Lumière Med Spa. How can we help? You can book right here by text.');

    const again = await runSipp({ scenario: 'uac-cancel.xml', target: box.sipTarget, keys: { reason: '' } });
    assert.equal(again.code, 0);
    const { calls } = await box.api<{ calls: Array<{ outcome: string }> }>('/api/calls');
    assert.deepEqual(calls.map((c) => c.outcome), ['missed', 'missed']);
    // The second miss is decided synchronously on the call's CANCEL: by now it would be queued.
    assert.equal((await messages()).messages.filter((m) => m.kind === 'text-back').length, 1);

    await box.api('/api/sim/sms', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ from: SIPP_CALLER, text: 'STOP' }) });
    let view = await messages();
    await untilEvent(box.appliance, 'sms', async () => (view = await messages()).messages.some((m) => m.kind === 'compliance' && handed(m)), 'the opt-out confirmation', 10_000);
    assert.equal(view.threads[0]?.optedOut, true);
    assert.ok(view.messages.some((m) => m.kind === 'compliance' && handed(m) && /unsubscribed/.test(m.text)));
    const health = await box.api<{ modem: { driver: string; state: string } }>('/api/health');
    assert.deepEqual([health.modem.driver, health.modem.state], ['sim', 'ready']);
  } finally {
    await box.stop();
  }
});

test('an SMS conversation with the receptionist books an appointment, every answer going out by text', async () => {
  const box = await startAppliance({}, undefined, undefined, { clock: openingHoursClock() });
  const from = '+12035550177';
  try {
    const say = async (text: string, replies: number): Promise<MessageView[]> => {
      await box.api('/api/sim/sms', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify({ from, text }) });
      let out: MessageView[] = [];
      const answered = async (): Promise<boolean> => {
        out = (await box.api<MessagesView>(`/api/messages?phone=${encodeURIComponent(from)}`)).messages.filter((m) => m.direction === 'out' && handed(m));
        return out.length >= replies;
      };
      await untilEvent(box.appliance, 'sms', answered, `answer ${replies} by text`, 60_000);
      return out;
    };
    assert.match((await say('can I book a chemical peel saturday at 10?', 1))[0]?.text ?? '', /Sat Dec 5, 10 AM/);
    assert.match((await say('yes', 2))[0]?.text ?? '', /name/);
    assert.match((await say('Mia Wong', 3))[0]?.text ?? '', /Shall I book it\?/);
    await say('yes', 4);
    const { appointments } = await box.api<{ appointments: Array<{ source: string; client?: { phone?: string } }> }>('/api/appointments?from=2026-12-05&to=2026-12-06');
    assert.equal(appointments.filter((a) => a.source === 'sms').length, 1);
  } finally {
    await box.stop();
  }
});
