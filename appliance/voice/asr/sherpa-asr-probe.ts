// Child-process entry that loads a speech recogniser through sherpa-onnx-node and decodes half a
// second of faint noise with it, then prints "ok". sherpa-onnx aborts or exit()s the process on a
// corrupt or mismatched model instead of throwing, so the adapters run this first (sherpa-asr-load.ts)
// and turn a crash into a typed error.
// Usage: node sherpa-asr-probe.js '<SherpaAsrProbeRequest as JSON>'
import { loadSherpaAsr, type SherpaAsrProbeRequest } from './sherpa-asr-binding.js';

const request = JSON.parse(process.argv[2] ?? '') as SherpaAsrProbeRequest;
const sherpa = loadSherpaAsr();
const samples = new Float32Array(8000);
let seed = 1;
for (let i = 0; i < samples.length; i++) {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  samples[i] = (seed / 2147483648 - 0.5) * 0.002;
}
switch (request.kind) {
  case 'offline': {
    const recognizer = new sherpa.OfflineRecognizer(request.config);
    const stream = recognizer.createStream();
    stream.acceptWaveform({ samples, sampleRate: 16000 });
    recognizer.decode(stream);
    recognizer.getResult(stream);
    break;
  }
  case 'online': {
    const recognizer = new sherpa.OnlineRecognizer(request.config);
    const stream = recognizer.createStream();
    stream.acceptWaveform({ samples, sampleRate: 16000 });
    stream.acceptWaveform({ samples: new Float32Array(8000), sampleRate: 16000 });
    stream.inputFinished();
    while (recognizer.isReady(stream)) recognizer.decode(stream);
    recognizer.getResult(stream);
    break;
  }
}
process.stdout.write('ok\n');
