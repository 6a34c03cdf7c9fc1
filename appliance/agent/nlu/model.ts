// The trained understanding model: an intent classifier (softmax over all corpus intents) and an
// urgent-symptom detector of its own (urgent vs everything else, trained with urgent lines weighted
// up, its threshold set on the dev split for recall). Both read the same features. The file is
// written by `npm run nlu -- train` and committed; loading checks it and refuses a malformed one.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CORPUS_INTENTS, type CorpusIntent } from './corpus.js';
import { LinearModel, type LinearModelJson } from './linear.js';

export interface NluModelJson {
  format: 'spa-nlu-1';
  /** SHA-256 of the train and dev files it was fitted on: a stale model is caught by a test. */
  trainedOn: string;
  intent: LinearModelJson;
  urgent: LinearModelJson;
  /** Urgent when the detector's probability reaches this (chosen on dev for recall). */
  urgentThreshold: number;
  /** A second intent is kept when its probability reaches this (several questions in one). */
  secondaryThreshold: number;
  /** Below this confidence in the top intent the receptionist asks instead of guessing. */
  confidenceThreshold: number;
}

export interface IntentScore {
  intent: CorpusIntent;
  p: number;
}

export interface NluPrediction {
  /** Intents kept, most likely first. */
  intents: CorpusIntent[];
  /** Probability of the top intent (calibrated on dev). */
  confidence: number;
  /** The three most likely, for a clarifying question. */
  ranked: IntentScore[];
  /** The urgent detector's probability. */
  urgentP: number;
  urgent: boolean;
  /** Top intent below the confidence threshold. */
  unsure: boolean;
}

export class NluModelError extends Error {
  readonly code = 'SPA_ERR_NLU_MODEL';
}

export const MODEL_PATH = fileURLToPath(new URL('../../../../appliance/agent/nlu/model.json', import.meta.url));

export class NluModel {
  constructor(
    readonly intent: LinearModel,
    readonly urgent: LinearModel,
    readonly urgentThreshold: number,
    readonly secondaryThreshold: number,
    readonly confidenceThreshold: number,
    readonly trainedOn = '',
  ) {}

  predict(features: readonly string[]): NluPrediction {
    const probs = this.intent.probabilities(features);
    const ranked = [...probs.entries()].map(([intent, p]) => ({ intent: intent as CorpusIntent, p })).sort((a, b) => b.p - a.p);
    const top = ranked[0] ?? { intent: 'question' as CorpusIntent, p: 0 };
    const intents = [top.intent, ...ranked.slice(1, 3).filter((r) => r.p >= this.secondaryThreshold).map((r) => r.intent)];
    const urgentP = this.urgent.probabilities(features).get('urgent') ?? 0;
    return { intents, confidence: top.p, ranked: ranked.slice(0, 3), urgentP, urgent: urgentP >= this.urgentThreshold, unsure: top.p < this.confidenceThreshold };
  }

  toJSON(): NluModelJson {
    return {
      format: 'spa-nlu-1',
      trainedOn: this.trainedOn,
      intent: this.intent.toJSON(),
      urgent: this.urgent.toJSON(),
      urgentThreshold: this.urgentThreshold,
      secondaryThreshold: this.secondaryThreshold,
      confidenceThreshold: this.confidenceThreshold,
    };
  }

  static fromJSON(json: unknown): NluModel {
    const j = json as Partial<NluModelJson> | null;
    if (!j || j.format !== 'spa-nlu-1' || !j.intent || !j.urgent) throw new NluModelError('not an understanding model (format spa-nlu-1)');
    const intent = LinearModel.fromJSON(j.intent);
    const unknown = intent.classes.filter((c) => !(CORPUS_INTENTS as readonly string[]).includes(c));
    if (unknown.length > 0) throw new NluModelError(`understanding model has unknown intents: ${unknown.join(', ')}`);
    const urgent = LinearModel.fromJSON(j.urgent);
    if (urgent.classIndex('urgent') === undefined) throw new NluModelError('understanding model: the urgent detector has no urgent class');
    for (const k of ['urgentThreshold', 'secondaryThreshold', 'confidenceThreshold'] as const) {
      const v = j[k];
      if (typeof v !== 'number' || !(v >= 0 && v <= 1)) throw new NluModelError(`understanding model: ${k} must be a number from 0 to 1`);
    }
    return new NluModel(intent, urgent, j.urgentThreshold ?? 0, j.secondaryThreshold ?? 1, j.confidenceThreshold ?? 0, j.trainedOn ?? '');
  }

  /** The committed model (appliance/agent/nlu/model.json), or one at `path`. */
  static load(path = MODEL_PATH): NluModel {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (e) {
      throw new NluModelError(`understanding model not found at ${path}: run npm run nlu -- train (${(e as Error).message})`);
    }
    try {
      return NluModel.fromJSON(JSON.parse(text));
    } catch (e) {
      if (e instanceof NluModelError) throw e;
      throw new NluModelError(`understanding model at ${path} is not valid: ${(e as Error).message}`);
    }
  }
}
