import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../log.js';
import { channel, readWav, WAV_HEADER_BYTES } from '../shared/wav.js';
import { FakeClock } from '../shared/fake-clock.js';
import { untilDelivered } from '../../test/helpers/until.js';
import { CallRecorder, openPrivateRecording, type OpenRecordingFile } from './call-recorder.js';
import { PortAllocator } from './port-allocator.js';
import { RtpSession } from './rtp-session.js';
import { answerOffer, createOffer, readAnswer } from './sdp-negotiate.js';
import { dominantFrequency, sineWave } from './tone.js';

/** A finished recording read back: its header sizes match the file (audio right after the 44-byte header). */
async function readRecording(path: string): Promise<{ channels: number; sampleRate: number; left: Int16Array; right: Int16Array }> {
  const b = await readFile(path);
  const wav = readWav(b);
  assert.equal(wav.sized, true, 'RIFF and data sizes match the file');
  assert.equal(wav.samples.length * 2, b.length - WAV_HEADER_BYTES, 'the audio follows the 44-byte header');
  assert.equal(b.readUInt32LE(28), wav.sampleRate * wav.channels * 2, 'byte rate');
  return { channels: wav.channels, sampleRate: wav.sampleRate, left: channel(wav, 0), right: channel(wav, 1) };
}

async function tempDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'media-rec-'));
}

test('the recorder writes a valid stereo 16 kHz WAV: caller left, box right, header sizes set on stop', async () => {
  const dir = await tempDir();
  try {
    const rec = new CallRecorder({ options: { path: join(dir, 'call.wav'), batchBytes: 4096 } });
    await rec.start();
    let done: { path: string; durationMs: number };
    try {
      for (let i = 0; i < 50; i++) rec.write(new Int16Array(320).fill(100 + i), new Int16Array(320).fill(-7));
      await rec.written();
      const mid = await stat(join(dir, 'call.wav'));
      assert.ok(mid.size >= 44 + 60 * 1024, `audio is streamed to disk before stop() (${mid.size} bytes)`);
    } finally {
      done = await rec.stop();
    }
    assert.equal(done.durationMs, 1000);
    const wav = await readRecording(done.path);
    assert.deepEqual([wav.channels, wav.sampleRate], [2, 16000], '16-bit stereo at 16 kHz (the reader reads only 16-bit PCM)');
    assert.equal(wav.left.length, 16000);
    assert.equal(wav.left[0], 100);
    assert.equal(wav.left[15999], 149);
    assert.ok(wav.right.every((s) => s === -7));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('sides are aligned in time: a side that sent nothing is padded with silence, and the shorter side is padded at the end', async () => {
  const dir = await tempDir();
  try {
    const rec = new CallRecorder({ options: { path: join(dir, 'a.wav'), maxSkewMs: 100 } });
    await rec.start();
    rec.appendCaller(new Int16Array(8000).fill(5)); // 500 ms caller, box silent
    rec.appendBox(new Int16Array(1600).fill(9)); // box starts talking 100 ms later
    rec.appendCaller(new Int16Array(320).fill(6));
    const { durationMs } = await rec.stop();
    const wav = await readRecording(join(dir, 'a.wav'));
    assert.equal(durationMs, Math.round((wav.left.length * 1000) / 16000));
    assert.equal(wav.left.length, 8320);
    // The box's audio starts where it was behind by at most maxSkew (100 ms = 1600 samples).
    assert.equal(wav.right[6400 - 1], 0);
    assert.equal(wav.right[6400], 9);
    assert.equal(wav.right[6400 + 1599], 9);
    assert.equal(wav.right[6400 + 1600], 0, 'padded at the end');
    assert.equal(rec.stats.paddedBox, 6400 + 320);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('an 8 kHz recording halves the samples and keeps a tone’s frequency', async () => {
  const dir = await tempDir();
  try {
    const rec = new CallRecorder({ options: { path: join(dir, 'n.wav'), sampleRate: 8000 } });
    await rec.start();
    const tone = sineWave(1000, 16000, 16000);
    for (let i = 0; i < 50; i++) rec.write(tone.subarray(i * 320, (i + 1) * 320), new Int16Array(320));
    await rec.stop();
    const wav = await readRecording(join(dir, 'n.wav'));
    assert.equal(wav.sampleRate, 8000);
    assert.equal(wav.left.length, 8000);
    assert.equal(dominantFrequency(wav.left.subarray(100), 8000), 1000);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a call recorded through an RtpSession has the caller’s tone on the left and the box’s on the right', async () => {
  const dir = await tempDir();
  const log = createLogger({ level: 'silent' });
  const ports = new PortAllocator({ min: 42300, max: 42399 });
  const rec = new CallRecorder({ options: { path: join(dir, 'session.wav') } });
  await rec.start();
  const clock = new FakeClock();
  const box = new RtpSession({ ports, log, clock, tap: rec, config: { bindAddress: '127.0.0.1' } });
  const far = new RtpSession({ ports, log, clock, config: { bindAddress: '127.0.0.1' } });
  try {
    await box.start();
    await far.start();
    const farCaps = { address: '127.0.0.1', rtpPort: far.localPort, codecs: ['PCMU' as const] };
    const answer = answerOffer(createOffer(farCaps, { sessionId: '1', sessionVersion: 1 }), { address: '127.0.0.1', rtpPort: box.localPort }, { sessionId: '2' });
    box.configure(answer.media);
    far.configure(readAnswer(answer.sdp, farCaps));
    const caller = far.play(sineWave(600, 16000, 16000));
    const prompt = box.play(sineWave(1500, 16000, 16000));
    let played = false;
    void Promise.all([caller.done, prompt.done]).then(() => (played = true));
    // One second of tone each way on the fake clock, 20 ms at a time, each frame's RTP landed before the next.
    for (let ms = 0; !played && ms <= 2000; ms += 20) {
      clock.advance(20);
      await untilDelivered(() => box.counters.rtpReceived >= far.stats().sender.packets && far.counters.rtpReceived >= box.stats().sender.packets, 'RTP on loopback');
    }
    assert.ok(played, 'both tones played within 2 s of clock time');
  } finally {
    await Promise.all([box.stop(), far.stop()]);
  }
  try {
    await rec.stop();
    const wav = await readRecording(join(dir, 'session.wav'));
    assert.ok(wav.left.length >= 16000, `${wav.left.length} frames`);
    assert.equal(wav.left.length, wav.right.length);
    assert.equal(dominantFrequency(wav.left, 16000), 600);
    assert.equal(dominantFrequency(wav.right, 16000), 1500);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('a recording file is made 0600 (patient speech), even with an open umask and over an older 0644 file', async () => {
  const dir = await tempDir();
  const old = process.umask(0);
  try {
    const path = join(dir, 'private.wav');
    await writeFile(path, 'old');
    await chmod(path, 0o644);
    const rec = new CallRecorder({ options: { path } });
    await rec.start();
    rec.write(new Int16Array(320), new Int16Array(320));
    await rec.stop();
    assert.equal((await stat(path)).mode & 0o777, 0o600);
  } finally {
    process.umask(old);
    await rm(dir, { recursive: true, force: true });
  }
});

/** A real file whose writes start failing with `code` once `okWrites` writes have gone through. */
function failingFile(okWrites: number, code: string): { open: OpenRecordingFile; writes: () => number } {
  let writes = 0;
  return {
    writes: () => writes,
    open: async (path) => {
      const file = await openPrivateRecording(path);
      return {
        write: (buf, off, len, pos) => {
          writes++;
          if (writes > okWrites) return Promise.reject(Object.assign(new Error(`${code}: injected`), { code }));
          return file.write(buf, off, len, pos);
        },
        close: () => file.close(),
      };
    },
  };
}

test('a disk that fills mid-recording ends the recording there, not the caller: onError once, stop() resolves incomplete, and the file is a valid WAV of what was written', async () => {
  const dir = await tempDir();
  try {
    // Header + two batches succeed (a batch is written once 4096 bytes are collected: four stereo
    // 20 ms frames, 5120 bytes); the third batch and everything after fail.
    const batch = 4 * 320 * 4;
    const disk = failingFile(3, 'ENOSPC');
    const errors: unknown[] = [];
    const path = join(dir, 'full.wav');
    const rec = new CallRecorder({ options: { path, batchBytes: 4096 }, open: disk.open, onError: (err) => errors.push(err) });
    await rec.start();
    for (let i = 0; i < 50; i++) rec.write(new Int16Array(320).fill(i), new Int16Array(320).fill(-1));
    await rec.written();
    assert.equal(rec.healthy, false);
    const writesAtFailure = disk.writes();
    for (let i = 0; i < 50; i++) rec.write(new Int16Array(320), new Int16Array(320));
    const done = await rec.stop();
    assert.equal(errors.length, 1, 'the owner is told once');
    assert.equal((errors[0] as NodeJS.ErrnoException).code, 'ENOSPC');
    assert.equal(done.complete, false);
    assert.equal(disk.writes(), writesAtFailure + 1, 'after the failure only the final header is tried');
    assert.equal(rec.stats.writtenBytes, 2 * batch);
    // The final header also failed here (the disk is still full): the file keeps its provisional header.
    const b = await readFile(path);
    assert.equal(b.length, 44 + 2 * batch);
    const kept = readWav(b);
    assert.equal(kept.sized, false, 'the provisional header');
    assert.equal(kept.samples.length * 2, 2 * batch, 'read to the end of the file: the audio written before the disk filled');
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});

test('when the disk frees up before the call ends, the header covers exactly the audio written before the failure', async () => {
  const dir = await tempDir();
  try {
    let failing = false;
    const path = join(dir, 'gap.wav');
    const rec = new CallRecorder({
      options: { path, batchBytes: 4096 },
      open: async (p) => {
        const file = await openPrivateRecording(p);
        return {
          write: (buf, off, len, pos) => (failing ? Promise.reject(Object.assign(new Error('EROFS: injected'), { code: 'EROFS' })) : file.write(buf, off, len, pos)),
          close: () => file.close(),
        };
      },
    });
    await rec.start();
    for (let i = 0; i < 20; i++) rec.write(new Int16Array(320).fill(7), new Int16Array(320).fill(8));
    await rec.written();
    failing = true;
    for (let i = 0; i < 20; i++) rec.write(new Int16Array(320).fill(9), new Int16Array(320).fill(9));
    await rec.written();
    failing = false;
    const done = await rec.stop();
    assert.equal(done.complete, false);
    const wav = await readRecording(path);
    assert.equal(wav.left.length * 4, rec.stats.writtenBytes);
    assert.ok(wav.left.length > 0 && wav.left.every((s) => s === 7), 'only audio from before the failure');
    assert.equal(done.durationMs, Math.round((wav.left.length * 1000) / 16000));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
