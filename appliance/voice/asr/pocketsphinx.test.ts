import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { synthesizeFlite } from '../flite.js';
import { ADAPTED_MODEL_FILES, parseOutput, PocketsphinxAsr } from './pocketsphinx.js';
import type { PocketsphinxConfig } from './pocketsphinx.js';

const log = pino({ level: 'silent' });
let dir = '';
let work = '';
let speech: Int16Array = new Int16Array(0);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spa-asr-test-'));
  work = join(dir, 'work');
  await writeFile(join(dir, 'hang.sh'), '#!/bin/sh\nexec sleep 30\n');
  await writeFile(join(dir, 'fail.sh'), '#!/bin/sh\nexit 3\n');
  await chmod(join(dir, 'hang.sh'), 0o755);
  await chmod(join(dir, 'fail.sh'), 0o755);
  await mkdir(work);
  speech = (await synthesizeFlite('Yes please', { voice: 'kal16' })).samples;
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const asrWith = (config: PocketsphinxConfig): PocketsphinxAsr => new PocketsphinxAsr({ log, config: { tmpDir: work, ...config } });

test('parseOutput joins the words of every segment, drops fillers and pronunciation variants, and keeps timings', () => {
  const out = ['i\'d like to', '<s> 0.000 0.200 0.999900', "i'd 0.210 0.450 0.680829", '(NULL) 0.460 0.460 1.000000', 'to(3) 0.720 0.820 0.786056', '<sil> 0.9 1.0 1', '[NOISE] 1.0 1.1 1', 'botox 1.050 1.630 1.000200', ''].join('\n');
  const lm = parseOutput(out, false);
  assert.equal(lm.text, "i'd to botox");
  assert.deepEqual(lm.words?.[1], { word: 'to', startMs: 720, endMs: 820, confidence: 0.786056 });
  assert.equal(lm.words?.[2]?.confidence, 1, 'posteriors are clamped to 1');
  const fsg = parseOutput(out, true);
  assert.equal(fsg.confidence, null, 'a grammar decode has no meaningful confidence');
  assert.equal(fsg.words?.[0]?.confidence, null);
  assert.deepEqual(parseOutput('', true), { text: '', confidence: null, words: [] });
});

test('a decoder that never answers is killed at the time limit with SPA_ERR_ASR_TIMEOUT and its temp files are removed', async () => {
  const asr = asrWith({ binary: join(dir, 'hang.sh'), timeoutMs: 300 });
  await assert.rejects(asr.recognize(speech, { grammar: { phrases: ['yes'], closed: true } }), { code: 'SPA_ERR_ASR_TIMEOUT', retryable: true });
  await asr.stop(); // and the warm decoder started beside it
  assert.deepEqual(await readdir(work), []);
});

test('a decoder that exits with an error status gives SPA_ERR_ASR_ENGINE_FAILED and leaves no temp files', async () => {
  const asr = asrWith({ binary: join(dir, 'fail.sh') });
  await assert.rejects(asr.recognize(speech), { code: 'SPA_ERR_ASR_ENGINE_FAILED', retryable: true });
  await asr.stop(); // and the warm decoder started beside it
  assert.deepEqual(await readdir(work), []);
});

test('aborting while the decoder runs kills it and rejects with the abort reason', async () => {
  const asr = asrWith({ binary: join(dir, 'hang.sh'), timeoutMs: 20_000 });
  const signal = AbortSignal.timeout(200);
  await assert.rejects(asr.recognize(speech, { signal }), { name: 'TimeoutError' });
  await asr.stop(); // and the warm decoder started beside it
  assert.deepEqual(await readdir(work), []);
});

test('missing model files are reported by start() as SPA_ERR_ASR_ENGINE_MISSING', async () => {
  await assert.rejects(asrWith({ modelDir: join(dir, 'no-model') }).start(), { code: 'SPA_ERR_ASR_ENGINE_MISSING' });
});

test('a grammar naming words outside the dictionary (Dysport) still decodes instead of failing', async () => {
  const asr = asrWith({});
  const result = await asr.recognize(speech, { grammar: { phrases: ['Dysport please', 'yes please', 'HydraFacial'], closed: true } });
  assert.equal(result.text, 'yes please');
  await asr.stop(); // and the warm decoder it started for the next turn
  assert.deepEqual(await readdir(work), []);
});

/** Writes `audio` in 20 ms frames, as a call delivers it (without real-time waits). */
function feedFrames(s: { write(a: Int16Array): void }, audio: Int16Array): void {
  for (let o = 0; o < audio.length; o += 320) s.write(audio.subarray(o, o + 320));
}

test('stream(): audio fed frame by frame while the decoder runs gives the same words as recognize(), and leaves no temp files', async () => {
  const asr = asrWith({});
  const grammar = { phrases: ['yes please', 'no thanks'], closed: true };
  const s = asr.stream({ grammar });
  feedFrames(s, speech);
  const streamed = await s.finish();
  assert.equal(streamed.text, 'yes please');
  assert.equal(streamed.text, (await asr.recognize(speech, { grammar })).text);
  await asr.stop();
  assert.deepEqual(await readdir(work), [], 'stop() also removes the warm decoder started for the next turn');
});

test('stream(): cancel() kills the decoder at once (a false start) and finish() afterwards rejects', async () => {
  const asr = asrWith({ binary: join(dir, 'hang.sh'), timeoutMs: 20_000, voicingGate: false });
  const s = asr.stream();
  feedFrames(s, speech);
  s.cancel();
  await assert.rejects(s.finish(), { code: 'SPA_ERR_ASR_ENGINE_FAILED' });
  await asr.stop();
  assert.deepEqual(await readdir(work), []);
});

test('stream(): an utterance with no voiced speech (a click, a cough) finishes with no words without waiting for the decoder', async () => {
  const asr = asrWith({ binary: join(dir, 'hang.sh'), timeoutMs: 20_000 });
  const s = asr.stream();
  feedFrames(s, new Int16Array(16000));
  const r = await s.finish();
  assert.equal(r.text, '');
  await asr.stop();
  assert.deepEqual(await readdir(work), []);
});

test('stream(): a decoder that fails is reported by finish() with SPA_ERR_ASR_ENGINE_FAILED', async () => {
  const asr = asrWith({ binary: join(dir, 'fail.sh') });
  const s = asr.stream();
  feedFrames(s, speech);
  await assert.rejects(s.finish(), { code: 'SPA_ERR_ASR_ENGINE_FAILED' });
  await asr.stop();
  assert.deepEqual(await readdir(work), []);
});

test('stop() while an utterance is being fed kills its decoder and leaves nothing behind', async () => {
  const asr = asrWith({});
  const s = asr.stream({ grammar: { phrases: ['yes please'], closed: true } });
  feedFrames(s, speech.subarray(0, 4000));
  await asr.stop();
  await assert.rejects(s.finish());
  assert.deepEqual(await readdir(work), []);
});

test('open turns of a band with an MLLR transform decode with -mllr (narrowband by default, switchable off), grammar turns never; a missing transform leaves the stock model with a warning, never a failure', async () => {
  const argsFile = join(dir, 'args.txt');
  await writeFile(join(dir, 'args.sh'), `#!/bin/sh\necho "$@" >> ${argsFile}\nexit 0\n`);
  await chmod(join(dir, 'args.sh'), 0o755);
  const transform = join(dir, 'narrowband.mllr');
  await writeFile(transform, '1\n');
  const decodedWith = async (adaptation: PocketsphinxConfig['adaptation'], narrowband: boolean, logger = log, grammarTurn = false): Promise<string> => {
    await writeFile(argsFile, '');
    const languageModel = { current: () => ({ lm: join(dir, 'caller.lm'), dict: join(dir, 'caller.dict'), key: 'k' }) };
    const asr = new PocketsphinxAsr({ log: logger, config: { tmpDir: work, binary: join(dir, 'args.sh'), warmDecoders: 0, adaptation, languageModel } });
    try {
      await asr.recognize(speech, { grammar: { phrases: ['yes please'], free: true }, narrowband });
      if (grammarTurn) await asr.recognize(speech, { grammar: { phrases: ['yes please'], closed: true }, narrowband });
    } finally {
      await asr.stop();
    }
    return readFile(argsFile, 'utf8');
  };
  assert.match(await decodedWith({ narrowband: transform }, true), new RegExp(`-mllr ${transform}`));
  const both = (await decodedWith({ narrowband: transform }, true, log, true)).trim().split('\n');
  assert.equal(both.length, 2);
  assert.doesNotMatch(both[1] ?? '', /-mllr/, 'a grammar turn keeps the stock model its score floors were tuned on');
  assert.doesNotMatch(await decodedWith({ narrowband: transform }, false), /-mllr/, 'wideband has no transform of its own');
  assert.match(await decodedWith(undefined, true), /-mllr \S+\/adapt\/narrowband\.mllr/, 'narrowband turns use the committed transform by default');
  assert.doesNotMatch(await decodedWith({ narrowband: null }, true), /-mllr/, 'switched off: the stock model');
  const warnings: string[] = [];
  const capture = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  assert.doesNotMatch(await decodedWith({ narrowband: join(dir, 'none.mllr') }, true, capture), /-mllr/);
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /adaptation not readable/);
});

test('an adapted model folder replaces the stock model on open turns of its band (the MLLR transform on top), on grammar turns only when asked; an incomplete folder leaves the stock model with a warning', async () => {
  const argsFile = join(dir, 'model-args.txt');
  await writeFile(join(dir, 'model-args.sh'), `#!/bin/sh\necho "$@" >> ${argsFile}\nexit 0\n`);
  await chmod(join(dir, 'model-args.sh'), 0o755);
  const folder = join(dir, 'map');
  await mkdir(folder);
  for (const name of ADAPTED_MODEL_FILES) await writeFile(join(folder, name), '');
  const decodedWith = async (adaptedModel: PocketsphinxConfig['adaptedModel'], narrowband: boolean, logger = log): Promise<string[]> => {
    await writeFile(argsFile, '');
    const languageModel = { current: () => ({ lm: join(dir, 'caller.lm'), dict: join(dir, 'caller.dict'), key: 'k' }) };
    const asr = new PocketsphinxAsr({ log: logger, config: { tmpDir: work, binary: join(dir, 'model-args.sh'), warmDecoders: 0, adaptedModel, languageModel } });
    try {
      await asr.recognize(speech, { grammar: { phrases: ['yes please'], free: true }, narrowband });
      await asr.recognize(speech, { grammar: { phrases: ['yes please'], closed: true }, narrowband });
    } finally {
      await asr.stop();
    }
    return (await readFile(argsFile, 'utf8')).trim().split('\n');
  };
  const [open, grammar] = await decodedWith({ narrowband: folder }, true);
  assert.match(open ?? '', new RegExp(`-hmm ${folder} .*-mllr \\S+/adapt/narrowband\\.mllr`), 'open turn: the folder, with the band\'s transform on top');
  assert.doesNotMatch(grammar ?? '', new RegExp(folder), 'a grammar turn keeps the stock model by default');
  assert.match((await decodedWith({ narrowband: folder, grammarTurns: true }, true))[1] ?? '', new RegExp(`-hmm ${folder} `), 'grammar turns too when asked');
  assert.doesNotMatch((await decodedWith({ narrowband: folder }, false)).join('\n'), new RegExp(folder), 'another band\'s folder is not used');
  await rm(join(folder, 'means'));
  const warnings: string[] = [];
  const capture = pino({ level: 'warn' }, { write: (line: string) => warnings.push(line) });
  assert.doesNotMatch((await decodedWith({ narrowband: folder }, true, capture)).join('\n'), new RegExp(folder));
  assert.equal(warnings.length, 1);
  assert.match(warnings[0] ?? '', /adapted acoustic model incomplete/);
});
