// The conformance suite every ASR adapter runs (STYLE.md: one per engine role). Speech is rendered
// with flite's kal16 voice at test time, so no audio is committed. Call `asrConformance` from the
// adapter's *.test.ts; this file holds no tests of its own.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { synthesizeFlite } from '../flite.js';
import { normalizeText } from './jsgf.js';
import { whiteNoise } from './test-audio.js';
import type { Asr, AsrGrammar, AsrResult } from './types.js';
import { wordErrorRate } from './wer.js';
import { yesNoGrammar } from './grammars.js';

/** What spa callers say. `text` is read by flite and is also the reference transcript. */
export const CALLER_SENTENCES: readonly string[] = [
  "I'd like to book Botox next Tuesday afternoon",
  'Do you have anything on Friday morning',
  'How much is a HydraFacial',
  'Yes please',
  'No thanks',
  'Can I speak to a person',
  'Cancel my appointment',
  'My name is Jane Smith',
  'I want to move my laser hair removal to Thursday',
  'What time do you open on Saturday',
  'Is there parking near the clinic',
  'Can I get lip filler with Dysport',
];

/** The spa's service catalogue, as the booking module would list it. */
export const SERVICE_CATALOGUE: readonly string[] = [
  'Botox', 'Dysport', 'HydraFacial', 'Lip filler', 'Dermal filler', 'Laser hair removal', 'Chemical peel',
  'Microneedling', 'CoolSculpting', 'IPL photofacial', 'Consultation', 'Massage',
];

export interface AsrConformanceTarget {
  /** A working instance (not started). */
  make(): Asr;
  /** An instance whose engine is not installed (e.g. a binary or model path that does not exist). */
  makeMissing(): Asr;
  /** Corpus word error rate the adapter must stay under. Default 0.15. */
  maxWer?: number;
}

export interface UtteranceMeasure {
  reference: string;
  hypothesis: string;
  audioMs: number;
  elapsedMs: number;
  /** elapsedMs / audioMs. */
  rtf: number;
}

/**
 * Canonical form for scoring, so engines that write "HydraFacial" and engines that hear
 * "hydra facial" score alike: normalised text with spaces dropped inside known compounds.
 */
export function scoringWords(text: string): string[] {
  return normalizeText(text)
    .replace(/\bhydra facial\b/g, 'hydrafacial')
    .split(' ')
    .filter((w) => w !== '');
}

function sentenceGrammar(): AsrGrammar {
  return { words: [...CALLER_SENTENCES, ...SERVICE_CATALOGUE] };
}

async function speech(text: string): Promise<Int16Array> {
  const audio = await synthesizeFlite(text, { voice: 'kal16' });
  assert.equal(audio.sampleRate, 16000);
  return audio.samples;
}

/** The same test in both suites: hanging up rejects a running recognition with the caller's reason. */
function abortTest(asr: Asr, clips: ReadonlyMap<string, Int16Array>): void {
  test('rejects with the abort reason when the caller hangs up mid-recognition', async () => {
    const controller = new AbortController();
    const reason = new Error('hung up');
    const pending = asr.recognize(clips.get(CALLER_SENTENCES[0] ?? '') ?? assert.fail('clip missing'), { grammar: sentenceGrammar(), signal: controller.signal });
    controller.abort(reason);
    await assert.rejects(pending, (err) => err === reason);
  });
}

export function asrConformance(name: string, target: AsrConformanceTarget): void {
  describe(`ASR conformance: ${name}`, () => {
    const asr = target.make();
    const clips = new Map<string, Int16Array>();

    before(async () => {
      await asr.start();
      for (const text of [...CALLER_SENTENCES, 'Yes', 'No']) clips.set(text, await speech(text));
    });
    after(async () => {
      await asr.stop();
    });

    test('declares 16 kHz mono input', () => {
      assert.equal(asr.capabilities.sampleRate, 16000);
      assert.ok(asr.name.length > 0);
    });

    test(`transcribes spa caller sentences with a word error rate of at most ${Math.round((target.maxWer ?? 0.15) * 100)}%`, async (t) => {
      const measures: UtteranceMeasure[] = [];
      for (const reference of CALLER_SENTENCES) {
        const audio = clips.get(reference) ?? assert.fail('clip missing');
        const result = await asr.recognize(audio, { grammar: sentenceGrammar() });
        const audioMs = (audio.length / 16000) * 1000;
        measures.push({ reference, hypothesis: result.text, audioMs, elapsedMs: result.elapsedMs, rtf: result.elapsedMs / audioMs });
      }
      const wer = wordErrorRate(measures.map((m) => ({ reference: scoringWords(m.reference), hypothesis: scoringWords(m.hypothesis) })));
      for (const m of measures) {
        t.diagnostic(`rtf ${m.rtf.toFixed(3)} (${Math.round(m.elapsedMs)} ms / ${Math.round(m.audioMs)} ms) "${m.reference}" -> "${m.hypothesis}"`);
      }
      t.diagnostic(`WER ${(wer * 100).toFixed(1)}% over ${measures.length} utterances; mean rtf ${(measures.reduce((a, m) => a + m.rtf, 0) / measures.length).toFixed(3)}`);
      assert.ok(wer <= (target.maxWer ?? 0.15), `WER ${(wer * 100).toFixed(1)}%`);
    });

    test('recognises yes and no exactly under a yes/no grammar', async () => {
      for (const said of ['Yes please', 'No thanks', 'Yes', 'No']) {
        const result = await asr.recognize(clips.get(said) ?? assert.fail('clip missing'), { grammar: yesNoGrammar() });
        assert.equal(result.text, normalizeText(said));
      }
    });

    test('answers a silent clip with empty text', async () => {
      const result = await asr.recognize(new Int16Array(16000 * 2), { grammar: yesNoGrammar() });
      assert.equal(result.text, '');
    });

    test('answers a noise-only clip with empty or low-confidence text, even under a closed grammar', async () => {
      for (const [rms, seed] of [[800, 1], [3000, 2]] as const) {
        const result = await asr.recognize(whiteNoise(16000 * 2, rms, seed), { grammar: yesNoGrammar() });
        assert.ok(result.text === '' || (result.confidence !== null && result.confidence < 0.5), `noise heard as "${result.text}"`);
      }
    });

    abortTest(asr, clips);

    test('reports a missing engine with the typed SPA_ERR_ASR_ENGINE_MISSING error', async () => {
      const missing = target.makeMissing();
      const attempt = async (): Promise<void> => {
        await missing.start();
        await missing.recognize(clips.get('Yes') ?? assert.fail('clip missing'));
      };
      await assert.rejects(attempt(), { code: 'SPA_ERR_ASR_ENGINE_MISSING' });
      await missing.stop();
    });
  });
}

/**
 * The part of the suite that does not depend on how well the engine hears: for adapters run on
 * stand-in models (tiny random weights), which load and decode through the real code path but
 * cannot transcribe. Accuracy (WER, yes/no) is left to `asrConformance` with a real model; the
 * interface contract is checked here, including `stream()` for engines that declare streaming.
 */
export function asrContractConformance(name: string, target: Omit<AsrConformanceTarget, 'maxWer'>): void {
  describe(`ASR contract conformance: ${name}`, () => {
    const asr = target.make();
    const clips = new Map<string, Int16Array>();

    before(async () => {
      await asr.start();
      for (const text of [...CALLER_SENTENCES.slice(0, 3), 'Yes']) clips.set(text, await speech(text));
    });
    after(async () => {
      await asr.stop();
    });

    const assertResultShape = (result: AsrResult, audioMs: number): void => {
      assert.equal(typeof result.text, 'string');
      assert.equal(result.text, normalizeText(result.text), `"${result.text}" is not normalised`);
      assert.ok(result.confidence === null || (result.confidence >= 0 && result.confidence <= 1), `confidence ${result.confidence}`);
      assert.ok(Number.isFinite(result.elapsedMs) && result.elapsedMs >= 0, `elapsedMs ${result.elapsedMs}`);
      for (const w of result.words ?? []) {
        assert.equal(w.word, normalizeText(w.word));
        assert.ok(w.startMs >= 0 && w.endMs >= w.startMs && w.startMs <= audioMs + 1000, JSON.stringify(w));
      }
    };

    test('declares 16 kHz mono input and a stream() exactly when it declares streaming', () => {
      assert.equal(asr.capabilities.sampleRate, 16000);
      assert.ok(asr.name.length > 0);
      assert.equal(typeof asr.stream === 'function', asr.capabilities.streaming);
    });

    test('answers spa caller sentences with normalised text, a confidence in 0..1 or null, and elapsedMs', async (t) => {
      for (const [text, audio] of clips) {
        const result = await asr.recognize(audio, { grammar: sentenceGrammar() });
        const audioMs = (audio.length / 16000) * 1000;
        assertResultShape(result, audioMs);
        t.diagnostic(`rtf ${(result.elapsedMs / audioMs).toFixed(3)} "${text}" -> "${result.text}"`);
      }
    });

    test('answers a silent clip with empty text', async () => {
      const result = await asr.recognize(new Int16Array(16000 * 2), { grammar: yesNoGrammar() });
      assert.equal(result.text, '');
    });

    abortTest(asr, clips);

    test('a live stream fed 20 ms frames finishes with the same kind of result; a cancelled one rejects', async () => {
      if (!asr.stream) {
        assert.equal(asr.capabilities.streaming, false);
        return;
      }
      const audio = clips.get('Yes') ?? assert.fail('clip missing');
      const live = asr.stream({ grammar: yesNoGrammar() });
      for (let o = 0; o < audio.length; o += 320) live.write(audio.subarray(o, o + 320));
      assert.equal(typeof live.partial(), 'string');
      assertResultShape(await live.finish(), (audio.length / 16000) * 1000);
      const dropped = asr.stream();
      dropped.write(audio);
      dropped.cancel();
      await assert.rejects(dropped.finish());
    });

    test('reports a missing engine with the typed SPA_ERR_ASR_ENGINE_MISSING error', async () => {
      const missing = target.makeMissing();
      const attempt = async (): Promise<void> => {
        await missing.start();
        await missing.recognize(clips.get('Yes') ?? assert.fail('clip missing'));
      };
      await assert.rejects(attempt(), { code: 'SPA_ERR_ASR_ENGINE_MISSING' });
      await missing.stop();
    });
  });
}
