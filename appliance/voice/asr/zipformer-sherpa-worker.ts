// Worker-thread side of ZipformerSherpaAsr: owns sherpa-onnx's OnlineRecognizer (whose calls are
// all synchronous) and its streams, so chunk decoding never runs on the thread that paces RTP.
// Messages are handled in order; each write decodes every chunk that is ready and posts the new
// partial text when it changed.
import { parentPort, workerData } from 'node:worker_threads';
import { loadSherpaAsr, type SherpaOnlineRecognizer, type SherpaOnlineRecognizerConfig, type SherpaOnlineStream } from './sherpa-asr-binding.js';
import type { ZipformerRequest, ZipformerReply } from './zipformer-sherpa-protocol.js';

const port = parentPort;
if (!port) throw new Error('zipformer-sherpa-worker runs as a worker thread');
const { config, tailPaddingSamples } = workerData as { config: SherpaOnlineRecognizerConfig; tailPaddingSamples: number };

const post = (reply: ZipformerReply): void => port.postMessage(reply);

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

port.on('message', (msg: ZipformerRequest) => {
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
