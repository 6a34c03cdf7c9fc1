// The caller language model end to end: built for the demo spa by the real build process (in the
// tests' shared speech cache, so later runs load it), then an open turn spoken by flite and
// decoded by pocketsphinx with it.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { TEST_SPEECH_CACHE } from '../../../../test/helpers/appliance.js';
import { ServiceMatcher } from '../../../agent/understand/services.js';
import { demoSpa } from '../../../booking/demo-spa.js';
import { synthesizeFlite } from '../../flite.js';
import { CALLER_PHRASES, callerExpectation } from '../caller-grammars.js';
import { PocketsphinxAsr } from '../pocketsphinx.js';
import { CallerLanguageModel, callerDomainOf } from './caller-lm.js';

const log = pino({ level: 'silent' });
const spa = demoSpa();
const catalogue = (): string[] => spa.services.flatMap((s) => [s.name, ...s.aliases]);
let lm: CallerLanguageModel;

before(async () => {
  lm = new CallerLanguageModel({ log, source: { domain: () => callerDomainOf(spa), revision: () => 1 }, cacheDir: TEST_SPEECH_CACHE });
  await lm.start();
});
after(async () => {
  await lm.stop();
});

test('the demo spa\'s caller language model is built (or loaded) with a binary model and a dictionary for its words', () => {
  const files = lm.current();
  assert.ok(files, 'built');
  assert.match(files.lm, /caller\.lm(\.bin)?$/);
  assert.match(files.dict, /caller\.dict$/);
});

test('an open turn decodes a sentence outside every phrase list into the right key words (service, provider, day, time)', async () => {
  const said = 'Could I get a HydraFacial with Maya next Thursday at four?';
  assert.ok(!CALLER_PHRASES.some((p) => p === said.toLowerCase()), 'not one of the phrases');
  const grammar = callerExpectation('open', catalogue).grammar;
  assert.equal(grammar?.free, true, 'open turns are free');
  const asr = new PocketsphinxAsr({ log, config: { languageModel: lm, warmDecoders: 0 } });
  try {
    const audio = (await synthesizeFlite(said, { voice: 'kal16' })).samples;
    const heard = await asr.recognize(audio, { grammar });
    // The service in any of the catalogue's spellings ("hydrafacial", "hydra facial", "high dra facial"), as the understanding reads it.
    assert.ok(new ServiceMatcher(spa.services).match(heard.text).ids.includes('hydrafacial-signature'), `a HydraFacial in "${heard.text}"`);
    const words = heard.text.split(' ');
    for (const key of ['maya', 'thursday', 'four']) assert.ok(words.includes(key), `"${key}" in "${heard.text}"`);
  } finally {
    await asr.stop();
  }
});
