import assert from 'node:assert/strict';
import { test } from 'node:test';
import { seededRandom } from '../../shared/random.js';
import { LinearModel, type LinearModelJson, type TrainingExample } from './linear.js';

function toy(): TrainingExample[] {
  const out: TrainingExample[] = [];
  const rand = seededRandom(5);
  for (let i = 0; i < 60; i++) {
    const noise = `n${Math.floor(rand() * 10)}`;
    out.push({ features: ['w:price', noise], targets: ['price'] });
    out.push({ features: ['w:book', noise], targets: ['book'] });
    out.push({ features: ['w:hello', noise], targets: ['greeting'] });
  }
  out.push({ features: ['w:price', 'w:book'], targets: ['price', 'book'] });
  return out;
}

test('a linear model learns which feature means which class, and shares a two-intent line between both', () => {
  const m = LinearModel.train(toy(), { epochs: 20, seed: 3 });
  assert.deepEqual([...m.classes], ['book', 'greeting', 'price']);
  assert.ok((m.probabilities(['w:price']).get('price') ?? 0) > 0.9);
  assert.ok((m.probabilities(['w:hello', 'n3']).get('greeting') ?? 0) > 0.9);
  const both = m.probabilities(['w:price', 'w:book']);
  assert.ok((both.get('price') ?? 0) > 0.3 && (both.get('book') ?? 0) > 0.3, JSON.stringify([...both]));
  // Features never seen in training carry no weight of their own: the same class wins.
  const top = (f: string[]): string => [...m.probabilities(f).entries()].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';
  assert.equal(top(['w:price', 'never-seen', 'also-new']), 'price');
});

test('training is deterministic for a seed, and the JSON round trip keeps the predictions', () => {
  const a = LinearModel.train(toy(), { epochs: 10, seed: 9 });
  const b = LinearModel.train(toy(), { epochs: 10, seed: 9 });
  assert.deepEqual(a.toJSON(), b.toJSON());
  const back = LinearModel.fromJSON(JSON.parse(JSON.stringify(a.toJSON())) as LinearModelJson);
  for (const f of [['w:price'], ['w:book', 'n1'], ['w:hello'], ['w:price', 'w:book']]) {
    for (const c of a.classes) assert.ok(Math.abs((a.probabilities(f).get(c) ?? 0) - (back.probabilities(f).get(c) ?? 0)) < 0.02, `${f.join(' ')} ${c}`);
  }
});

test('a temperature fitted on held-out lines stays in range and does not raise their log loss', () => {
  const m = LinearModel.train(toy(), { epochs: 30, seed: 1 });
  const held = toy().slice(0, 30);
  const loss = (): number => held.reduce((s, e) => s - Math.log(m.probabilities(e.features).get(e.targets[0] ?? '') ?? 1e-12), 0);
  m.temperature = 1;
  const before = loss();
  const t = m.fitTemperature(held);
  assert.ok(t >= 0.3 && t <= 4);
  assert.ok(loss() <= before + 1e-9);
});

test('a malformed model file is refused with what is wrong', () => {
  const good = LinearModel.train(toy(), { epochs: 2 }).toJSON();
  assert.throws(() => LinearModel.fromJSON({ ...good, bias: [0] }), /biases/);
  assert.throws(() => LinearModel.fromJSON({ ...good, rows: 'AAAA' }), /weights for/);
  assert.throws(() => LinearModel.fromJSON({ ...good, scale: 0 }), /scale/);
});

test('models fitted in different orders average into one of the same classes with the mean weights, and models of other classes are refused', () => {
  const a = LinearModel.train(toy(), { epochs: 5, seed: 1 });
  const b = LinearModel.train(toy(), { epochs: 5, seed: 2 });
  const mean = LinearModel.average([a, b]);
  assert.deepEqual([...mean.classes], [...a.classes]);
  for (const f of [['w:price'], ['w:book', 'n1'], ['w:hello', 'n7']]) {
    const [sa, sb, sm] = [a.scores(f), b.scores(f), mean.scores(f)];
    for (let c = 0; c < sm.length; c++) assert.ok(Math.abs((sm[c] ?? 0) - ((sa[c] ?? 0) + (sb[c] ?? 0)) / 2) < 1e-9, `${f.join(' ')} class ${c}`);
  }
  assert.ok((mean.probabilities(['w:price']).get('price') ?? 0) > 0.9);
  const other = LinearModel.train([{ features: ['w:x'], targets: ['x'] }, { features: ['w:y'], targets: ['y'] }], { epochs: 2 });
  assert.throws(() => LinearModel.average([a, other]), /share their classes/);
  assert.throws(() => LinearModel.average([]), /nothing to average/);
});
