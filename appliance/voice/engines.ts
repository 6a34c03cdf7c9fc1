// Which engine serves each voice role, chosen at start from what is installed, with the reason in
// words for the log and /api/health ("asr: pocketsphinx (no Whisper model installed)").
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { Clock } from '../shared/clock.js';
import type { Asr } from './asr/types.js';
import { CallerLanguageModel, type CallerLmSource } from './asr/lm/caller-lm.js';
import { PocketsphinxAsr } from './asr/pocketsphinx.js';
import { WhisperSherpaAsr } from './asr/whisper-sherpa.js';
import { ZipformerSherpaAsr } from './asr/zipformer-sherpa.js';
import type { Tts } from './tts/types.js';
import { FliteTts } from './tts/flite.js';
import { EspeakTts } from './tts/espeak.js';
import { PiperSherpaTts } from './tts/piper-sherpa.js';
import { findPiperVoice } from './tts/piper-voice.js';
import type { Vad } from './vad/types.js';
import { EnergyVadAdapter } from './vad/energy.js';
import { SileroSherpaVad } from './vad/silero-sherpa.js';

export interface VoiceEngines {
  /** A fresh VAD per call (each keeps its own state). */
  vad: () => Vad;
  asr: Asr | null;
  /** Whether the ASR can hear a call in this codec. */
  asrHears: (codec: string) => boolean;
  tts: Tts | null;
  /** The caller language model the ASR's open turns decode with (pocketsphinx only); stopped with the engines. */
  languageModel?: { stop(): Promise<void> } | null;
  notes: { vad: string; asr: string; tts: string; llm: string };
}

/** What the caller language model is built from and where it is kept (see asr/lm/caller-lm.ts). */
export interface CallerLmWiring {
  source: CallerLmSource;
  cacheDir: string;
  clock?: Clock;
}

/** Files the manifest installs for each role (models/<name>/<file>). */
const SILERO = ['silero-vad-v5', 'silero_vad.onnx'] as const;
const WHISPER = ['whisper-base.en', 'whisper-tiny.en'] as const;
const ZIPFORMER = 'zipformer-en-streaming';
const PIPER = ['piper-en_US-libritts_r-medium', 'piper-en_US-amy-low'] as const;

function installed(modelsDir: string, name: string): boolean {
  return existsSync(join(modelsDir, name));
}

/**
 * Chooses and starts the engines. VAD frames for turn-taking use a short hangover: the turn-taking
 * layer applies its own end-of-turn wait per expectation.
 */
export async function selectEngines(deps: { log: Logger; modelsDir: string; callers?: CallerLmWiring }): Promise<VoiceEngines> {
  const { log, modelsDir } = deps;
  const notes = { vad: '', asr: '', tts: '', llm: 'none: rule-based understanding' };

  // VAD: Silero when its model is installed and loads, else energy.
  let vad: () => Vad = () => new EnergyVadAdapter({ config: { hangoverMs: 100, minSpeechMs: 40 } });
  const sileroPath = join(modelsDir, ...SILERO);
  if (existsSync(sileroPath)) {
    const probe = new SileroSherpaVad({ config: { modelPath: sileroPath, minSilenceMs: 64, minSpeechMs: 64 } });
    try {
      await probe.start();
      await probe.stop();
      vad = () => new SileroSherpaVad({ config: { modelPath: sileroPath, minSilenceMs: 64, minSpeechMs: 64 } });
      notes.vad = 'silero v5 (sherpa-onnx)';
    } catch (err) {
      log.warn({ err }, 'Silero VAD failed to load; using the energy VAD');
      notes.vad = 'energy (Silero model failed to load)';
    }
  } else {
    notes.vad = 'energy (no Silero model installed: npm run models -- install silero-vad-v5)';
  }

  // ASR: Whisper (base.en, then tiny.en) when installed and it loads, then the streaming zipformer,
  // else pocketsphinx. The sherpa-onnx engines hear every codec: 8 kHz calls are resampled to 16 kHz
  // and Whisper and the zipformer were trained on varied audio; pocketsphinx needs wideband speech.
  let asr: Asr | null = null;
  let asrHears = (_codec: string): boolean => false;
  const asrLog = log.child({ mod: 'asr' });
  const failed: string[] = [];
  const candidates: { model: string; make: () => Asr }[] = [
    ...WHISPER.map((model) => ({ model, make: () => new WhisperSherpaAsr({ log: asrLog, config: { modelDir: join(modelsDir, model), name: model.replace(/^whisper-/, '') } }) })),
    { model: ZIPFORMER, make: () => new ZipformerSherpaAsr({ log: asrLog, config: { modelDir: join(modelsDir, ZIPFORMER) } }) },
  ];
  for (const { model, make } of candidates.filter((c) => installed(modelsDir, c.model))) {
    const candidate = make();
    try {
      await candidate.start(); // loads the model in a child process first: a bad file cannot take the daemon down
      asr = candidate;
      asrHears = () => true;
      const why = model === ZIPFORMER ? 'streaming: decodes while the caller talks' : 'most accurate installed model';
      notes.asr = `${candidate.name} (${model}; ${why}${failed.length > 0 ? `; ${failed.join(', ')} failed to load` : ''}); all codecs`;
      break;
    } catch (err) {
      log.warn({ err, model }, 'ASR model failed to load; trying the next engine');
      failed.push(model);
      await candidate.stop();
    }
  }
  let languageModel: CallerLanguageModel | null = null;
  if (!asr) {
    // Open turns decode with the spa's caller language model, built from the catalogue (the first
    // build takes a minute on a Pi; later starts load it from the cache).
    const callers = deps.callers;
    const lm = callers ? new CallerLanguageModel({ log: log.child({ mod: 'caller-lm' }), source: callers.source, cacheDir: callers.cacheDir, ...(callers.clock ? { clock: callers.clock } : {}) }) : null;
    const ps = new PocketsphinxAsr({ log: asrLog, ...(lm ? { config: { languageModel: lm } } : {}) });
    const noModel = failed.length > 0 ? `${failed.join(', ')} failed to load` : 'no Whisper or zipformer model installed';
    try {
      await ps.start();
      asr = ps;
      // 8 kHz calls too: narrowband turns are decoded with an adapted front end (asr/narrowband.ts),
      // constrained turns reject what they cannot hear, and the dialog offers the keypad after two.
      asrHears = () => true;
      await lm?.start();
      languageModel = lm;
      const open = !lm ? 'open turns by phrase grammar' : lm.current() ? 'open turns by the caller language model' : 'open turns by phrase grammar until the caller language model is built';
      notes.asr = `pocketsphinx (${noModel}); ${open}; 8 kHz calls by speech too, with the keypad offered when speech fails`;
    } catch (err) {
      log.warn({ err }, 'no speech recognition engine');
      notes.asr = `none (${noModel}, and pocketsphinx not installed): keypad only`;
    }
  }

  // TTS: the first installed Piper voice that loads (libritts_r-medium, then amy-low); else flite kal16, else espeak-ng.
  let tts: Tts | null = null;
  const piperTrouble: string[] = [];
  for (const name of PIPER) {
    if (!installed(modelsDir, name)) continue;
    const voice = findPiperVoice(join(modelsDir, name));
    if (!voice) {
      piperTrouble.push(`${name} has no unpacked voice (.onnx + tokens.txt) in its folder`);
      continue;
    }
    if (!voice.dataDir) {
      piperTrouble.push(`${name} has no espeak-ng-data and the system has none (apt-get install espeak-ng-data)`);
      continue;
    }
    const candidate = new PiperSherpaTts({ config: { modelPath: voice.modelPath, tokensPath: voice.tokensPath, dataDir: voice.dataDir, label: name.replace(/^piper-/, '') } });
    try {
      await candidate.start();
      tts = candidate;
      const rate = candidate.voiceSampleRate === 16000 ? '16 kHz voice' : `${candidate.voiceSampleRate} Hz voice resampled to 16 kHz`;
      const how = [`sherpa-onnx, ${rate}`, ...(voice.systemData ? ['system espeak-ng-data'] : []), ...piperTrouble];
      notes.tts = `${candidate.name} (${how.join('; ')})`;
      break;
    } catch (err) {
      log.warn({ err, engine: candidate.name }, 'Piper voice failed to load');
      piperTrouble.push(`${name} failed to load (${(err as { code?: string }).code ?? 'error'})`);
    }
  }
  const noPiper = piperTrouble.length > 0 ? piperTrouble.join('; ') : 'no Piper voice installed';
  if (!tts) {
    for (const candidate of [new FliteTts({ voice: 'kal16' }), new EspeakTts()]) {
      try {
        await candidate.start();
        tts = candidate;
        notes.tts = `${candidate.name} (${noPiper})`;
        break;
      } catch (err) {
        log.warn({ err, engine: candidate.name }, 'TTS engine unavailable');
      }
    }
  }
  if (!tts) notes.tts = `none (${noPiper}; neither flite nor espeak-ng is installed): calls are silent`;

  for (const [role, note] of Object.entries(notes)) log.info({ role, engine: note }, `${role}: ${note}`);
  return { vad, asr, asrHears, tts, languageModel, notes };
}
