// Stopping with a call in progress: the caller gets a BYE, the call row is closed and the recording
// gets its final header before the appliance (or the daemon, on SIGTERM) is gone.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { readWav, WAV_HEADER_BYTES } from '../../appliance/shared/wav.js';
import { startAppliance } from '../helpers/appliance.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { runSipp } from '../helpers/sipp.js';

function onlyCall(dataDir: string): { state: string; outcome: string; end_reason: string; recording_path: string | null; recording_error: string | null } {
  const db = new Database(join(dataDir, 'spa.db'), { readonly: true });
  try {
    const rows = db.prepare('SELECT state, outcome, end_reason, recording_path, recording_error FROM calls').all() as ReturnType<typeof onlyCall>[];
    assert.equal(rows.length, 1);
    return rows[0] as ReturnType<typeof onlyCall>;
  } finally {
    db.close();
  }
}

/** The WAV's header sizes match the file: the recorder finished it. Returns the audio bytes. */
function finishedWav(path: string): number {
  const b = readFileSync(path);
  const wav = readWav(b);
  assert.ok(wav.sized, 'RIFF and data sizes match the file');
  assert.equal(wav.samples.length * 2, b.length - WAV_HEADER_BYTES, 'the audio runs from the header to the end of the file');
  return b.length - WAV_HEADER_BYTES;
}

test('Appliance.stop() during a recorded call sends BYE (answered), closes the call row and finishes the recording before it resolves', async () => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' }, { telephony: { record: true } });
  try {
    const answered = once(box.appliance, 'callAnswered');
    const caller = runSipp({ scenario: 'uac-waits-for-bye.xml', target: box.sipTarget });
    await answered;
    await box.appliance.stop();
    const call = onlyCall(box.dataDir);
    assert.deepEqual([call.state, call.outcome, call.end_reason, call.recording_error], ['ended', 'ai-handled', 'appliance stopping', null]);
    assert.ok(finishedWav(call.recording_path ?? '') > 0);
    const r = await caller;
    assert.equal(r.code, 0, `the caller got a BYE: ${r.errors || r.stderr}`);
  } finally {
    await box.stop();
  }
});

test('SIGTERM to the daemon during a recorded call: the caller gets a BYE, the row is closed, the recording finished, and the daemon exits 0', async () => {
  const d = await startDaemonProcess(
    { SPA_RING_TIMEOUT_S: '0', SPA_LOG_LEVEL: 'info' },
    {
      rtpPorts: '47100-47199',
      capture: true,
      beforeStart: (dataDir) => {
        mkdirSync(dataDir, { recursive: true });
        writeFileSync(join(dataDir, 'config.json'), JSON.stringify({ version: 1, telephony: { record: true } }));
      },
    },
  );
  try {
    const caller = runSipp({ scenario: 'uac-waits-for-bye.xml', target: d.sipTarget });
    await d.waitFor(/"msg":"call taken over"/);
    const exited = once(d.child, 'exit');
    d.child.kill('SIGTERM');
    const [code] = (await exited) as [number | null];
    assert.equal(code, 0, d.output().slice(-2000));
    const r = await caller;
    assert.equal(r.code, 0, `the caller got a BYE: ${r.errors || r.stderr}`);
    const call = onlyCall(d.dataDir);
    assert.deepEqual([call.state, call.end_reason], ['ended', 'appliance stopping']);
    assert.ok(finishedWav(call.recording_path ?? '') > 0);
  } finally {
    await d.stop();
  }
});
