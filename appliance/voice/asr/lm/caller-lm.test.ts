import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import pino from 'pino';
import { demoSpa } from '../../../booking/demo-spa.js';
import { FakeClock, settle } from '../../../shared/fake-clock.js';
import { DEFAULT_CALLER_LM_PARAMS } from './build.js';
import type { CallerDomain } from './caller-corpus.js';
import type { CallerLmJob, CallerLmReport } from './caller-lm-build.js';
import { CallerLanguageModel, callerDomainOf, inputsKey } from './caller-lm.js';

const log = pino({ level: 'silent' });
const MODEL_DIR = '/usr/share/pocketsphinx/model/en-us';
let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'spa-caller-lm-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in for the build process: writes the report and two small files, counts its jobs. */
function fakeBuild(opts: { fail?: () => boolean } = {}): { jobs: CallerLmJob[]; build: (job: CallerLmJob) => Promise<CallerLmReport> } {
  const jobs: CallerLmJob[] = [];
  return {
    jobs,
    build: async (job) => {
      jobs.push(job);
      if (opts.fail?.()) throw new Error('build failed');
      await mkdir(job.outDir, { recursive: true });
      const report: CallerLmReport = { lm: join(job.outDir, 'caller.lm'), dict: join(job.outDir, 'caller.dict'), binary: false, vocabulary: 1, ngrams: [1], corpusSentences: 1, unpronounceable: [], ms: { slice: 0, build: 0, convert: 0 } };
      await writeFile(report.lm, 'lm');
      await writeFile(report.dict, 'dict');
      await writeFile(join(job.outDir, 'report.json'), JSON.stringify(report));
      return report;
    },
  };
}

/** A catalogue whose revision and services the test changes. */
function catalogue(): { domain: CallerDomain; revision: number; source: { domain(): CallerDomain; revision(): number } } {
  const c = {
    domain: callerDomainOf(demoSpa()),
    revision: 1,
    source: { domain: () => c.domain, revision: () => c.revision },
  };
  return c;
}

test('the cache key follows the inputs: same catalogue, same key; a new alias or other parameters, another key', async () => {
  const inputs = { domain: callerDomainOf(demoSpa()), extraTexts: ['is there parking'], params: DEFAULT_CALLER_LM_PARAMS };
  const key = await inputsKey(inputs, MODEL_DIR);
  assert.match(key, /^[0-9a-f]{24}$/);
  assert.equal(await inputsKey({ ...inputs, domain: callerDomainOf(demoSpa()) }, MODEL_DIR), key);
  const alias = callerDomainOf(demoSpa());
  alias.services = alias.services.map((s, i) => (i === 0 ? { ...s, aliases: [...s.aliases, 'the forehead stuff'] } : s));
  assert.notEqual(await inputsKey({ ...inputs, domain: alias }, MODEL_DIR), key);
  assert.notEqual(await inputsKey({ ...inputs, params: { ...DEFAULT_CALLER_LM_PARAMS, domainWeight: 0.5 } }, MODEL_DIR), key);
  assert.notEqual(await inputsKey({ ...inputs, extraTexts: [] }, MODEL_DIR), key);
});

test('start() builds the model once; a restart with the same catalogue loads it from the cache without building', async () => {
  const cacheDir = join(dir, 'restart');
  const c = catalogue();
  const first = fakeBuild();
  const one = new CallerLanguageModel({ log, source: c.source, cacheDir, clock: new FakeClock(), build: first.build, config: { extraTexts: [] } });
  await one.start();
  const files = one.current();
  assert.equal(first.jobs.length, 1);
  assert.ok(files && files.lm.startsWith(join(cacheDir, 'caller-lm', files.key)));
  await one.stop();

  const second = fakeBuild();
  const two = new CallerLanguageModel({ log, source: c.source, cacheDir, clock: new FakeClock(), build: second.build, config: { extraTexts: [] } });
  await two.start();
  assert.equal(second.jobs.length, 0, 'nothing rebuilt');
  assert.deepEqual(two.current(), files);
  await two.stop();
});

test('a catalogue change that touches what callers say rebuilds the model; other changes rebuild nothing', async () => {
  const c = catalogue();
  const clock = new FakeClock();
  const builds = fakeBuild();
  const lm = new CallerLanguageModel({ log, source: c.source, cacheDir: join(dir, 'change'), clock, build: builds.build, config: { extraTexts: [], checkEveryMs: 30_000 } });
  await lm.start();
  const before = lm.current();
  // A schedule edit: the revision moves, the words do not.
  c.revision = 2;
  clock.advance(30_000);
  await lm.refresh();
  assert.equal(builds.jobs.length, 1, 'same inputs: no build');
  assert.deepEqual(lm.current(), before);
  // A new service: found by the next look at the revision (the periodic check), built in the background.
  c.domain = { ...c.domain, services: [...c.domain.services, { name: 'Kybella', aliases: [] }] };
  c.revision = 3;
  clock.advance(30_000);
  await settle();
  await lm.refresh();
  assert.equal(builds.jobs.length, 2);
  const after = lm.current();
  assert.ok(after && after.key !== before?.key);
  assert.ok(builds.jobs[1]?.inputs.domain.services.some((s) => s.name === 'Kybella'));
  await lm.stop();
});

test('current() itself notices a new revision between checks and the turn after the rebuild gets the new model', async () => {
  const c = catalogue();
  const builds = fakeBuild();
  const lm = new CallerLanguageModel({ log, source: c.source, cacheDir: join(dir, 'current'), clock: new FakeClock(), build: builds.build, config: { extraTexts: [] } });
  await lm.start();
  const before = lm.current();
  c.domain = { ...c.domain, providers: [...c.domain.providers, { name: 'Priya Raman' }] };
  c.revision = 2;
  assert.deepEqual(lm.current(), before, 'the turn in progress keeps the model it has');
  await lm.refresh(); // joins the rebuild current() started
  assert.equal(builds.jobs.length, 2);
  assert.notEqual(lm.current()?.key, before?.key);
  await lm.stop();
});

test('a failed build leaves open turns with the last good model (or none at first), and a later change tries again', async () => {
  const c = catalogue();
  let failing = true;
  const builds = fakeBuild({ fail: () => failing });
  const lm = new CallerLanguageModel({ log, source: c.source, cacheDir: join(dir, 'fail'), clock: new FakeClock(), build: builds.build, config: { extraTexts: [] } });
  await lm.start();
  assert.equal(lm.current(), null);
  failing = false;
  c.revision = 2;
  c.domain = { ...c.domain, spaName: 'Glow' };
  await lm.refresh();
  const good = lm.current();
  assert.ok(good);
  failing = true;
  c.revision = 3;
  c.domain = { ...c.domain, spaName: 'Glow Two' };
  await lm.refresh();
  assert.deepEqual(lm.current(), good);
  await lm.stop();
});

test('old cache entries are pruned: the one in use and the three newest others stay', async () => {
  const c = catalogue();
  const builds = fakeBuild();
  const cacheDir = join(dir, 'prune');
  const lm = new CallerLanguageModel({ log, source: c.source, cacheDir, clock: new FakeClock(), build: builds.build, config: { extraTexts: [] } });
  await lm.start();
  for (let i = 2; i <= 7; i++) {
    c.revision = i;
    c.domain = { ...c.domain, spaName: `Spa ${i}` };
    await lm.refresh();
  }
  assert.equal(builds.jobs.length, 7);
  const left = await readdir(join(cacheDir, 'caller-lm'));
  assert.equal(left.length, 4);
  assert.ok(left.includes(lm.current()?.key ?? ''));
  await lm.stop();
});
