// The disk fills or turns read-only during a call: real SIP calls (sipp and the caller simulator) to
// a whole appliance on loopback, with the failures injected where the appliance touches the disk:
// the recording's file writes start failing with ENOSPC / EROFS, or the SQLite connection stops
// taking writes (PRAGMA query_only: every write fails with SQLITE_READONLY, as on a read-only disk).
// Each test shows what happens to the call, that the daemon lives (no error reaches the process,
// health answers), and that the next call works.
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, test } from 'node:test';
import Database from 'better-sqlite3';
import { createLogger } from '../../appliance/log.js';
import { openPrivateRecording, type OpenRecordingFile } from '../../appliance/media/index.js';
import { readWav, WAV_HEADER_BYTES } from '../../appliance/shared/wav.js';
import { openDatabase, type Db } from '../../appliance/store/db.js';
import { openingHoursClock, startAppliance, type RunningAppliance } from '../helpers/appliance.js';
import { runSipp } from '../helpers/sipp.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';

// Anything that escapes to the process (it would have crashed the daemon) is caught here and fails the test.
const escaped: unknown[] = [];
process.on('uncaughtException', (err) => escaped.push(err));
process.on('unhandledRejection', (err) => escaped.push(err));
afterEach(() => {
  assert.deepEqual(escaped.splice(0), [], 'no error reached the process');
});

interface CallRow {
  id: number;
  state: string;
  outcome: string | null;
  end_reason: string;
  recording_path: string | null;
  recording_error: string | null;
}

function rows(box: RunningAppliance): CallRow[] {
  const db = new Database(join(box.dataDir, 'spa.db'), { readonly: true });
  try {
    return db.prepare('SELECT id, state, outcome, end_reason, recording_path, recording_error FROM calls ORDER BY id').all() as CallRow[];
  } finally {
    db.close();
  }
}

async function assertAlive(box: RunningAppliance): Promise<void> {
  const health = (await (await fetch(`${box.url}/api/health`)).json()) as { db: string; sip: { listening: boolean } };
  assert.equal(health.db, 'ok');
  assert.equal(health.sip.listening, true);
}

/** A finished WAV's header: RIFF and data sizes match the file. Returns the audio bytes. */
function assertFinalHeader(path: string): number {
  const b = readFileSync(path);
  const wav = readWav(b);
  assert.ok(wav.sized, 'RIFF and data sizes match the file');
  assert.equal(wav.samples.length * 2, b.length - WAV_HEADER_BYTES, 'the audio runs from the header to the end of the file');
  return b.length - WAV_HEADER_BYTES;
}

/** Resolves once `n` calls of the box have closed (media stopped, recording closed), counting from now. */
function closedCalls(box: RunningAppliance): (n: number) => Promise<void> {
  let closed = 0;
  const waiting: { n: number; resolve: () => void }[] = [];
  box.appliance.on('callClosed', () => {
    closed++;
    for (const w of waiting.filter((x) => closed >= x.n)) w.resolve();
  });
  return (n) => (closed >= n ? Promise.resolve() : new Promise((resolve) => waiting.push({ n, resolve })));
}

const errno = (code: string): NodeJS.ErrnoException => Object.assign(new Error(`${code}: injected`), { code });

/** Recording files on a disk the test controls: `full` makes writes fail with ENOSPC, `readOnly` makes opens fail with EROFS. */
function controlledDisk(): { open: OpenRecordingFile; state: { full: boolean; readOnly: boolean; fillAfterFirstAudio: boolean } } {
  const state = { full: false, readOnly: false, fillAfterFirstAudio: false };
  return {
    state,
    open: async (path) => {
      if (state.readOnly) throw errno('EROFS');
      const file = await openPrivateRecording(path);
      return {
        write: async (buf, off, len, pos) => {
          if (state.full) throw errno('ENOSPC');
          const r = await file.write(buf, off, len, pos);
          if (pos > 0 && state.fillAfterFirstAudio) state.full = true; // the disk fills right after the first second of audio
          return r;
        },
        close: () => file.close(),
      };
    },
  };
}

test('the disk fills during a recorded call: the call goes on to its end, the recording stops there and the call log says so; the next call is recorded whole', async () => {
  const disk = controlledDisk();
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } }, undefined, { storage: { openRecording: disk.open } });
  try {
    const closed = closedCalls(box);
    disk.state.fillAfterFirstAudio = true;
    const first = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '3000'] });
    assert.equal(first.code, 0, `the caller's call went on normally: ${first.errors || first.stderr}`);
    assert.equal(disk.state.full, true, 'the disk did fill during the call');
    await assertAlive(box);

    await closed(1);
    disk.state.full = false;
    disk.state.fillAfterFirstAudio = false;
    const second = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '2000'] });
    assert.equal(second.code, 0, second.errors || second.stderr);
    await closed(2); // the recording is closed, its final header written

    const [a, b] = rows(box);
    assert.deepEqual([a?.outcome, a?.end_reason], ['ai-handled', 'caller hung up']);
    assert.equal(a?.recording_error, 'recording stopped early: the disk is full');
    const partial = readFileSync(a?.recording_path ?? '');
    assert.ok(partial.length > 44 && partial.length < 44 + 2 * 16000 * 4, `only about the first second of audio is on disk (${partial.length} bytes)`);
    assert.deepEqual([b?.outcome, b?.end_reason, b?.recording_error], ['ai-handled', 'caller hung up', null]);
    const audio = assertFinalHeader(b?.recording_path ?? '');
    assert.ok(audio >= 1.5 * 16000 * 4, `the next call (2 s) is recorded whole, with its final header (${audio} bytes)`);
  } finally {
    await box.stop();
  }
});

test('a recording that cannot be opened (read-only disk) does not refuse the call: it is answered unrecorded and the call log says why', async () => {
  const disk = controlledDisk();
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } }, undefined, { storage: { openRecording: disk.open } });
  try {
    const closed = closedCalls(box);
    disk.state.readOnly = true;
    const first = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '1500'] });
    assert.equal(first.code, 0, first.errors || first.stderr);
    await assertAlive(box);
    disk.state.readOnly = false;
    const second = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '1500'] });
    assert.equal(second.code, 0, second.errors || second.stderr);
    await closed(2);
    const [a, b] = rows(box);
    assert.deepEqual([a?.outcome, a?.end_reason, a?.recording_path, a?.recording_error], ['ai-handled', 'caller hung up', null, 'not recorded: the disk is read-only']);
    assert.equal(b?.recording_error, null);
    assertFinalHeader(b?.recording_path ?? '');
  } finally {
    await box.stop();
  }
});

test('the database turns read-only mid-call: the receptionist apologises and hangs up, the daemon lives, and once writes work again the next call is answered and the first call row is closed', async () => {
  let db: Db | null = null;
  const lines: string[] = [];
  // Support logging (debug, personal data on) shows which reply the box chose.
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0', SPA_LOG_LEVEL: 'debug', SPA_LOG_PERSONAL: '1' }, undefined, undefined, {
    clock: openingHoursClock(),
    logDestination: { write: (chunk) => void lines.push(chunk) },
    storage: {
      openDatabase: (opts) => {
        const opened = openDatabase(opts);
        db = opened.db;
        return opened;
      },
    },
  });
  try {
    // The caller presses a key mid-call; at that moment the disk stops taking writes.
    box.appliance.once('dtmf', () => db?.pragma('query_only = 1'));
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log: createLogger({ level: 'silent' }),
      script: scriptSchema.parse({ from: '+12035550123', turns: [{ dtmf: '5' }, { wait_ms: 20_000 }, { hangup: true }] }),
    });
    assert.equal(result.connected, true);
    assert.equal(result.hangup_by, 'box', 'the box ended the call itself (BYE)');
    assert.ok(result.duration_ms < 20_000, `it did not leave the caller waiting (${result.duration_ms} ms)`);
    const log = lines.join('');
    assert.match(log, /"msg":"agent failed"/);
    assert.match(log, /"pii":\{"text":"Sorry, something went wrong on my side[^"]*"\},"msg":"reply"/, 'the apology was the reply');
    assert.match(log, /call log: could not end the call/);
    await assertAlive(box);
    assert.equal(rows(box)[0]?.state, 'answered', 'the row could not be closed while the disk was read-only');

    (db as Db | null)?.pragma('query_only = 0');
    const ended = once(box.appliance, 'callEnded');
    const next = await runSipp({ scenario: 'uac-answered.xml', target: box.sipTarget, args: ['-d', '1500'] });
    assert.equal(next.code, 0, next.errors || next.stderr);
    await ended;
    const [a, b] = rows(box);
    // 'conversation ended': the box hung up after its reply (the apology) had played to the end.
    assert.deepEqual([a?.state, a?.outcome, a?.end_reason], ['ended', 'ai-handled', 'conversation ended'], 'the first call row is closed once writes work');
    assert.deepEqual([b?.state, b?.outcome, b?.end_reason], ['ended', 'ai-handled', 'caller hung up']);
  } finally {
    await box.stop();
  }
});
