// Real-time factor of every engine installed on this machine (compute time / audio time; below 1
// is faster than real time): ASR on flite-spoken caller sentences, TTS on receptionist replies,
// VAD on 10 s of audio. Engines that are not installed are reported as such.
import { performance } from 'node:perf_hooks';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import { createLogger } from '../../appliance/log.js';
import { openGrammar } from '../../appliance/voice/asr/grammars.js';
import { CALLER_SENTENCES, SERVICE_CATALOGUE } from '../../appliance/voice/asr/conformance.js';
import { PocketsphinxAsr } from '../../appliance/voice/asr/pocketsphinx.js';
import { tinyWhisperDir, tinyZipformerDir } from '../../appliance/voice/asr/tiny-models.fixture.js';
import type { Asr } from '../../appliance/voice/asr/types.js';
import { WhisperSherpaAsr } from '../../appliance/voice/asr/whisper-sherpa.js';
import { ZipformerSherpaAsr } from '../../appliance/voice/asr/zipformer-sherpa.js';
import { synthesizeFlite } from '../../appliance/voice/flite.js';
import { EspeakTts } from '../../appliance/voice/tts/espeak.js';
import { FliteTts } from '../../appliance/voice/tts/flite.js';
import { PiperSherpaTts } from '../../appliance/voice/tts/piper-sherpa.js';
import { findPiperVoice } from '../../appliance/voice/tts/piper-voice.js';
import { tinyPiperVoice } from '../../appliance/voice/tts/tiny-piper.fixture.js';
import type { Tts } from '../../appliance/voice/tts/types.js';
import { EnergyVadAdapter } from '../../appliance/voice/vad/energy.js';
import { SileroSherpaVad } from '../../appliance/voice/vad/silero-sherpa.js';
import type { Vad } from '../../appliance/voice/vad/types.js';
import { emit } from './report.js';

const BENCH = 'engines';
const MODELS = process.env.SPA_MODELS_DIR ?? fileURLToPath(new URL('../../../models', import.meta.url));
const REPLIES = ['I have two thirty on Thursday the fourth, or four o clock.', 'Botox is thirteen dollars per unit, and most visits are twenty to forty units.', 'Thank you for calling. How can I help you today?'];

async function ttsRtf(tts: Tts, extra: Record<string, unknown> = {}): Promise<boolean> {
  try {
    await tts.start();
  } catch (err) {
    emit(BENCH, `tts_${tts.name}`, Number.NaN, 'rtf', { installed: false, ...extra, error: (err as Error).message });
    return false;
  }
  let compute = 0;
  let audio = 0;
  for (const text of REPLIES) {
    const t0 = performance.now();
    const pcm = await tts.synthesize(text);
    compute += performance.now() - t0;
    audio += (pcm.length / 16000) * 1000;
  }
  emit(BENCH, `tts_${tts.name.replace(/\s+/g, '_')}`, compute / audio, 'rtf', { sentences: REPLIES.length, audio_ms: Math.round(audio), ...extra });
  await tts.stop();
  return true;
}

/** Whole-utterance real-time factor of an ASR engine over the clips; false when it is not installed or does not load. */
async function asrRtf(asr: Asr, clips: Int16Array[], metric: string, extra: Record<string, unknown>): Promise<boolean> {
  try {
    await asr.start();
  } catch (err) {
    emit(BENCH, metric, Number.NaN, 'rtf', { installed: false, ...extra, error: (err as Error).message });
    return false;
  }
  let compute = 0;
  let audio = 0;
  try {
    for (const clip of clips) {
      const r = await asr.recognize(clip);
      compute += r.elapsedMs;
      audio += (clip.length / 16000) * 1000;
    }
  } finally {
    await asr.stop();
  }
  emit(BENCH, metric, compute / audio, 'rtf', { utterances: clips.length, audio_ms: Math.round(audio), ...extra });
  return true;
}

/**
 * For a streaming engine: clips written in 20 ms frames as fast as they come, then the time from
 * finish() to the final result, the part of the decode the caller waits for (mean over clips).
 */
async function streamFinishLatency(asr: Asr, clips: Int16Array[], metric: string, extra: Record<string, unknown>): Promise<void> {
  try {
    await asr.start();
  } catch (err) {
    emit(BENCH, metric, Number.NaN, 'ms', { installed: false, ...extra, error: (err as Error).message });
    return;
  }
  let total = 0;
  try {
    for (const clip of clips) {
      const stream = asr.stream?.();
      if (!stream) throw new Error(`${asr.name} has no stream()`);
      for (let o = 0; o < clip.length; o += 320) stream.write(clip.subarray(o, o + 320));
      total += (await stream.finish()).elapsedMs;
    }
  } finally {
    await asr.stop();
  }
  emit(BENCH, metric, total / clips.length, 'ms', { utterances: clips.length, fed: 'all audio written before finish()', ...extra });
}

function vadRtf(vad: Vad, frames: Int16Array[]): number {
  const t0 = performance.now();
  for (const f of frames) vad.process(f);
  return (performance.now() - t0) / (frames.length * 20);
}

export async function run(): Promise<void> {
  const log = createLogger({ level: 'silent' });
  // Caller audio spoken by flite (16 kHz), the same sentences the ASR conformance suite uses.
  const clips: Int16Array[] = [];
  for (const s of CALLER_SENTENCES) clips.push((await synthesizeFlite(s, { voice: 'kal16' })).samples);

  const ps = new PocketsphinxAsr({ log });
  try {
    await ps.start();
    const grammar = openGrammar({ catalogue: SERVICE_CATALOGUE, phrases: CALLER_SENTENCES });
    let compute = 0;
    let audio = 0;
    for (const clip of clips) {
      const r = await ps.recognize(clip, { grammar });
      compute += r.elapsedMs;
      audio += (clip.length / 16000) * 1000;
    }
    emit(BENCH, 'asr_pocketsphinx', compute / audio, 'rtf', { utterances: clips.length, audio_ms: Math.round(audio), grammar: 'open (catalogue + phrases)' });
  } catch (err) {
    emit(BENCH, 'asr_pocketsphinx', Number.NaN, 'rtf', { installed: false, error: (err as Error).message });
  } finally {
    await ps.stop();
  }

  // Whisper and the streaming zipformer (sherpa-onnx): each installed model; with none of a kind,
  // the tiny random-weight stand-in, labelled as such (runtime overhead only, not a model's speed).
  const TINY = 'TINY RANDOM-WEIGHT STAND-IN (models/tools/make-tiny-*.py), not a real model: sherpa-onnx + engine process overhead only';
  let whisperMeasured = false;
  for (const name of ['whisper-base.en', 'whisper-tiny.en']) {
    if (!existsSync(join(MODELS, name))) continue;
    const asr = new WhisperSherpaAsr({ log, config: { modelDir: join(MODELS, name), name: name.replace(/^whisper-/, '') } });
    whisperMeasured = (await asrRtf(asr, clips, `asr_whisper_sherpa_${name.replace(/^whisper-/, '').replace('.', '_')}`, { model: name })) || whisperMeasured;
  }
  if (!whisperMeasured) {
    await asrRtf(new WhisperSherpaAsr({ log, config: { modelDir: await tinyWhisperDir() } }), clips, 'asr_whisper_sherpa_tiny_random', { model: TINY });
  }
  const zipformerReal = existsSync(join(MODELS, 'zipformer-en-streaming'));
  const zipformerDir = zipformerReal ? join(MODELS, 'zipformer-en-streaming') : await tinyZipformerDir();
  const zipMetric = zipformerReal ? 'asr_zipformer_sherpa' : 'asr_zipformer_sherpa_tiny_random';
  const zipModel = zipformerReal ? 'zipformer-en-streaming' : TINY;
  await asrRtf(new ZipformerSherpaAsr({ log, config: { modelDir: zipformerDir } }), clips, zipMetric, { model: zipModel });
  await streamFinishLatency(new ZipformerSherpaAsr({ log, config: { modelDir: zipformerDir } }), clips, `${zipMetric}_finish`, { model: zipModel });

  await ttsRtf(new FliteTts({ voice: 'kal16' }));
  await ttsRtf(new EspeakTts());
  // Piper: each installed voice; with none, the tiny random-weight stand-in, labelled as such.
  let piperMeasured = false;
  for (const name of ['piper-en_US-libritts_r-medium', 'piper-en_US-amy-low']) {
    const voice = existsSync(join(MODELS, name)) ? findPiperVoice(join(MODELS, name)) : null;
    if (!voice?.dataDir) {
      emit(BENCH, `tts_${name}`, Number.NaN, 'rtf', { installed: false });
      continue;
    }
    const config = { modelPath: voice.modelPath, tokensPath: voice.tokensPath, dataDir: voice.dataDir, label: name.replace(/^piper-/, '') };
    piperMeasured = (await ttsRtf(new PiperSherpaTts({ config }), { voice: 'real', system_espeak_data: voice.systemData })) || piperMeasured;
  }
  if (!piperMeasured) {
    const note = 'TINY RANDOM-WEIGHT STAND-IN (models/tools/make-tiny-piper.py), not a real voice: sherpa-onnx + espeak-ng overhead only';
    await ttsRtf(new PiperSherpaTts({ config: await tinyPiperVoice({ sampleRate: 16000 }) }), { voice: note });
    await ttsRtf(new PiperSherpaTts({ config: await tinyPiperVoice({ sampleRate: 22050, speakers: 4 }) }), { voice: note, resampled_from: 22050 });
  }

  const frames: Int16Array[] = [];
  for (const clip of clips) for (let o = 0; o + 320 <= clip.length; o += 320) frames.push(clip.subarray(o, o + 320));
  const energy = new EnergyVadAdapter();
  await energy.start();
  emit(BENCH, 'vad_energy', vadRtf(energy, frames), 'rtf', { audio_ms: frames.length * 20 });
  const silero = join(MODELS, 'silero-vad-v5', 'silero_vad.onnx');
  if (existsSync(silero)) {
    const vad = new SileroSherpaVad({ config: { modelPath: silero } });
    await vad.start();
    emit(BENCH, 'vad_silero_sherpa', vadRtf(vad, frames), 'rtf', { audio_ms: frames.length * 20 });
    await vad.stop();
  } else {
    emit(BENCH, 'vad_silero_sherpa', Number.NaN, 'rtf', { installed: false });
  }
}
