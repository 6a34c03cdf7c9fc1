// The Calls pages' API: the list's filters, one call with its turns and the booking it led to,
// the recording streamed with Range requests, and the Health page's storage figures.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';
import { seedDay } from '../../../test/helpers/ui-seed.js';
import { WAV_HEADER_BYTES } from '../../shared/wav.js';

interface Row {
  id: number;
  outcome: string | null;
  invitedAtMs: number;
}

test('the call list filters by outcome, local dates and caller (part of the number or name), newest first, and pages with before', async () => {
  const web = await openTestWeb();
  try {
    const s = seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    const cookie = await web.login();
    const list = async (q: string): Promise<number[]> => {
      const res = await web.app.inject({ url: `/api/calls${q}`, headers: { cookie } });
      assert.equal(res.statusCode, 200, `${q}: ${res.body}`);
      return res.json<{ calls: Row[] }>().calls.map((c) => c.id);
    };
    assert.deepEqual(await list(''), [s.bookedCall, s.transferredCall, s.staffCall, s.missedCall]);
    assert.deepEqual(await list('?outcome=missed'), [s.missedCall]);
    assert.deepEqual(await list('?outcome=ai-handled'), [s.bookedCall]);
    assert.deepEqual(await list('?caller=0188'), [s.bookedCall]);
    assert.deepEqual(await list('?caller=(203)%20555-0199'), [s.missedCall], 'a number as people type it');
    assert.deepEqual(await list('?caller=cleo'), [s.staffCall], 'part of the name, any case');
    assert.deepEqual(await list('?from=2026-11-30&to=2026-11-30'), [s.bookedCall, s.transferredCall, s.staffCall, s.missedCall]);
    assert.deepEqual(await list('?from=2026-12-01'), []);
    assert.deepEqual(await list('?to=2026-11-29'), []);
    const first = (await web.app.inject({ url: '/api/calls?limit=2', headers: { cookie } })).json<{ calls: Row[] }>().calls;
    assert.deepEqual(await list(`?limit=2&before=${first[1]?.invitedAtMs}`), [s.staffCall, s.missedCall]);
    for (const bad of ['?outcome=great', '?from=2026-13-01', '?from=2026-12-02&to=2026-12-01', '?caller=', '?limit=0', '?colour=red']) {
      assert.equal((await web.app.inject({ url: `/api/calls${bad}`, headers: { cookie } })).statusCode, 400, bad);
    }
  } finally {
    await web.close();
  }
});

test("a call's page data has its turns with per-turn latency and the appointment it led to, and only that one", async () => {
  const web = await openTestWeb();
  try {
    const s = seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    const cookie = await web.login();
    const get = async (id: number) =>
      (await web.app.inject({ url: `/api/calls/${id}`, headers: { cookie } })).json<{
        call: {
          summary: string;
          recording: boolean;
          turns: { input: string; caller: string; reply: string; endOfSpeechAt: number | null; latencyMs: { total: number | null; endpoint: number | null; asr: number | null; agent: number | null; tts: number | null } }[];
          appointments: { id: number; service: { name: string }; client: string | null }[];
        };
      }>().call;
    const booked = await get(s.bookedCall);
    assert.match(booked.summary, /HydraFacial/);
    assert.equal(booked.recording, true);
    assert.deepEqual(booked.turns.map((t) => t.input), ['greeting', 'speech', 'speech']);
    assert.equal(booked.turns[1]?.caller, "I'd like a HydraFacial tomorrow at eleven");
    assert.deepEqual(booked.turns[1]?.latencyMs, { endpoint: 600, asr: 180, agent: 30, tts: 230, total: 1040 });
    assert.equal(booked.turns[0]?.latencyMs.total, null);
    // When each caller turn's speech ended (a benchmark pairs them with its own caller's lines by it).
    assert.equal(booked.turns[0]?.endOfSpeechAt, null);
    assert.equal((booked.turns[2]?.endOfSpeechAt ?? 0) - (booked.turns[1]?.endOfSpeechAt ?? 0), 30_000);
    assert.deepEqual(booked.appointments.map((a) => [a.id, a.client]), [[s.boxBooking, 'Ada Lovelace']]);
    // The transferred call an hour earlier booked nothing; the staff booking is nobody's call.
    assert.deepEqual((await get(s.transferredCall)).appointments, []);
    assert.deepEqual((await get(s.missedCall)).appointments, []);
    assert.equal((await web.app.inject({ url: '/api/calls/424242', headers: { cookie } })).statusCode, 404);
  } finally {
    await web.close();
  }
});

test('the recording streams whole, or by byte range for seeking (206 with Content-Range; 416 past the end), to staff only', async () => {
  const web = await openTestWeb();
  try {
    const s = seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    const size = WAV_HEADER_BYTES + s.recordingSeconds * 8000 * 2 * 2;
    const desk = await web.addUser('desk', 'frontdesk');
    const url = `/api/calls/${s.bookedCall}/recording`;
    assert.equal((await web.app.inject({ url })).statusCode, 401);
    const whole = await web.app.inject({ url, headers: { cookie: desk.cookie } });
    assert.equal(whole.statusCode, 200);
    assert.equal(whole.headers['content-type'], 'audio/wav');
    assert.equal(whole.headers['accept-ranges'], 'bytes');
    assert.equal(whole.headers['cache-control'], 'no-store');
    assert.equal(Number(whole.headers['content-length']), size);
    assert.equal(whole.rawPayload.subarray(0, 4).toString('latin1'), 'RIFF');
    const part = await web.app.inject({ url, headers: { cookie: desk.cookie, range: 'bytes=44-1043' } });
    assert.equal(part.statusCode, 206);
    assert.equal(part.headers['content-range'], `bytes 44-1043/${size}`);
    assert.equal(part.rawPayload.length, 1000);
    assert.deepEqual(part.rawPayload, whole.rawPayload.subarray(44, 1044));
    const tail = await web.app.inject({ url, headers: { cookie: desk.cookie, range: 'bytes=-100' } });
    assert.equal(tail.statusCode, 206);
    assert.deepEqual(tail.rawPayload, whole.rawPayload.subarray(size - 100));
    const past = await web.app.inject({ url, headers: { cookie: desk.cookie, range: `bytes=${size + 10}-` } });
    assert.equal(past.statusCode, 416);
    const head = await web.app.inject({ method: 'HEAD', url, headers: { cookie: desk.cookie } });
    assert.equal(head.statusCode, 200);
    assert.equal(Number(head.headers['content-length']), size);
    // Each play is audited, ranges included.
    const plays = web.spa.db.prepare("SELECT COUNT(*) FROM audit_log WHERE action = 'recording.play' AND subject_id = ?").pluck().get(String(s.bookedCall)) as number;
    assert.ok(plays >= 4, `${plays} audit rows`);
  } finally {
    await web.close();
  }
});

test('the Health page learns free disk space, the database size and the recordings, with a session only', async () => {
  const web = await openTestWeb();
  try {
    seedDay({ ...web.spa, recordingsDir: join(web.spa.dir, 'recordings') });
    assert.equal((await web.app.inject({ url: '/api/health/details' })).statusCode, 401);
    const cookie = (await web.addUser('desk', 'frontdesk')).cookie;
    const res = await web.app.inject({ url: '/api/health/details', headers: { cookie } });
    assert.equal(res.statusCode, 200);
    const { storage } = res.json<{ storage: { disk: { freeBytes: number; totalBytes: number }; databaseBytes: number; recordings: { count: number; bytes: number } } }>();
    assert.ok(storage.disk.totalBytes > 0 && storage.disk.freeBytes > 0 && storage.disk.freeBytes <= storage.disk.totalBytes);
    assert.ok(storage.databaseBytes > 4096, `${storage.databaseBytes}`);
    assert.deepEqual(storage.recordings, { count: 1, bytes: WAV_HEADER_BYTES + 3 * 8000 * 2 * 2 });
  } finally {
    await web.close();
  }
});
