// Child-process entry that loads a Silero VAD model through sherpa-onnx-node and runs two windows
// of silence through it, then exits 0. sherpa-onnx aborts the process on a corrupt or mismatched
// model instead of throwing, so SileroSherpaVad runs this first and turns a crash into a typed error.
// Usage: node silero-sherpa-probe.js '<SherpaVadConfig as JSON>'
import { loadSherpaVad, SILERO_WINDOW, type SherpaVadConfig } from './sherpa-vad-binding.js';

const config = JSON.parse(process.argv[2] ?? '') as SherpaVadConfig;
const { Vad } = loadSherpaVad();
const vad = new Vad(config, 2);
vad.acceptWaveform(new Float32Array(SILERO_WINDOW * 2));
vad.isDetected();
process.stdout.write('ok\n');
