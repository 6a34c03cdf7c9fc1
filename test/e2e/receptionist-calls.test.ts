// Whole phone calls to the receptionist: the caller simulator speaks (flite, L16/16000) to a full
// appliance running pocketsphinx + flite, and each call must end with the right appointment in
// SQLite. The appliance's clock is shifted to Monday 2026-11-30 10:00 in the spa's zone (time
// still flows), so the days the caller names are the same whenever the suite runs.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { DateTime } from 'luxon';
import { createLogger } from '../../appliance/log.js';
import { openingHoursClock, startAppliance, type RunningAppliance } from '../helpers/appliance.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema, type CallResult, type ScriptTurn } from '../sim/script.js';

const log = createLogger({ level: 'silent' });
const ZONE = 'America/New_York';

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

let box: RunningAppliance;

before(async () => {
  box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, undefined, undefined, { clock: openingHoursClock() });
  // A box that has settled after boot: its knowledge model is not being fitted during the first call.
  await box.appliance.knowledgeReady();
});
after(async () => {
  await box.stop();
});

async function call(from: string, turns: ScriptTurn[], codec: 'L16' | 'PCMU' = 'L16'): Promise<{ result: CallResult; detail: CallView }> {
  const result = await placeCall({ target: box.sipTarget, codec, log, script: scriptSchema.parse({ from, turns }), askedAgain });
  assert.equal(result.connected, true);
  const { calls } = await box.api<{ calls: { id: number; caller: { phone: string | null } }[] }>('/api/calls');
  const mine = calls.find((c) => c.caller.phone === from);
  const detail = await box.api<CallView>(`/api/calls/${mine?.id ?? 0}`);
  return { result, detail };
}

/**
 * Whether the box's latest reply asked the caller to say it again (a turn it heard but could not
 * take for an answer): the caller then repeats the line, as a person would. Read from the box's
 * database (the calls run one at a time).
 */
function askedAgain(): boolean {
  const db = new Database(join(box.dataDir, 'spa.db'), { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT text FROM conversation_messages WHERE role = 'agent' ORDER BY id DESC LIMIT 1").get() as { text: string } | undefined;
    return row?.text.startsWith("Sorry, I didn't catch that.") ?? false;
  } finally {
    db.close();
  }
}

async function appointments(): Promise<ApptView[]> {
  const r = await box.api<{ appointments: ApptView[] }>('/api/appointments?from=2026-11-30&to=2027-01-31');
  return r.appointments;
}

function transcript(d: CallView): string {
  return d.call.turns.map((t) => `caller: ${t.caller}\nbox: ${t.reply}`).join('\n');
}

const localHour = (iso: string): number => DateTime.fromISO(iso, { zone: ZONE }).hour;
const localDay = (iso: string): string => DateTime.fromISO(iso, { zone: ZONE }).toISODate() ?? '';

async function bookDirect(phone: string, name: string, service: string, start: string): Promise<ApptView> {
  const res = await fetch(`${box.url}/api/appointments`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: await cookie() },
    body: JSON.stringify({ service, start, client: { phone, name } }),
  });
  const text = await res.text();
  assert.equal(res.status, 201, text);
  return (JSON.parse(text) as { appointment: ApptView }).appointment;
}

async function cookie(): Promise<string> {
  const res = await fetch(`${box.url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'owner', password: 'test-owner-password' }),
  });
  return (res.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

describe('phone calls to the receptionist end with the right appointment', () => {
  test('a new caller books a chemical peel for Saturday morning by voice', async () => {
    const from = '+12035550101';
    const { detail } = await call(from, [
      { say: "I'd like to book a chemical peel on Saturday morning" },
      { say: 'the first one' },
      { say: 'my name is jane smith' },
      { say: 'yes' },
      { say: 'yes' },
      { say: 'no thanks' },
      { hangup: true },
    ]);
    const mine = (await appointments()).filter((a) => a.client?.phone === from && a.status === 'booked');
    assert.equal(mine.length, 1, transcript(detail));
    const a = mine[0];
    assert.equal(a?.service.id, 'chemical-peel');
    assert.equal(localDay(a?.start ?? ''), '2026-12-05');
    assert.ok(localHour(a?.start ?? '') < 12);
    assert.equal(a?.client?.name, 'Jane Smith');
    assert.equal(a?.source, 'call');
    assert.match(detail.call.summary, /Jane Smith.*booked Chemical Peel/);
  });

  test('a HydraFacial on Tuesday afternoon, the second time offered', async () => {
    const from = '+12035550102';
    const { detail } = await call(from, [
      { say: 'I want a hydrafacial on tuesday afternoon' },
      { say: 'the signature hydrafacial please' },
      { say: 'the second one' },
      { say: 'my name is emma brown' },
      { say: 'yes' },
      { say: 'yes' },
      { say: 'goodbye' },
      { hangup: true },
    ]);
    const mine = (await appointments()).filter((a) => a.client?.phone === from && a.status === 'booked');
    assert.equal(mine.length, 1, transcript(detail));
    assert.equal(mine[0]?.service.id, 'hydrafacial-signature');
    assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-01');
    assert.ok(localHour(mine[0]?.start ?? '') >= 12);
  });

  test('a returning caller reschedules to Thursday afternoon (caller ID on file and the name on file)', async () => {
    const from = '+12035550103';
    const before = await bookDirect(from, 'Olivia Green', 'chemical-peel', '2026-12-01T10:00');
    const { detail } = await call(from, [
      { say: 'I need to reschedule my appointment' },
      { say: 'my name is olivia green' },
      { say: 'thursday afternoon' },
      { say: 'the first one' },
      { say: 'yes' },
      { say: 'no thanks' },
      { hangup: true },
    ]);
    const mine = (await appointments()).filter((a) => a.id === before.id);
    assert.equal(mine[0]?.status, 'booked', transcript(detail));
    assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-03', transcript(detail));
    assert.ok(localHour(mine[0]?.start ?? '') >= 12);
  });

  test('a caller cancels their appointment after a clear yes', async () => {
    const from = '+12035550104';
    const appt = await bookDirect(from, 'Grace Hill', 'microneedling', '2026-12-02T11:00');
    const { detail } = await call(from, [{ say: 'I need to cancel my appointment' }, { say: 'my name is grace hill' }, { say: 'yes' }, { say: 'no thanks' }, { hangup: true }]);
    const after = (await appointments()).find((a) => a.id === appt.id);
    assert.equal(after?.status, 'cancelled', transcript(detail));
    assert.match(detail.call.summary, /cancelled Microneedling/);
  });

  test("a caller from another number who says a client's name but not the day hears nothing and cancels nothing; staff are asked to call the number on file", async () => {
    const onFile = '+12035550107';
    const appt = await bookDirect(onFile, 'Lisa Moore', 'ipl-photofacial', '2026-12-05T13:00');
    const { detail } = await call('+12035550108', [
      { say: 'I need to cancel my appointment' },
      { say: 'my name is lisa moore' },
      { say: 'friday' },
      { say: 'my name is lisa moore' },
      { say: 'friday' },
      { say: 'yes please' },
      { say: 'no thanks' },
      { hangup: true },
    ]);
    const after = (await appointments()).find((a) => a.id === appt.id);
    assert.equal(after?.status, 'booked', transcript(detail));
    assert.equal(after?.start, appt.start);
    for (const t of detail.call.turns) assert.doesNotMatch(t.reply, /IPL|Photofacial|Saturday|December 5th|at one\b/i, transcript(detail));
    const { alerts } = await box.api<{ alerts: { phone: string | null; text: string }[] }>('/api/alerts');
    assert.ok(alerts.some((a) => a.phone === onFile && a.text.includes('Calling number: +12035550108 (not verified)')), transcript(detail));
  });

  test('a new Botox caller is booked into the consultation, choosing the time and confirming the number by keypad', async () => {
    const from = '+12035550105';
    const { detail } = await call(from, [
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
    const mine = (await appointments()).filter((a) => a.client?.phone === from && a.status === 'booked');
    assert.equal(mine.length, 1, transcript(detail));
    assert.equal(mine[0]?.service.id, 'injectables-consult');
    assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-04');
    assert.ok(localHour(mine[0]?.start ?? '') < 12);
    assert.equal(mine[0]?.client?.name, 'Laura Davis');
  });

  // 8 kHz calls now get the spoken receptionist too (pocketsphinx with band filling); a caller who
  // prefers keys presses one at the greeting and is in the same keypad menus as before.
  test('an 8 kHz (PCMU) caller who presses a key at the greeting books by the keypad menus', async () => {
    const from = '+12035550106';
    const keys = (d: string): ScriptTurn[] => [{ dtmf: d }, { wait_ms: 1200 }];
    // Main menu 1 = book; categories in catalogue order (consultation, facial, filler, laser,
    // neuromodulator, skin): 6 = skin; Chemical Peel is its first service; the first time; confirm.
    const { detail } = await call(from, [{ wait_ms: 1500 }, ...keys('1'), ...keys('6'), ...keys('1'), ...keys('1'), ...keys('1'), { wait_ms: 1500 }, { hangup: true }], 'PCMU');
    const mine = (await appointments()).filter((a) => a.client?.phone === from && a.status === 'booked');
    assert.equal(mine.length, 1, transcript(detail));
    assert.equal(mine[0]?.service.id, 'chemical-peel');
    assert.equal(mine[0]?.source, 'call');
    assert.match(detail.call.summary, /booked Chemical Peel/);
  });

  test('an 8 kHz (PCMU) caller books a chemical peel for Saturday morning by voice', async () => {
    const from = '+12035550109';
    const { detail } = await call(from, [
      { say: "I'd like to book a chemical peel on Saturday morning" },
      { say: 'the first one' },
      { say: 'my name is jane smith' },
      { say: 'yes' },
      { say: 'yes' },
      { say: 'no thanks' },
      { hangup: true },
    ], 'PCMU');
    assert.ok(detail.call.turns.some((t) => t.input === 'speech'), `the caller was heard by speech: ${transcript(detail)}`);
    const mine = (await appointments()).filter((a) => a.client?.phone === from && a.status === 'booked');
    assert.equal(mine.length, 1, transcript(detail));
    assert.equal(mine[0]?.service.id, 'chemical-peel');
    assert.equal(localDay(mine[0]?.start ?? ''), '2026-12-05');
    assert.ok(localHour(mine[0]?.start ?? '') < 12);
    assert.equal(mine[0]?.client?.name, 'Jane Smith');
  });
});
