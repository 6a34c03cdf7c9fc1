import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mixtureWeightsFile, readSendump, SendumpFormatError } from './mixture-weights.js';

/** A sendump as pocketsphinx's read_sendump expects it: title, header strings, 0, rows, columns, bytes per stream and row. */
function sendump(features: number, densities: number, senones: number, byte: (f: number, d: number, s: number) => number, extra: string[] = []): Buffer {
  const str = (t: string): Buffer => {
    const b = Buffer.alloc(4 + t.length + 1);
    b.writeInt32LE(t.length + 1, 0);
    b.write(t, 4, 'latin1');
    return b;
  };
  const int = (v: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v, 0);
    return b;
  };
  const body: number[] = [];
  for (let f = 0; f < features; f++) for (let d = 0; d < densities; d++) for (let s = 0; s < senones; s++) body.push(byte(f, d, s));
  return Buffer.concat([str('BEGIN FILE FORMAT DESCRIPTION'), str('cluster_count 0'), str(`feature_count ${features}`), ...extra.map(str), int(0), int(densities), int(senones), Buffer.from(body)]);
}

test('sendump bytes become probabilities by senone, stream and density: 0 is 1, each step 1.0001^-1024', () => {
  const m = readSendump(sendump(2, 3, 4, (f, d, s) => f * 100 + d * 10 + s));
  assert.deepEqual([m.senones, m.features, m.densities], [4, 2, 3]);
  const at = (s: number, f: number, d: number): number => m.weights[(s * 2 + f) * 3 + d] as number;
  assert.equal(at(0, 0, 0), 1);
  assert.ok(Math.abs(at(1, 0, 0) - 1.0001 ** -1024) < 1e-7, 'byte 1: one step down');
  assert.ok(Math.abs(at(3, 1, 2) - 1.0001 ** -(123 * 1024)) < 1e-9, 'senone 3, stream 1, density 2 read from its own byte');
});

test('a sendump whose weights do not fill its dimensions, or a clustered one, is refused with a typed error', () => {
  const whole = sendump(1, 2, 2, () => 5);
  assert.throws(() => readSendump(whole.subarray(0, whole.length - 1)), SendumpFormatError);
  assert.throws(() => readSendump(sendump(1, 2, 2, () => 5, ['cluster_count 16'])), SendumpFormatError);
});

test('mixture_weights is written as sphinxtrain reads it: s3 header, byte-order magic, dimensions, count, float32 values', () => {
  const file = mixtureWeightsFile({ senones: 2, features: 1, densities: 2, weights: Float32Array.from([0.5, 0.25, 1, 0]) });
  const head = 's3\nversion 1.0\nendhdr\n';
  assert.equal(file.toString('latin1', 0, head.length), head);
  let at = head.length;
  const next = (): number => {
    const v = file.readUInt32LE(at);
    at += 4;
    return v;
  };
  assert.deepEqual([next(), next(), next(), next(), next()], [0x11223344, 2, 1, 2, 4]);
  assert.deepEqual([0, 1, 2, 3].map((i) => file.readFloatLE(at + 4 * i)), [0.5, 0.25, 1, 0]);
  assert.equal(file.length, at + 16);
});
