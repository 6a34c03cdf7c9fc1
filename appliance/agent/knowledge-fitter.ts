// Runs knowledge-classifier fits in one worker thread (knowledge-fit-worker.ts), so the seconds a fit
// takes never freeze the event loop (calls, RTP, HTTP). One worker for the process, started on the
// first fit and kept: it remembers the training texts' features between fits, so refitting after a
// staff edit costs the changed texts only. It holds the process open only while a fit is under way.
// If it fails, the fits it had are rejected and the next fit starts a new worker.
import { Worker } from 'node:worker_threads';
import type { KnowledgeEntry, Provider, Service } from '../booking/types.js';
import type { LinearModelExact } from './nlu/linear.js';

/** What a fit needs, as plain data (structured-cloned to the worker). */
export interface FitInput {
  entries: KnowledgeEntry[];
  services: Service[];
  providers: Provider[];
}

export type FitRequest = { id: number; input: FitInput };
export type FitReply = { id: number; model: LinearModelExact } | { id: number; error: string };

let worker: Worker | null = null;
let nextId = 1;
const waiting = new Map<number, { resolve: (m: LinearModelExact) => void; reject: (e: Error) => void }>();

function failAll(err: Error): void {
  worker = null;
  for (const w of waiting.values()) w.reject(err);
  waiting.clear();
}

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(new URL('./knowledge-fit-worker.js', import.meta.url));
  w.on('message', (reply: FitReply) => {
    const job = waiting.get(reply.id);
    if (!job) return;
    waiting.delete(reply.id);
    if (waiting.size === 0) w.unref();
    if ('error' in reply) job.reject(new Error(`knowledge fit failed: ${reply.error}`));
    else job.resolve(reply.model);
  });
  w.on('error', (err) => {
    if (worker === w) failAll(err);
  });
  w.on('exit', (code) => {
    if (worker === w) failAll(new Error(`knowledge fit worker exited with code ${code}`));
  });
  worker = w;
  return w;
}

/** The model fitted on `input`, in the worker thread. */
export function fitInWorker(input: FitInput): Promise<LinearModelExact> {
  const w = started();
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, { resolve, reject });
    w.ref();
    w.postMessage({ id, input } satisfies FitRequest);
  });
}
