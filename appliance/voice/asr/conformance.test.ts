// Runs the shared ASR conformance suite for every adapter: the full suite (accuracy included) for
// pocketsphinx with Debian's model, the contract part for the sherpa-onnx adapters on tiny
// random-weight models (they load and decode through the real code path but cannot transcribe;
// with a real model installed, `npm run bench -- engines` measures them on the same sentences).
import { join } from 'node:path';
import pino from 'pino';
import { asrConformance, asrContractConformance, SERVICE_CATALOGUE } from './conformance.js';
import { PocketsphinxAsr } from './pocketsphinx.js';
import { tinyWhisperDir, tinyZipformerDir } from './tiny-models.fixture.js';
import { WhisperSherpaAsr } from './whisper-sherpa.js';
import { ZipformerSherpaAsr } from './zipformer-sherpa.js';

const log = pino({ level: 'silent' });

asrConformance('pocketsphinx', {
  make: () => new PocketsphinxAsr({ log, config: { vocabulary: SERVICE_CATALOGUE } }),
  makeMissing: () => new PocketsphinxAsr({ log, config: { binary: '/nonexistent/pocketsphinx_continuous' } }),
});

// The tiny models are built before the suites are declared (each suite makes its instance then).
const [whisperDir, zipformerDir] = await Promise.all([tinyWhisperDir(), tinyZipformerDir()]);

asrContractConformance('whisper-sherpa (tiny random-weight model)', {
  make: () => new WhisperSherpaAsr({ log, config: { modelDir: whisperDir } }),
  makeMissing: () => new WhisperSherpaAsr({ log, config: { modelDir: join(whisperDir, 'not-installed') } }),
});

asrContractConformance('zipformer-sherpa (tiny random-weight model)', {
  make: () => new ZipformerSherpaAsr({ log, config: { modelDir: zipformerDir } }),
  makeMissing: () => new ZipformerSherpaAsr({ log, config: { modelDir: join(zipformerDir, 'not-installed') } }),
});
