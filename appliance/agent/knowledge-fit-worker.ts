// The worker thread knowledge-fitter.ts fits in: builds the spa's ServiceMatcher from the plain
// services it is sent, fits the knowledge classifier and sends back the model's exact weights
// (transferred, not copied). Bad input answers an error, never ends the thread.
import { parentPort } from 'node:worker_threads';
import { trainKnowledgeModel } from './knowledge-classifier.js';
import type { FitReply, FitRequest } from './knowledge-fitter.js';
import { ServiceMatcher } from './understand/services.js';

const port = parentPort;
port?.on('message', (req: FitRequest) => {
  let reply: FitReply;
  try {
    const model = trainKnowledgeModel(req.input.entries, { services: new ServiceMatcher(req.input.services), providers: req.input.providers }).toExact();
    reply = { id: req.id, model };
    port.postMessage(reply, [model.weights.buffer as ArrayBuffer]);
  } catch (err) {
    reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
    port.postMessage(reply);
  }
});
