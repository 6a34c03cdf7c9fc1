import { test } from 'node:test';
import assert from 'node:assert/strict';
import { channel, readWav, WAV_HEADER_BYTES, wavFile, WavFormatError, wavHeader, type WavProblem } from './wav.js';

const ramp = (n: number, from = -32768, step = 257): Int16Array => Int16Array.from({ length: n }, (_, i) => ((from + i * step + 32768) % 65536) - 32768);

/** A RIFF/WAVE file from raw chunks (ids and bodies), the RIFF size set to the file's. */
function riff(chunks: [id: string, body: Buffer, declared?: number][]): Buffer {
  const parts: Buffer[] = [Buffer.from('RIFF\0\0\0\0WAVE', 'latin1')];
  for (const [id, body, declared] of chunks) {
    const head = Buffer.alloc(8);
    head.write(id, 0, 'latin1');
    head.writeUInt32LE(declared ?? body.length, 4);
    parts.push(head, body, body.length % 2 ? Buffer.alloc(1) : Buffer.alloc(0));
  }
  const out = Buffer.concat(parts);
  out.writeUInt32LE(out.length - 8, 4);
  return out;
}

function fmtBody(o: { format?: number; channels?: number; rate?: number; blockAlign?: number; bits?: number; extra?: Buffer } = {}): Buffer {
  const channels = o.channels ?? 1;
  const b = Buffer.alloc(16);
  b.writeUInt16LE(o.format ?? 1, 0);
  b.writeUInt16LE(channels, 2);
  b.writeUInt32LE(o.rate ?? 16000, 4);
  b.writeUInt32LE((o.rate ?? 16000) * channels * 2, 8);
  b.writeUInt16LE(o.blockAlign ?? channels * 2, 12);
  b.writeUInt16LE(o.bits ?? 16, 14);
  return o.extra ? Buffer.concat([b, o.extra]) : b;
}

function pcm(samples: Int16Array): Buffer {
  return Buffer.from(samples.buffer, samples.byteOffset, samples.byteLength);
}

function problemOf(buf: Buffer): WavProblem | 'read' {
  try {
    readWav(buf);
    return 'read';
  } catch (err) {
    assert.ok(err instanceof WavFormatError, `a WavFormatError, not ${String(err)}`);
    assert.equal(err.code, 'SPA_ERR_WAV_FORMAT');
    assert.equal(err.details.problem, err.problem);
    return err.problem;
  }
}

test('a written WAV reads back sample for sample, mono and stereo, full scale included, with its sizes matching', () => {
  const mono = ramp(1001);
  const m = readWav(wavFile(mono, { sampleRate: 8000, channels: 1 }));
  assert.deepEqual([m.sampleRate, m.channels, m.sized], [8000, 1, true]);
  assert.deepEqual(m.samples, mono);
  const stereo = Int16Array.from([32767, -32768, 1, -1, 0, 12345]);
  const s = readWav(wavFile(stereo, { sampleRate: 16000, channels: 2 }));
  assert.deepEqual([s.sampleRate, s.channels, s.sized], [16000, 2, true]);
  assert.deepEqual(s.samples, stereo);
  assert.deepEqual(channel(s, 0), Int16Array.from([32767, 1, 0]));
  assert.deepEqual(channel(s, 1), Int16Array.from([-32768, -1, 12345]));
  assert.throws(() => channel(s, 2), RangeError);
  assert.deepEqual(readWav(wavFile(new Int16Array(0), { sampleRate: 16000, channels: 1 })).samples, new Int16Array(0));
});

test('the header is the canonical 44 bytes of 16-bit PCM: sizes, byte rate and block size follow the format', () => {
  const h = wavHeader({ sampleRate: 16000, channels: 2 }, 64_000);
  assert.equal(h.length, WAV_HEADER_BYTES);
  assert.equal(h.toString('latin1', 0, 4), 'RIFF');
  assert.equal(h.readUInt32LE(4), 36 + 64_000);
  assert.equal(h.toString('latin1', 8, 16), 'WAVEfmt ');
  assert.deepEqual([h.readUInt32LE(16), h.readUInt16LE(20), h.readUInt16LE(22), h.readUInt32LE(24)], [16, 1, 2, 16000]);
  assert.deepEqual([h.readUInt32LE(28), h.readUInt16LE(32), h.readUInt16LE(34)], [64_000, 4, 16], 'byte rate, block size, bits');
  assert.equal(h.toString('latin1', 36, 40), 'data');
  assert.equal(h.readUInt32LE(40), 64_000);
  const huge = wavHeader({ sampleRate: 8000, channels: 1 }, 2 ** 33);
  assert.deepEqual([huge.readUInt32LE(4), huge.readUInt32LE(40)], [0xffffffff, 0xffffffff], 'past 4 GiB the sizes are capped');
  assert.throws(() => wavHeader({ sampleRate: 16000, channels: 0 }, 0), RangeError);
  assert.throws(() => wavHeader({ sampleRate: 0, channels: 1 }, 0), RangeError);
  assert.throws(() => wavFile(new Int16Array(3), { sampleRate: 16000, channels: 2 }), RangeError, 'half a frame');
});

test('a streaming writer: header with size 0, audio appended, then the header again with the final size', () => {
  const audio = ramp(640);
  const unfinished = Buffer.concat([wavHeader({ sampleRate: 16000, channels: 2 }, 0), pcm(audio)]);
  const cut = readWav(unfinished);
  assert.deepEqual(cut.samples, audio, 'a recording whose header was never finished is read to the end of the file');
  assert.equal(cut.sized, false);
  const unknown = Buffer.concat([wavHeader({ sampleRate: 16000, channels: 2 }, 0xffffffff), pcm(audio)]);
  assert.deepEqual(readWav(unknown).samples, audio, 'so is one whose writer wrote 0xFFFFFFFF');
  wavHeader({ sampleRate: 16000, channels: 2 }, audio.byteLength).copy(unfinished, 0);
  const done = readWav(unfinished);
  assert.deepEqual(done.samples, audio);
  assert.equal(done.sized, true);
});

test('chunks other than fmt and data are skipped, odd ones with their pad byte; extended fmt chunks are read', () => {
  const audio = ramp(11);
  const withList = riff([
    ['LIST', Buffer.from('INFOISFT\x05\0\0\0flite', 'latin1')],
    ['fmt ', fmtBody({ extra: Buffer.from([0, 0]) })],
    ['odd!', Buffer.from('abc', 'latin1')],
    ['data', pcm(audio)],
    ['id3 ', Buffer.from('trailing tag', 'latin1')],
  ]);
  const r = readWav(withList);
  assert.deepEqual(r.samples, audio);
  assert.equal(r.sized, true);
  // WAVE_FORMAT_EXTENSIBLE: cbSize 22, valid bits, channel mask, then the sub-format GUID (PCM = 1).
  const ext = (sub: number): Buffer => {
    const e = Buffer.alloc(24);
    e.writeUInt16LE(22, 0);
    e.writeUInt16LE(16, 2);
    e.writeUInt32LE(4, 4);
    e.writeUInt16LE(sub, 8);
    return e;
  };
  assert.deepEqual(readWav(riff([['fmt ', fmtBody({ format: 0xfffe, extra: ext(1) })], ['data', pcm(audio)]])).samples, audio);
  assert.equal(problemOf(riff([['fmt ', fmtBody({ format: 0xfffe, extra: ext(3) })], ['data', pcm(audio)]])), 'unsupported', 'extensible float');
});

test('a file cut short in its audio gives the whole frames that are there, marked as not sized', () => {
  const audio = ramp(200);
  const file = wavFile(audio, { sampleRate: 16000, channels: 2 });
  const cut = readWav(file.subarray(0, file.length - 7));
  assert.equal(cut.sized, false);
  assert.deepEqual(cut.samples, audio.subarray(0, 2 * Math.floor((audio.byteLength - 7) / 4)));
});

test('each malformed input is a WavFormatError naming its problem', () => {
  const audio = pcm(ramp(8));
  const cases: [WavProblem, Buffer, string][] = [
    ['not-wav', Buffer.alloc(0), 'empty'],
    ['not-wav', Buffer.from('RIFF\x04\0\0\0AVI ', 'latin1'), 'another RIFF form'],
    ['not-wav', Buffer.from('RIFX\x04\0\0\0WAVE', 'latin1'), 'big-endian RIFX'],
    ['not-wav', Buffer.from('ID3\x04 an mp3', 'latin1'), 'not RIFF at all'],
    ['truncated', wavFile(ramp(4), { sampleRate: 8000, channels: 1 }).subarray(0, 30), 'cut inside fmt'],
    ['truncated', riff([['fmt ', Buffer.alloc(12)]]), 'a 12-byte fmt chunk'],
    ['truncated', Buffer.concat([riff([['fmt ', fmtBody()]]), Buffer.from('dat')]), 'a chunk header cut off'],
    ['truncated', riff([['fmt ', fmtBody()], ['LIST', Buffer.alloc(4), 400]]), 'a chunk running past the end'],
    ['unsupported', riff([['fmt ', fmtBody({ bits: 8, blockAlign: 1 })], ['data', audio]]), '8-bit'],
    ['unsupported', riff([['fmt ', fmtBody({ bits: 24, blockAlign: 3 })], ['data', audio]]), '24-bit'],
    ['unsupported', riff([['fmt ', fmtBody({ format: 3, bits: 32, blockAlign: 4 })], ['data', audio]]), 'float'],
    ['unsupported', riff([['fmt ', fmtBody({ format: 6 })], ['data', audio]]), 'A-law'],
    ['bad-format', riff([['fmt ', fmtBody({ channels: 0, blockAlign: 2 })], ['data', audio]]), 'no channels'],
    ['bad-format', riff([['fmt ', fmtBody({ rate: 0 })], ['data', audio]]), 'no sample rate'],
    ['bad-format', riff([['fmt ', fmtBody({ channels: 2, blockAlign: 2 })], ['data', audio]]), 'block size of mono for stereo'],
    ['no-fmt', riff([['data', audio], ['fmt ', fmtBody()]]), 'data before fmt'],
    ['no-data', riff([['fmt ', fmtBody()]]), 'fmt only'],
    ['no-data', Buffer.from('RIFF\x04\0\0\0WAVE', 'latin1'), 'no chunks'],
  ];
  for (const [problem, buf, what] of cases) assert.equal(problemOf(buf), problem, what);
});

test('fuzz: every truncation of a valid file, and random bytes written over its header, read or fail with a WavFormatError, never anything else', () => {
  const audio = ramp(50);
  const file = riff([['fmt ', fmtBody({ channels: 2, rate: 8000 })], ['LIST', Buffer.from('INFOx', 'latin1')], ['data', pcm(audio)]]);
  const dataAt = file.length - audio.byteLength;
  for (let n = 0; n <= file.length; n++) {
    const outcome = problemOf(file.subarray(0, n));
    if (n < dataAt) assert.notEqual(outcome, 'read', `cut at ${n}, before the audio`);
    else {
      const r = readWav(file.subarray(0, n));
      assert.deepEqual(r.samples, audio.subarray(0, 2 * Math.floor((n - dataAt) / 4)), `cut at ${n}`);
      assert.equal(r.sized, n === file.length);
    }
  }
  // Deterministic pseudo-random garbage (mulberry32), so a failure can be replayed.
  let seed = 0x5eed;
  const random = (): number => {
    seed = (seed + 0x6d2b79f5) >>> 0;
    let t = seed;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const seen = new Set<string>();
  for (let round = 0; round < 3000; round++) {
    const mutated = Buffer.from(file);
    const flips = 1 + Math.floor(random() * 4);
    for (let f = 0; f < flips; f++) mutated[Math.floor(random() * dataAt)] = Math.floor(random() * 256);
    const outcome = problemOf(mutated);
    seen.add(outcome);
    if (outcome === 'read') {
      const r = readWav(mutated);
      assert.equal(r.samples.length % r.channels, 0, 'whole frames');
      assert.ok(r.samples.length * 2 <= mutated.length, 'no more audio than bytes');
    }
  }
  for (let round = 0; round < 500; round++) {
    const garbage = Buffer.from(Array.from({ length: Math.floor(random() * 80) }, () => Math.floor(random() * 256)));
    seen.add(problemOf(Buffer.concat([Buffer.from('RIFF\0\0\0\0WAVE', 'latin1'), garbage])));
  }
  assert.ok(seen.has('read') && seen.size >= 4, `mutations reached several outcomes: ${[...seen].join(', ')}`);
});
