// npm run nlu -- split | train | eval [dev|test]
//   split        splits test/nlu/corpus once into test/nlu/split/{train,dev,test}.jsonl (refuses to
//                redo it; `split --add` places only lines not yet in any split, keeping the rest)
//   train        fits the model on train and test/nlu/extra (+ dev for thresholds) and writes appliance/agent/nlu/model.json
//   eval SPLIT   prints intent accuracy, slot F1 and urgent recall on dev (default) or test, with misses
//   asr-transcripts [--n N] [--seed S] [--cached-only]
//                writes test/nlu/asr/transcripts.jsonl: training lines spoken by the tuning voices and
//                decoded as the box decodes an open turn (offline, a batch of about a second a line;
//                test/bench/hearing/asr-transcripts.ts); then run train
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCorpus, toJsonl, type CorpusSplit } from './corpus.js';
import { evaluate } from './evaluate.js';
import { corpusWorld, fittedOnHash, readCorpus, readSplit, readTraining, SPLIT_DIR, SPLITS, textKey, understandLine } from './lab.js';
import { MODEL_PATH, NluModel } from './model.js';
import { trainNlu } from './train.js';
import { fileURLToPath } from 'node:url';

const DEMO_EXAMPLES_PATH = fileURLToPath(new URL('../../../../appliance/booking/demo-knowledge-examples.json', import.meta.url));

const world = corpusWorld();
const [cmd, arg] = process.argv.slice(2);

function writeSplit(split: CorpusSplit): void {
  mkdirSync(SPLIT_DIR, { recursive: true });
  for (const name of SPLITS) writeFileSync(join(SPLIT_DIR, `${name}.jsonl`), toJsonl(split[name]));
  console.log(`train ${split.train.length}, dev ${split.dev.length}, test ${split.test.length}`);
}

/** The model as JSON, one field per line. */
function modelText(model: NluModel): string {
  const j = model.toJSON();
  return `{\n${Object.entries(j)
    .map(([k, v]) => `  ${JSON.stringify(k)}: ${JSON.stringify(v)}`)
    .join(',\n')}\n}\n`;
}

switch (cmd ?? '') {
  case 'split': {
    const all = readCorpus(world);
    if (!existsSync(join(SPLIT_DIR, 'test.jsonl'))) {
      writeSplit(splitCorpus(all));
      break;
    }
    if (arg !== '--add') {
      console.error('the corpus is already split (test/nlu/split): the test split is never redrawn. Use `split --add` to place new lines only.');
      process.exit(2);
    }
    const old = readSplit(world);
    const known = new Set(SPLITS.flatMap((n) => old[n].map(textKey)));
    const fresh = all.filter((u) => !known.has(textKey(u)));
    const add = splitCorpus(fresh, fresh.length);
    writeSplit({ train: [...old.train, ...add.train], dev: [...old.dev, ...add.dev], test: [...old.test, ...add.test] });
    break;
  }
  case 'train': {
    const split = readTraining(world);
    const { model, report } = trainNlu(split, world.lexicon, fittedOnHash());
    writeFileSync(MODEL_PATH, modelText(model));
    // The demo knowledge base's example questions: train lines that one entry answers.
    const examples: Record<string, string[]> = {};
    for (const u of split.train) {
      const [topic] = u.topics;
      // What the recogniser heard is no example question to read back or to build its model from.
      if (u.source.startsWith('asr:')) continue;
      if (u.after !== 'open' || u.topics.length !== 1 || !topic || topic === 'unknown' || topic.startsWith('service:')) continue;
      (examples[topic] ??= []).push(u.text);
    }
    writeFileSync(DEMO_EXAMPLES_PATH, `${JSON.stringify(examples, null, 1)}\n`);
    console.log(JSON.stringify(report, null, 2));
    break;
  }
  case 'eval': {
    const name = arg === 'test' ? 'test' : arg === 'train' ? 'train' : 'dev';
    const model = NluModel.load();
    const list = readSplit(world)[name];
    const ev = evaluate(list, (u) => understandLine(world, model, u));
    console.log(`${name}: ${ev.n} lines · intent accuracy ${(ev.intentAccuracy * 100).toFixed(1)}% · slot F1 ${(ev.slot.f1 * 100).toFixed(1)}% (P ${(ev.slot.precision * 100).toFixed(1)} R ${(ev.slot.recall * 100).toFixed(1)}) · urgent recall ${(ev.urgent.recall * 100).toFixed(1)}% precision ${(ev.urgent.precision * 100).toFixed(1)}%`);
    console.log('per intent:', Object.entries(ev.perIntent).map(([k, [r, t]]) => `${k} ${r}/${t}`).join(', '));
    console.log('per slot [tp fp fn]:', Object.entries(ev.perSlot).map(([k, v]) => `${k} ${v.join(' ')}`).join(', '));
    if (arg === 'test' || process.argv.includes('--quiet')) break;
    for (const r of ev.results.filter((x) => !x.intentOk)) console.log(`INTENT ${r.u.intents.join('+')} -> ${r.predicted.join('+')} [${r.u.after}] ${r.u.text}`);
    for (const r of ev.results) {
      const miss = r.goldSlots.filter((g) => !r.predictedSlots.some((p) => p.key === g.key && p.value === g.value)).map((g) => `-${g.key}=${g.value}`);
      const extra = r.predictedSlots.filter((p) => !r.goldSlots.some((g) => g.key === p.key && g.value === p.value)).map((p) => `+${p.key}=${p.value}`);
      if (miss.length + extra.length > 0) console.log(`SLOT ${[...miss, ...extra].join(' ')} [${r.u.after}] ${r.u.text}`);
    }
    for (const t of ev.urgent.missed) console.log(`URGENT MISSED ${t}`);
    for (const t of ev.urgent.falseAlarms) console.log(`URGENT FALSE ${t}`);
    break;
  }
  case 'asr-transcripts': {
    // A lab tool beside the hearing benches (it speaks and decodes): loaded only for this command.
    const { makeAsrTranscripts, TRANSCRIPTS_PATH } = await import('../../../test/bench/hearing/asr-transcripts.js');
    const opt = (name: string, fallback: number): number => {
      const i = process.argv.indexOf(`--${name}`);
      return i >= 0 ? Number(process.argv[i + 1]) : fallback;
    };
    const run = await makeAsrTranscripts({ n: opt('n', 3000), seed: opt('seed', 12), cachedOnly: process.argv.includes('--cached-only'), progress: (m) => console.error(m) });
    console.log(JSON.stringify(run));
    console.log(`${run.written} transcripts -> ${TRANSCRIPTS_PATH}; now npm run nlu -- train`);
    break;
  }
  default:
    console.error('usage: npm run nlu -- split [--add] | train | eval [dev|test] | asr-transcripts [--n N] [--seed S] [--cached-only]');
    process.exit(2);
}
