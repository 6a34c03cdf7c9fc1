// Stopping with a call in progress: the caller gets a BYE, the call row is closed and the recording
// gets its final header before the appliance (or the daemon, on SIGTERM) is gone.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { once } from 'node:events';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { readWav, WAV_HEADER_BYTES } from '../../appliance/shared/wav.js';
import { Appliance } from '../../appliance/appliance.js';
import { resolveSettings } from '../../appliance/config/index.js';
import { createLogger } from '../../appliance/log.js';
import { systemClock } from '../../appliance/shared/clock.js';
import { ModuleStartError } from '../../appliance/shared/modules.js';
import { startAppliance, TEST_SPEECH_CACHE } from '../helpers/appliance.js';
import { startDaemonProcess } from '../helpers/daemon-process.js';
import { runSipp } from '../helpers/sipp.js';
import { tempDir } from '../helpers/spa.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';

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

/** Live (not zombie) child processes of this test process whose command is `command`, from /proc. */
function childProcesses(command: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue; // it ended meanwhile
    }
    // "pid (comm) state ppid ...": comm is cut to 15 characters and may hold spaces.
    const close = stat.lastIndexOf(')');
    const comm = stat.slice(stat.indexOf('(') + 1, close);
    const [state, ppid] = stat.slice(close + 2).split(' ');
    if (Number(ppid) === process.pid && state !== 'Z' && command.startsWith(comm)) pids.push(Number(entry));
  }
  return pids;
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

test('Appliance.stop() stops the speech engines: the pocketsphinx decoders a spoken call left loaded are gone when it resolves', async () => {
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0' });
  try {
    const health = await box.api<{ engines: { asr: string } }>('/api/health');
    assert.match(health.engines.asr, /^pocketsphinx/);
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log: createLogger({ level: 'silent' }),
      script: scriptSchema.parse({ turns: [{ say: "I'd like to book an appointment" }, { hangup: true }] }),
    });
    assert.equal(result.turns.length, 1);
    // The recogniser keeps decoders loaded for the next turn (pocketsphinx.ts); the call is over, they stay.
    const warm = childProcesses('pocketsphinx_continuous');
    assert.ok(warm.length > 0, 'the spoken call left pocketsphinx decoders loaded');
    await box.appliance.stop();
    assert.deepEqual(childProcesses('pocketsphinx_continuous'), [], `decoders still running after stop (were ${warm.join(', ')})`);
  } finally {
    await box.stop();
  }
});

test('a start that fails (the SIP port is taken) names the telephony module and stops what had started: the web server is closed, the database checkpointed and closed', async () => {
  const dir = tempDir('spa-appliance-');
  const taken = createSocket('udp4');
  await new Promise<void>((resolve) => taken.bind(0, '127.0.0.1', resolve));
  const http = createServer();
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const httpPort = (http.address() as { port: number }).port;
  await new Promise((resolve) => http.close(resolve));
  try {
    const settings = resolveSettings({
      env: {
        SPA_DATA_DIR: join(dir.path, 'data'),
        SPA_BIND: '127.0.0.1',
        SPA_HTTP_PORT: String(httpPort),
        SPA_HTTPS_PORT: '0',
        SPA_SIP_PORT: String(taken.address().port),
        SPA_ADMIN_PASSWORD: 'test-owner-password',
      },
      systemTimeZone: 'UTC',
      fileText: null,
    });
    const appliance = new Appliance({ settings, log: createLogger({ level: 'silent' }), clock: systemClock, announce: () => undefined, modelsDir: join(dir.path, 'models'), speechCacheDir: TEST_SPEECH_CACHE });
    await assert.rejects(appliance.start(), (err: unknown) => {
      assert.ok(err instanceof ModuleStartError, String(err));
      assert.equal(err.module, 'telephony');
      assert.equal((err.cause as { code?: string }).code, 'SPA_ERR_SIP_BIND');
      assert.match(err.message, /^the telephony module failed to start: /);
      return true;
    });
    await assert.rejects(fetch(`http://127.0.0.1:${httpPort}/api/health`), 'the web server no longer answers');
    assert.equal(existsSync(join(dir.path, 'data', 'spa.db')), true);
    assert.equal(existsSync(join(dir.path, 'data', 'spa.db-wal')), false, 'the WAL was checkpointed and the database closed');
    assert.equal(appliance.health().db, 'error');
    await appliance.stop();
  } finally {
    taken.close();
    dir.remove();
  }
});
