import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADAPTED_MODEL_FILES } from '../../../appliance/voice/asr/pocketsphinx.js';
import { adaptationKeys, adaptedModelKeys, decodeKey, type DecoderSettings, type SpokenLine } from './turn-decoder.js';

const line: SpokenLine = { text: 'can i book botox on friday', voice: 'flite:slt', perturbation: { tempo: 1, pitch: 0, snrDb: null, g711: false }, seed: 7, band: 'wideband', lossPct: 1, law: 'ulaw' };
const open = { phrases: [], free: true };

test('a decode is cached under its settings: the appliance defaults keep one key, each tuning setting its own', () => {
  const plain = decodeKey(line, open, 'lm1');
  assert.equal(decodeKey(line, open, 'lm1', {}), plain, 'no settings over the defaults: the key decodes were cached under before');
  assert.notEqual(decodeKey(line, open, 'lm1', { lmWeight: 9 }), plain);
  assert.notEqual(decodeKey(line, open, 'lm1', { lmWeight: 9 }), decodeKey(line, open, 'lm1', { lmWeight: 10 }));
  assert.notEqual(decodeKey(line, open, 'lm1', { extraArgs: ['-bestpath', 'no'] }), plain);
  assert.equal(decodeKey(line, open, 'lm1', { lmWeight: 9 }), decodeKey(line, open, 'lm1', { lmWeight: 9 }));
  assert.notEqual(decodeKey(line, open, 'lm2'), plain, 'another language model decodes anew');
  assert.notEqual(decodeKey({ ...line, band: 'narrowband' }, open, 'lm1'), plain);
});

test('an acoustic model transform keys decodes by its content, not its name: rebuilt in place, the lines decode anew', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'turn-decoder-'));
  const file = join(dir, 'mllr_matrix');
  writeFileSync(file, '1\n3\n13\n1.0\n');
  const nb = { ...line, band: 'narrowband' as const };
  const keyWith = async (settings: DecoderSettings): Promise<string> => decodeKey(nb, open, 'lm1', settings, (await adaptationKeys(settings)).narrowband);
  const first = await keyWith({ adaptation: { narrowband: file } });
  assert.notEqual(first, await keyWith({ adaptation: { narrowband: null } }), 'adapted decodes are not the stock model\'s');
  assert.equal(await keyWith({ adaptation: { narrowband: null } }), decodeKey(nb, open, 'lm1'), 'the stock model keeps the key kept before transforms');
  assert.equal(await keyWith({ adaptation: { narrowband: file } }), first, 'same file, same key');
  writeFileSync(join(dir, 'copy'), '1\n3\n13\n1.0\n');
  assert.equal(await keyWith({ adaptation: { narrowband: join(dir, 'copy') } }), first, 'the same transform under another name');
  writeFileSync(file, '1\n3\n13\n0.9\n');
  assert.notEqual(await keyWith({ adaptation: { narrowband: file } }), first, 'new content, new key');
  assert.equal(await keyWith({ adaptation: { narrowband: join(dir, 'none') } }), decodeKey(nb, open, 'lm1'), 'a missing file decodes (and keys) as the stock model');
});

test('an adapted model folder keys decodes by its files\' content; an incomplete folder keys as the stock model', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'turn-decoder-'));
  for (const name of ADAPTED_MODEL_FILES) writeFileSync(join(dir, name), `${name}\n`);
  const nb = { ...line, band: 'narrowband' as const };
  const keyWith = async (settings: DecoderSettings): Promise<string> => decodeKey(nb, open, 'lm1', settings, undefined, (await adaptedModelKeys(settings)).narrowband);
  const first = await keyWith({ adaptedModel: { narrowband: dir } });
  assert.notEqual(first, decodeKey(nb, open, 'lm1'), 'adapted decodes are not the stock model\'s');
  assert.equal(await keyWith({ adaptedModel: { narrowband: dir } }), first, 'same folder, same key');
  assert.equal(await keyWith({ adaptedModel: { wideband: dir } }), decodeKey(nb, open, 'lm1'), 'another band\'s folder does not reach narrowband decodes');
  writeFileSync(join(dir, 'means'), 'other\n');
  assert.notEqual(await keyWith({ adaptedModel: { narrowband: dir } }), first, 'new means, new key');
  assert.equal(await keyWith({ adaptedModel: { narrowband: join(dir, 'none') } }), decodeKey(nb, open, 'lm1'), 'a missing folder decodes (and keys) as the stock model');
});
