// Child-process side of WhisperSherpaAsr: owns sherpa-onnx's OfflineRecognizer and decodes one
// utterance per message. Off the main thread because more than the decode is slow: sherpa computes
// Whisper's features synchronously inside acceptWaveform() (730 ms for 25 s of audio on the dev
// machine, on whichever thread calls it), so its async decode alone would still stall the event
// loop; a process rather than a worker thread so that a decode past its limit can be killed safely.
import { loadSherpaAsr, type SherpaOfflineRecognizer, type SherpaOfflineRecognizerConfig } from './sherpa-asr-binding.js';
import { engineParent } from './sherpa-asr-load.js';

export type WhisperRequest = { op: 'decode'; id: number; samples: Float32Array };
export type WhisperReply =
  | { op: 'ready' }
  | { op: 'load-failed'; message: string }
  | { op: 'result'; id: number; text: string }
  | { op: 'failed'; id: number; message: string };

const { data, post, onRequest } = engineParent<WhisperRequest, WhisperReply>();
const { config } = data as { config: SherpaOfflineRecognizerConfig };

let recognizer: SherpaOfflineRecognizer;
try {
  recognizer = new (loadSherpaAsr().OfflineRecognizer)(config);
  post({ op: 'ready' });
} catch (err) {
  post({ op: 'load-failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(0);
}

onRequest((msg) => {
  try {
    const stream = recognizer.createStream();
    stream.acceptWaveform({ samples: msg.samples, sampleRate: 16000 });
    recognizer.decode(stream);
    post({ op: 'result', id: msg.id, text: recognizer.getResult(stream).text });
  } catch (err) {
    post({ op: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) });
  }
});
