// Child-process entry that loads a Piper voice through sherpa-onnx-node and speaks one word, then
// prints {"sampleRate", "numSpeakers", "samples"} and exits 0. sherpa-onnx exits the process on a
// voice with missing metadata, a malformed tokens.txt or unusable espeak-ng data instead of
// throwing, so PiperSherpaTts runs this first and turns a crash into a typed error.
// Usage: node piper-sherpa-probe.js '<SherpaOfflineTtsConfig as JSON>'
import { loadSherpaTts, type SherpaOfflineTtsConfig } from './sherpa-tts-binding.js';

const config = JSON.parse(process.argv[2] ?? '') as SherpaOfflineTtsConfig;
const { OfflineTts } = loadSherpaTts();
const tts = new OfflineTts(config);
const audio = tts.generate({ text: 'Ready.', sid: 0, speed: 1, enableExternalBuffer: false });
if (audio.samples.length === 0) {
  process.stderr.write(`the voice produced no audio for "Ready." (espeak-ng voice missing from ${config.model.vits.dataDir}?)\n`);
  process.exit(2);
}
process.stdout.write(`${JSON.stringify({ sampleRate: tts.sampleRate, numSpeakers: tts.numSpeakers, samples: audio.samples.length })}\n`);
