// Real pocketsphinx on constrained turns: a yes and out-of-grammar speech, synthesized by flite at
// 16 kHz, decoded wideband and after a real G.711 round trip (PCMU, 8 kHz) as phone calls arrive.
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { phoneLine } from '../../../test/helpers/phone-line.js';
import { synthesizeFlite } from '../flite.js';
import { callerExpectation } from './caller-grammars.js';
import { PocketsphinxAsr } from './pocketsphinx.js';
import type { AsrGrammar } from './types.js';

const log = pino({ level: 'silent' });
let work = '';
let asr: PocketsphinxAsr;
const yesNo = callerExpectation('yes-no', () => []).grammar as AsrGrammar;

const spoken = async (text: string): Promise<Int16Array> => (await synthesizeFlite(text, { voice: 'kal16' })).samples;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'spa-asr-nb-test-'));
  asr = new PocketsphinxAsr({ log, config: { tmpDir: work, warmDecoders: 0 } });
  await asr.start();
});
after(async () => {
  await asr.stop();
  assert.deepEqual(await readdir(work), [], 'no decoder folders left');
  await rm(work, { recursive: true, force: true });
});

test('a yes said over a PCMU phone line is heard as that yes on a yes/no turn, not rejected', async () => {
  const r = await asr.recognize(phoneLine(await spoken('Yes please')), { grammar: yesNo, narrowband: true });
  assert.equal(r.text, 'yes please');
  assert.notEqual(r.rejected, true, `fit ${String(r.fit)}`);
});

test('a no said over a PCMU phone line with 2% of its packets lost is heard as no', async () => {
  const r = await asr.recognize(phoneLine(await spoken('No thanks'), { lossPct: 2, seed: 3 }), { grammar: yesNo, narrowband: true });
  assert.equal(r.text, 'no thanks');
  assert.notEqual(r.rejected, true, `fit ${String(r.fit)}`);
});

test('out-of-grammar speech on a yes/no turn is rejected, not taken for a yes or a no: wideband and over a PCMU line', async () => {
  const notAnAnswer = await spoken('Hold on a second, let me check my calendar');
  const wide = await asr.recognize(notAnAnswer, { grammar: yesNo });
  assert.equal(wide.rejected, true, `wideband heard "${wide.text}" (fit ${String(wide.fit)})`);
  const narrow = await asr.recognize(phoneLine(notAnAnswer), { grammar: yesNo, narrowband: true });
  assert.equal(narrow.rejected, true, `narrowband heard "${narrow.text}" (fit ${String(narrow.fit)})`);
});

test('without the constrained flag the same grammar forces the same speech onto an answer (what the rejection is for)', async () => {
  const r = await asr.recognize(await spoken('Hold on a second, let me check my calendar'), { grammar: { ...yesNo, constrained: false } });
  assert.notEqual(r.text, '');
  assert.equal(r.rejected, undefined);
});
