// A linear classifier over sparse features: multinomial logistic regression (softmax), trained by
// AdaGrad with L2, deterministic for a given seed, and a temperature fitted afterwards on held-out
// data so its probabilities can be read as confidence. Small enough to ship as JSON and to score an
// utterance in microseconds on a Pi. Pure: no I/O, no clock.

import { seededRandom } from '../../shared/random.js';

export interface TrainingExample {
  features: readonly string[];
  /** Target distribution over classes: one class, or shared among several (multi-intent). */
  targets: readonly string[];
}

export interface TrainOptions {
  epochs?: number;
  /** L2 strength per example seen. */
  l2?: number;
  learningRate?: number;
  seed?: number;
  /** Features seen fewer times than this in training are dropped. */
  minCount?: number;
}

export interface LinearModelJson {
  classes: string[];
  bias: number[];
  temperature: number;
  /** The features, in the order of their rows. */
  features: string[];
  /** Each feature's weights, one signed byte per class, row after row, base64: weight = byte * scale. */
  rows: string;
  scale: number;
}


function softmaxInPlace(z: Float64Array, temperature = 1): void {
  let max = -Infinity;
  for (const v of z) if (v > max) max = v;
  let sum = 0;
  for (let i = 0; i < z.length; i++) {
    const e = Math.exp(((z[i] ?? 0) - max) / temperature);
    z[i] = e;
    sum += e;
  }
  for (let i = 0; i < z.length; i++) z[i] = (z[i] ?? 0) / sum;
}

/** A model's exact weights (not quantised), in typed arrays a worker thread can transfer. */
export interface LinearModelExact {
  classes: string[];
  bias: Float64Array;
  temperature: number;
  features: string[];
  /** Each feature's weights, `classes.length` wide, row after row in the order of `features`. */
  weights: Float64Array;
}

export class LinearModel {
  private readonly index: Map<string, number>;

  constructor(
    readonly classes: readonly string[],
    private readonly bias: Float64Array,
    /** Row per feature, `classes.length` wide. */
    private readonly rows: Map<string, Float64Array>,
    public temperature = 1,
  ) {
    this.index = new Map(classes.map((c, i) => [c, i]));
  }

  /** Raw scores per class (before the softmax). */
  scores(features: readonly string[]): Float64Array {
    const z = Float64Array.from(this.bias);
    const scale = 1 / Math.sqrt(Math.max(1, features.length));
    for (const f of features) {
      const row = this.rows.get(f);
      if (!row) continue;
      for (let k = 0; k < z.length; k++) z[k] = (z[k] ?? 0) + (row[k] ?? 0) * scale;
    }
    return z;
  }

  /** Probabilities per class, with the fitted temperature. */
  probabilities(features: readonly string[]): Map<string, number> {
    const z = this.scores(features);
    softmaxInPlace(z, this.temperature);
    return new Map(this.classes.map((c, i) => [c, z[i] ?? 0]));
  }

  classIndex(c: string): number | undefined {
    return this.index.get(c);
  }

  get featureCount(): number {
    return this.rows.size;
  }

  /** Chooses the temperature that makes held-out probabilities most honest (least log loss). */
  fitTemperature(examples: readonly TrainingExample[]): number {
    const cached = examples.map((e) => ({ z: this.scores(e.features), targets: e.targets.map((t) => this.index.get(t)).filter((i): i is number => i !== undefined) }));
    let best = 1;
    let bestLoss = Infinity;
    for (let t = 0.3; t <= 4.001; t += 0.05) {
      let loss = 0;
      for (const c of cached) {
        const p = Float64Array.from(c.z);
        softmaxInPlace(p, t);
        for (const i of c.targets) loss -= Math.log(Math.max(1e-12, p[i] ?? 0)) / c.targets.length;
      }
      if (loss < bestLoss) {
        bestLoss = loss;
        best = Math.round(t * 100) / 100;
      }
    }
    this.temperature = best;
    return best;
  }

  /**
   * The model as JSON: weights quantised to one signed byte each (the accuracy it costs is below
   * what the dev split can show), so the committed file stays well under a megabyte.
   */
  toJSON(): LinearModelJson {
    let max = 0;
    for (const row of this.rows.values()) for (const v of row) max = Math.max(max, Math.abs(v));
    const scale = max > 0 ? max / 127 : 1;
    const k = this.classes.length;
    const features: string[] = [];
    const kept: Int8Array[] = [];
    for (const f of [...this.rows.keys()].sort()) {
      const q = Int8Array.from(this.rows.get(f) ?? [], (v) => Math.round(v / scale));
      // A feature whose weights all round to nothing carries no information: left out of the file.
      if (q.some((v) => v !== 0)) {
        features.push(f);
        kept.push(q);
      }
    }
    const bytes = new Int8Array(features.length * k);
    kept.forEach((q, i) => bytes.set(q, i * k));
    const round = (v: number): number => Math.round(v * 1e4) / 1e4;
    return { classes: [...this.classes], bias: [...this.bias].map(round), temperature: this.temperature, features, rows: Buffer.from(bytes.buffer).toString('base64'), scale };
  }

  /** The exact model, for handing over between threads (toJSON quantises; this does not). */
  toExact(): LinearModelExact {
    const k = this.classes.length;
    const features = [...this.rows.keys()];
    const weights = new Float64Array(features.length * k);
    features.forEach((f, i) => weights.set(this.rows.get(f) ?? [], i * k));
    return { classes: [...this.classes], bias: Float64Array.from(this.bias), temperature: this.temperature, features, weights };
  }

  static fromExact(x: LinearModelExact): LinearModel {
    const k = x.classes.length;
    if (k === 0 || x.bias.length !== k || x.weights.length !== x.features.length * k) throw new Error(`linear model: ${x.weights.length} weights for ${x.features.length} features of ${k} classes`);
    const rows = new Map<string, Float64Array>();
    x.features.forEach((f, i) => rows.set(f, x.weights.slice(i * k, i * k + k)));
    return new LinearModel(x.classes, Float64Array.from(x.bias), rows, x.temperature);
  }

  static fromJSON(json: LinearModelJson): LinearModel {
    const k = json.classes.length;
    if (k === 0 || json.bias.length !== k) throw new Error(`linear model: ${json.bias.length} biases for ${k} classes`);
    if (!Array.isArray(json.features) || typeof json.rows !== 'string' || !(json.scale > 0)) throw new Error('linear model: features, rows and scale are required');
    const bytes = new Int8Array(Buffer.from(json.rows, 'base64'));
    if (bytes.length !== json.features.length * k) throw new Error(`linear model: ${bytes.length} weights for ${json.features.length} features of ${k} classes`);
    const rows = new Map<string, Float64Array>();
    json.features.forEach((f, i) => rows.set(f, Float64Array.from(bytes.subarray(i * k, i * k + k), (v) => v * json.scale)));
    return new LinearModel(json.classes, Float64Array.from(json.bias), rows, json.temperature);
  }

  /**
   * The mean of models fitted on the same examples in different orders (different seeds): one
   * model of the same size whose weights vary less with the order the lines happened to be seen in.
   */
  static average(models: readonly LinearModel[]): LinearModel {
    const first = models[0];
    if (!first) throw new Error('linear model: nothing to average');
    const k = first.classes.length;
    if (models.some((m) => m.classes.join() !== first.classes.join())) throw new Error('linear model: averaged models must share their classes');
    const bias = new Float64Array(k);
    const rows = new Map<string, Float64Array>();
    for (const m of models) {
      for (let c = 0; c < k; c++) bias[c] = (bias[c] ?? 0) + (m.bias[c] ?? 0) / models.length;
      for (const [f, row] of m.rows) {
        let sum = rows.get(f);
        if (!sum) rows.set(f, (sum = new Float64Array(k)));
        for (let c = 0; c < k; c++) sum[c] = (sum[c] ?? 0) + (row[c] ?? 0) / models.length;
      }
    }
    return new LinearModel(first.classes, bias, rows);
  }

  /** Trains on the examples; classes are those the targets name, sorted. Deterministic per seed. */
  static train(examples: readonly TrainingExample[], opts: TrainOptions = {}): LinearModel {
    const epochs = opts.epochs ?? 40;
    const l2 = opts.l2 ?? 1e-4;
    const lr = opts.learningRate ?? 0.5;
    const minCount = opts.minCount ?? 1;
    const classes = [...new Set(examples.flatMap((e) => e.targets))].sort();
    const k = classes.length;
    const ci = new Map(classes.map((c, i) => [c, i]));
    const counts = new Map<string, number>();
    for (const e of examples) for (const f of new Set(e.features)) counts.set(f, (counts.get(f) ?? 0) + 1);
    const kept = [...counts.entries()].filter(([, n]) => n >= minCount).map(([f]) => f).sort();
    const fi = new Map(kept.map((f, i) => [f, i]));
    const w = new Float64Array(kept.length * k);
    const g2 = new Float64Array(kept.length * k).fill(1e-8);
    const bias = new Float64Array(k);
    const bg2 = new Float64Array(k).fill(1e-8);
    const data = examples.map((e) => ({
      idx: Int32Array.from([...new Set(e.features)].map((f) => fi.get(f)).filter((i): i is number => i !== undefined)),
      scale: 1 / Math.sqrt(Math.max(1, e.features.length)),
      target: (() => {
        const t = new Float64Array(k);
        for (const c of e.targets) t[ci.get(c) ?? 0] = (t[ci.get(c) ?? 0] ?? 0) + 1 / e.targets.length;
        return t;
      })(),
    }));
    const rand = seededRandom(opts.seed ?? 1);
    const order = data.map((_, i) => i);
    const z = new Float64Array(k);
    for (let epoch = 0; epoch < epochs; epoch++) {
      for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(rand() * (i + 1));
        [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
      }
      for (const n of order) {
        const ex = data[n];
        if (!ex) continue;
        for (let c = 0; c < k; c++) {
          let s = bias[c] ?? 0;
          for (const f of ex.idx) s += (w[f * k + c] ?? 0) * ex.scale;
          z[c] = s;
        }
        softmaxInPlace(z);
        for (let c = 0; c < k; c++) {
          const err = (z[c] ?? 0) - (ex.target[c] ?? 0);
          bg2[c] = (bg2[c] ?? 0) + err * err;
          bias[c] = (bias[c] ?? 0) - (lr * err) / Math.sqrt(bg2[c] ?? 1);
          for (const f of ex.idx) {
            const at = f * k + c;
            const grad = err * ex.scale + l2 * (w[at] ?? 0);
            g2[at] = (g2[at] ?? 0) + grad * grad;
            w[at] = (w[at] ?? 0) - (lr * grad) / Math.sqrt(g2[at] ?? 1);
          }
        }
      }
    }
    const rows = new Map<string, Float64Array>();
    kept.forEach((f, i) => rows.set(f, w.slice(i * k, i * k + k)));
    return new LinearModel(classes, bias, rows);
  }
}
