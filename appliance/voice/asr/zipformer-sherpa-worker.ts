// Child-process side of ZipformerSherpaAsr: owns sherpa-onnx's OnlineRecognizer (whose calls are
// all synchronous) and its streams, so chunk decoding never runs on the thread that paces RTP.
// Messages are handled in order; each write decodes every chunk that is ready and posts the new
// partial text when it changed.
import { loadSherpaAsr, type SherpaOnlineRecognizer, type SherpaOnlineRecognizerConfig, type SherpaOnlineStream } from './sherpa-asr-binding.js';
import { engineParent } from './sherpa-asr-load.js';
import type { ZipformerRequest, ZipformerReply } from './zipformer-sherpa-protocol.js';

const { data, post, onRequest } = engineParent<ZipformerRequest, ZipformerReply>();
const { config, tailPaddingSamples } = data as { config: SherpaOnlineRecognizerConfig; tailPaddingSamples: number };

let recognizer: SherpaOnlineRecognizer;
try {
  recognizer = new (loadSherpaAsr().OnlineRecognizer)(config);
  post({ op: 'ready' });
} catch (err) {
  post({ op: 'load-failed', message: err instanceof Error ? err.message : String(err) });
  process.exit(0);
}

const streams = new Map<number, { stream: SherpaOnlineStream; partial: string }>();

function decodeReady(id: number): void {
  const entry = streams.get(id);
  if (!entry) return;
  let decoded = false;
  while (recognizer.isReady(entry.stream)) {
    recognizer.decode(entry.stream);
    decoded = true;
  }
  if (!decoded) return;
  const text = recognizer.getResult(entry.stream).text;
  if (text !== entry.partial) {
    entry.partial = text;
    post({ op: 'partial', id, text });
  }
}

onRequest((msg) => {
  try {
    switch (msg.op) {
      case 'open':
        streams.set(msg.id, { stream: recognizer.createStream(), partial: '' });
        break;
      case 'write': {
        const entry = streams.get(msg.id);
        if (!entry) break;
        entry.stream.acceptWaveform({ samples: msg.samples, sampleRate: 16000 });
        decodeReady(msg.id);
        break;
      }
      case 'finish': {
        const entry = streams.get(msg.id);
        if (!entry) break;
        // Zeros after the last word let the final chunk through the encoder's right context.
        entry.stream.acceptWaveform({ samples: new Float32Array(tailPaddingSamples), sampleRate: 16000 });
        entry.stream.inputFinished();
        while (recognizer.isReady(entry.stream)) recognizer.decode(entry.stream);
        const r = recognizer.getResult(entry.stream);
        streams.delete(msg.id);
        post({ op: 'final', id: msg.id, text: r.text, tokens: r.tokens, timestamps: r.timestamps, logProbs: r.ys_probs });
        break;
      }
      case 'cancel':
        streams.delete(msg.id);
        break;
    }
  } catch (err) {
    if ('id' in msg) {
      streams.delete(msg.id);
      post({ op: 'failed', id: msg.id, message: err instanceof Error ? err.message : String(err) });
    }
  }
});
