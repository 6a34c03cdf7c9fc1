// Whole phone calls to the receptionist: the caller simulator speaks (flite, L16/16000) to a full
// appliance running pocketsphinx + flite, and each call must end with the right appointment in
// SQLite. The appliance's clock is shifted to Monday 2026-11-30 10:00 in the spa's zone (time
// still flows), so the days the caller names are the same whenever the suite runs.
//
// Each call is between a caller and an appliance of its own, each in a process of its own as a
// phone and the box would be (helpers/appliance-process.ts, helpers/caller-process.ts): no call's
// bookings can change the times another is offered, and no process's work stalls another's 20 ms
// audio. A spoken call takes as long as its words (35-60 s), so calls run side by side where the
// machine has cores to spare (CALLS_AT_ONCE).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DateTime } from 'luxon';
import { startApplianceProcess, type ApplianceProcess } from '../helpers/appliance-process.js';
import { placeCallInProcess } from '../helpers/caller-process.js';
import { TEST_ADMIN_PASSWORD } from '../helpers/owner-api.js';
import { scriptSchema, type CallResult, type ScriptTurn } from '../sim/script.js';

const ZONE = 'America/New_York';
/**
 * Calls in progress at once: one per core (2 on the 2-core test machine). A call is mostly waiting
 * on real-time audio, but after each turn pocketsphinx takes about a second of a core (its decoder
 * with the full language model), and with too many calls those seconds pile up: the boxes' and
 * the callers' 20 ms audio ticks run late, frames are skipped and words misheard. Measured on 2
 * cores, this file alone at a load of 3-5 from other work: 2 at once passed in 182 s, 4 at once
 * in 126 s, 7 at once skipped caller frames in four calls and misheard one (one at a time: 360 s).
 */
// One at a time for now: in a clean-clone CI run with another test file beside it, two at once
// misheard three calls of seven (load from other work on the machine); the separate processes stay.
const CALLS_AT_ONCE = 1;

interface ApptView {
  id: number;
  status: string;
  source: string;
  start: string;
  service: { id: string };
  provider: { id: string };
  client: { name: string; phone: string } | null;
}
interface CallView {
  call: { outcome: string; summary: string; turns: { input: string; caller: string; reply: string }[] };
}

/** An appliance of its own for one call, started at opening hours and stopped after. */
async function withBox(work: (box: ApplianceProcess) => Promise<void>): Promise<void> {
  const box = await startApplianceProcess({ env: { SPA_RING_TIMEOUT_S: '0' }, openingHours: true });
  try {
    await work(box);
  } finally {
    await box.stop();
  }
}

async function call(box: ApplianceProcess, from: string, turns: ScriptTurn[], codec: 'L16' | 'PCMU' = 'L16'): Promise<{ result: CallResult; detail: CallView }> {
  const result = await placeCallInProcess({ target: box.sipTarget, codec, script: scriptSchema.parse({ from, turns }) });
  assert.equal(result.connected, true);
  const { calls } = await box.api<{ calls: { id: number; caller: { phone: string | null } }[] }>('/api/calls');
  const mine = calls.find((c) => c.caller.phone === from);
  const detail = await box.api<CallView>(`/api/calls/${mine?.id ?? 0}`);
  return { result, detail };
}

async function appointments(box: ApplianceProcess): Promise<ApptView[]> {
  const r = await box.api<{ appointments: ApptView[] }>('/api/appointments?from=2026-11-30&to=2027-01-31');
  return r.appointments;
}

function transcript(d: CallView): string {
  return d.call.turns.map((t) => `caller: ${t.caller}\nbox: ${t.reply}`).join('\n');
}

const localHour = (iso: string): number => DateTime.fromISO(iso, { zone: ZONE }).hour;
const localDay = (iso: string): string => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? '';

async function bookDirect(box: ApplianceProcess, phone: string, name: string, service: string, start: string): Promise<ApptView> {
  const res = await fetch(`${box.url}/api/appointments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: await cookie(box) },
    body: JSON.stringify({ service, start, client: { phone, name } }),
  });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return (JSON.parse(text) as { appointment: ApptView }).appointment;
}

async function cookie(box: ApplianceProcess): Promise<string> {
  const res = await fetch(`${box.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: TEST_ADMIN_PASSWORD }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('phone calls to the receptionist end with the right appointment', { concurrency: CALLS_AT_ONCE }, () => {
  test('a new caller books a chemical peel for Saturday morning by voice', async () => {
    await withBox(async (box) => {
      const from = '+12035550101';
      const { detail } = await call(box, from, [
        { say: "I'd like to book a chemical peel on Saturday morning" },
        { say: 'the first one' },
        { say: 'my name is jane smith' },
        { say: 'yes' },
        { say: 'yes' },
        { say: 'no thanks' },
        { hangup: true },
      ]);
      const mine = (await appointments(box)).filter((a) => a.client?.phone === from && a.status === 'booked');
      assert.equal(mine.length, 1, transcript(detail));
      const a = mine[0];
      assert.equal(a?.service.id, 'chemical-peel');
      assert.equal(localDay(a?.start ?? ''), '2026-12-05');
      assert.ok(localHour(a?.start ?? '') < 12);
      assert.equal(a?.client?.name, 'Jane Smith');
      assert.equal(a?.source, 'call');
      assert.match(detail.call.summary, /Jane Smith.*booked Chemical Peel/);
    });
  });

  test('a HydraFacial on Tuesday afternoon, the second time offered', async () => {
    await withBox(async (box) => {
      const from = '+12035550102';
      const { detail } = await call(box, from, [
        { say: 'I want a hydrafacial on tuesday afternoon' },
        { say: 'the second one' },
        { say: 'my name is emma brown' },
        { say: 'yes' },
        { say: 'yes' },
        { say: 'goodbye' },
        { hangup: true },
      ]);
      const mine = (await appointments(box)).filter((a) => a.client?.phone === from && a.status === 'booked');
      assert.equal(mine.length, 1, transcript(detail));
      assert.equal(mine[0]?.service.id, 'hydrafacial-signature');
      assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-01');
      assert.ok(localHour(mine[0]?.start ?? '') >= 12);
    });
  });

  test('a returning caller reschedules to Thursday afternoon (caller ID on file and the name on file)', async () => {
    await withBox(async (box) => {
      const from = '+12035550103';
      const before = await bookDirect(box, from, 'Olivia Green', 'chemical-peel', '2026-12-01T10:00');
      const { detail } = await call(box, from, [
        { say: 'I need to reschedule my appointment' },
        { say: 'my name is olivia green' },
        { say: 'thursday afternoon' },
        { say: 'the first one' },
        { say: 'yes' },
        { say: 'no thanks' },
        { hangup: true },
      ]);
      const mine = (await appointments(box)).filter((a) => a.id === before.id);
      assert.equal(mine[0]?.status, 'booked', transcript(detail));
      assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-03', transcript(detail));
      assert.ok(localHour(mine[0]?.start ?? '') >= 12);
    });
  });

  test('a caller cancels their appointment after a clear yes', async () => {
    await withBox(async (box) => {
      const from = '+12035550104';
      const appt = await bookDirect(box, from, 'Grace Hill', 'microneedling', '2026-12-02T11:00');
      const { detail } = await call(box, from, [{ say: 'I need to cancel my appointment' }, { say: 'my name is grace hill' }, { say: 'yes' }, { say: 'no thanks' }, { hangup: true }]);
      const after = (await appointments(box)).find((a) => a.id === appt.id);
      assert.equal(after?.status, 'cancelled', transcript(detail));
      assert.match(detail.call.summary, /cancelled Microneedling/);
    });
  });

  test("a caller from another number who says a client's name but not the day hears nothing and cancels nothing; staff are asked to call the number on file", async () => {
    await withBox(async (box) => {
      const onFile = '+12035550107';
      const appt = await bookDirect(box, onFile, 'Lisa Moore', 'ipl-photofacial', '2026-12-05T13:00');
      const { detail } = await call(box, '+12035550108', [
        { say: 'I need to cancel my appointment' },
        { say: 'my name is lisa moore' },
        { say: 'friday' },
        { say: 'my name is lisa moore' },
        { say: 'friday' },
        { say: 'yes please' },
        { say: 'no thanks' },
        { hangup: true },
      ]);
      const after = (await appointments(box)).find((a) => a.id === appt.id);
      assert.equal(after?.status, 'booked', transcript(detail));
      assert.equal(after?.start, appt.start);
      for (const t of detail.call.turns) assert.doesNotMatch(t.reply, /IPL|Photofacial|Saturday|December 5th|at one\b/i, transcript(detail));
      const { alerts } = await box.api<{ alerts: { phone: string | null; text: string }[] }>('/api/alerts');
      assert.ok(alerts.some((a) => a.phone === onFile && a.text.includes('Calling number: +12035550108 (not verified)')), transcript(detail));
    });
  });

  test('a new Botox caller is booked into the consultation, choosing the time and confirming the number by keypad', async () => {
    await withBox(async (box) => {
      const from = '+12035550105';
      const { detail } = await call(box, from, [
        { say: "I'd like to book an appointment" },
        { say: 'botox' },
        { say: 'friday morning' },
        { dtmf: '1' },
        { wait_ms: 1500 },
        { say: 'my name is laura davis' },
        { dtmf: '1' },
        { wait_ms: 2500 },
        { say: 'yes' },
        { say: 'no thanks' },
        { hangup: true },
      ]);
      const mine = (await appointments(box)).filter((a) => a.client?.phone === from && a.status === 'booked');
      assert.equal(mine.length, 1, transcript(detail));
      assert.equal(mine[0]?.service.id, 'injectables-consult');
      assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-04');
      assert.ok(localHour(mine[0]?.start ?? '') < 12);
      assert.equal(mine[0]?.client?.name, 'Laura Davis');
    });
  });

  test('an 8 kHz (PCMU) call, which pocketsphinx cannot hear, books by keypad menus', async () => {
    await withBox(async (box) => {
      const from = '+12035550106';
      const keys = (d: string): ScriptTurn[] => [{ dtmf: d }, { wait_ms: 1200 }];
      // Main menu 1 = book; categories in catalogue order (consultation, facial, filler, laser,
      // neuromodulator, skin): 6 = skin; Chemical Peel is its first service; the first time; confirm.
      const { detail } = await call(box, from, [{ wait_ms: 1500 }, ...keys('1'), ...keys('6'), ...keys('1'), ...keys('1'), ...keys('1'), { wait_ms: 1500 }, { hangup: true }], 'PCMU');
      const mine = (await appointments(box)).filter((a) => a.client?.phone === from && a.status === 'booked');
      assert.equal(mine.length, 1, transcript(detail));
      assert.equal(mine[0]?.service.id, 'chemical-peel');
      assert.equal(mine[0]?.source, 'call');
      assert.match(detail.call.summary, /booked Chemical Peel/);
    });
  });
});
