// Every TTS adapter speaks the same sentences: 16 kHz mono, audible, about as long as speech of
// that length should be, lead-in trimmed. Piper runs on the tiny random-weight voices from
// models/tools/make-tiny-piper.py (its real phonemiser and runtime, a buzz instead of words): the
// suite checks format, length and lead-in, which those exercise; it does not check intelligibility.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { frameDbfs } from '../energy-vad.js';
import { EspeakTts } from './espeak.js';
import { FliteTts } from './flite.js';
import { PiperSherpaTts } from './piper-sherpa.js';
import { tinyPiperVoice } from './tiny-piper.fixture.js';
import { speakSentences, splitSentences, type Tts } from './types.js';

const SENTENCES = ['Thank you for calling Lumière Med Spa.', 'I have two thirty on Thursday the fourth.', 'Botox is thirteen dollars per unit.'];

function ttsConformance(name: string, make: () => Tts | Promise<Tts>): void {
  test(`${name}: each sentence becomes 16 kHz speech of a plausible length with no long lead-in`, async () => {
    const tts = await make();
    assert.equal(tts.capabilities.sampleRate, 16000);
    await tts.start();
    for (const s of SENTENCES) {
      const pcm = await tts.synthesize(s);
      const seconds = pcm.length / 16000;
      assert.ok(seconds > 0.8 && seconds < 6, `${s}: ${seconds.toFixed(2)} s`);
      assert.ok(frameDbfs(pcm.subarray(0, 1600)) > -45, `${s}: audible within the first 100 ms`);
    }
    await tts.stop();
  });
}

ttsConformance('flite kal16', () => new FliteTts({ voice: 'kal16' }));
ttsConformance('espeak-ng en-us', () => new EspeakTts());
ttsConformance('piper tiny-piper-16000 (random weights, 16 kHz like amy-low)', async () => new PiperSherpaTts({ config: await tinyPiperVoice({ sampleRate: 16000 }) }));
ttsConformance('piper tiny-piper-22050 (random weights, 22.05 kHz like libritts_r-medium)', async () => new PiperSherpaTts({ config: await tinyPiperVoice({ sampleRate: 22050, speakers: 4 }) }));

test('replies split into sentences, keeping abbreviations and decimals whole', () => {
  assert.deepEqual(splitSentences('Hello! Dr. Bennett has 3.5 hours free. Shall I book it?'), ['Hello!', 'Dr. Bennett has 3.5 hours free.', 'Shall I book it?']);
  assert.deepEqual(splitSentences('no punctuation'), ['no punctuation']);
  assert.deepEqual(splitSentences(''), []);
});

test('sentence streaming yields the first sentence before the whole reply is synthesised', async () => {
  const order: string[] = [];
  // Each synthesis finishes when the test says so (finish.get(sentence)()).
  const finish = new Map<string, () => void>();
  const fake: Tts = {
    name: 'fake',
    capabilities: { streaming: false, sampleRate: 16000 },
    start: () => Promise.resolve(),
    stop: () => Promise.resolve(),
    synthesize: async (t) => {
      order.push(`start ${t}`);
      await new Promise<void>((resolve) => finish.set(t, resolve));
      order.push(`done ${t}`);
      return new Int16Array(160);
    },
  };
  const two = 'Two two two two two two two two two two.';
  const chunks = speakSentences(fake, `One. ${two}`);
  const first = chunks.next();
  await new Promise((r) => setImmediate(r));
  assert.deepEqual(order, ['start One.', `start ${two}`], 'the second sentence is synthesised while the first is');
  finish.get('One.')?.();
  assert.equal((await first).done, false);
  order.push('yield');
  assert.deepEqual(order, ['start One.', `start ${two}`, 'done One.', 'yield'], 'the first sentence is out before the second is done');
  finish.get(two)?.();
  const rest: IteratorResult<Int16Array>[] = [await chunks.next(), await chunks.next()];
  assert.deepEqual(rest.map((r) => r.done), [false, true]);
  assert.deepEqual(order.slice(4), [`done ${two}`]);
});
