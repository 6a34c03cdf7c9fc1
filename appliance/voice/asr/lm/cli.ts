// npm run lm -- sentences | build [out-dir]
//   sentences   writes caller-sentences.json (the understanding corpus's training sentences, spoken)
//   build       builds the demo spa's caller language model into out-dir (default ./data/caller-lm)
//               and prints its size and build time
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { demoSpa } from '../../../booking/demo-spa.js';
import { buildCallerLmFiles } from './caller-lm-build.js';
import { callerDomainOf } from './caller-lm.js';
import { CALLER_SENTENCES_PATH, callerSentenceSources, makeCallerSentences, readCallerSentences } from './caller-sentences.js';
import { DEFAULT_CALLER_LM_PARAMS } from './build.js';

const [cmd, arg] = process.argv.slice(2);
switch (cmd ?? '') {
  case 'sentences': {
    const made = makeCallerSentences(callerSentenceSources());
    writeFileSync(CALLER_SENTENCES_PATH, `${JSON.stringify(made, null, 1)}\n`);
    console.log(`${made.sentences.length} sentences -> ${CALLER_SENTENCES_PATH}`);
    break;
  }
  case 'build': {
    const spa = demoSpa();
    const out = resolve(arg ?? 'data/caller-lm');
    const t0 = performance.now();
    const built = await buildCallerLmFiles({
      outDir: out,
      cacheDir: resolve(out, '..'),
      inputs: { domain: callerDomainOf(spa), extraTexts: await readCallerSentences(), params: DEFAULT_CALLER_LM_PARAMS },
    });
    console.log(JSON.stringify({ ...built, ms: Math.round(performance.now() - t0) }));
    break;
  }
  default:
    console.error('usage: npm run lm -- sentences | build [out-dir]');
    process.exit(2);
}
