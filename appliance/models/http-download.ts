// Downloads one URL into `<file>.part`, resuming with a Range request when a partial file is
// already there. Follows redirects (Hugging Face and GitHub both redirect to a CDN). A host that
// cannot be reached fails within the connect timeout with an `offline` error; a transfer cut
// mid-file leaves the .part in place for the next run to resume.
import { open, rm, stat } from 'node:fs/promises';
import http from 'node:http';
import https from 'node:https';
import { ModelsError, MODELS_ERR } from './errors.js';
import type { Clock } from '../shared/clock.js';

export interface DownloadProgress {
  /** Bytes on disk so far, including what an earlier run left in the .part file. */
  received: number;
  /** The whole file's size when known (manifest or server), else null. */
  total: number | null;
  /** Bytes already present when this transfer started (0 for a fresh one). */
  resumedFrom: number;
}

export interface DownloadOptions {
  url: string;
  partPath: string;
  /** The manifest's size; a .part bigger than this is discarded. */
  expectedSize: number | null;
  /** The connect time limit runs on its timers. */
  clock: Clock;
  connectTimeoutMs: number;
  /** No bytes for this long mid-transfer ends it (retryable). */
  idleTimeoutMs: number;
  onStart?: (p: DownloadProgress) => void;
  onProgress?: (p: DownloadProgress) => void;
}

const OFFLINE_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'ECONNREFUSED', 'ENETUNREACH', 'EHOSTUNREACH', 'ENETDOWN', 'ECONNTIMEOUT']);
const MAX_REDIRECTS = 8;

export function offlineError(host: string, cause?: unknown): ModelsError {
  return new ModelsError(
    MODELS_ERR.offline,
    `cannot reach ${host} (offline?): the appliance runs on its fallback engines`,
    { retryable: true, details: { host }, cause },
  );
}

/** Resolves once the whole body is in `partPath`; returns the bytes it holds. */
export async function downloadToPart(opts: DownloadOptions): Promise<number> {
  let offset = await sizeOf(opts.partPath);
  if (opts.expectedSize !== null && offset > opts.expectedSize) {
    await rm(opts.partPath, { force: true });
    offset = 0;
  }
  if (opts.expectedSize !== null && offset === opts.expectedSize) return offset;

  const response = await get(opts.url, offset, opts);
  const status = response.statusCode ?? 0;

  if (status === 416 && offset > 0) {
    // The server says our offset is at or past its end: the .part is whole or foreign.
    response.resume();
    const total = totalFromContentRange(response.headers['content-range']);
    if (total === offset) return offset;
    await rm(opts.partPath, { force: true });
    return downloadToPart(opts);
  }
  if (status !== 200 && status !== 206) {
    response.resume();
    throw new ModelsError(MODELS_ERR.http, `${opts.url} answered HTTP ${status}`, {
      retryable: status >= 500,
      details: { url: opts.url, status },
    });
  }

  let start = 0;
  if (status === 206) {
    start = startFromContentRange(response.headers['content-range']);
    if (start !== offset) {
      response.destroy();
      throw new ModelsError(MODELS_ERR.http, `${opts.url} resumed at byte ${start}, not ${offset}`, { retryable: true });
    }
  }
  const bodyLength = numberHeader(response.headers['content-length']);
  const total = opts.expectedSize ?? (bodyLength === null ? null : start + bodyLength);
  let received = start;
  const progress = (): DownloadProgress => ({ received, total, resumedFrom: start });
  opts.onStart?.(progress());

  response.setTimeout(opts.idleTimeoutMs, () => {
    response.destroy(new Error(`no data for ${opts.idleTimeoutMs} ms`));
  });
  // Each chunk is written (and awaited) before the next is read, so the .part holds exactly the
  // bytes received when the connection drops: pipeline() would destroy the file stream on error
  // and lose its unwritten buffer, leaving a .part shorter than what was counted.
  const file = await open(opts.partPath, start > 0 ? 'a' : 'w');
  try {
    for await (const chunk of response as AsyncIterable<Buffer>) {
      await file.write(chunk);
      received += chunk.length;
      opts.onProgress?.(progress());
    }
  } catch (err) {
    throw cutShort(opts.url, received, err);
  } finally {
    await file.close();
  }
  if (bodyLength !== null && received !== start + bodyLength) {
    throw cutShort(opts.url, received, new Error(`got ${received - start} of ${bodyLength} bytes`));
  }
  return received;
}

function cutShort(url: string, received: number, cause: unknown): ModelsError {
  return new ModelsError(
    MODELS_ERR.http,
    `download of ${url} stopped after ${(received / 1e6).toFixed(1)} MB; run the install again to resume`,
    { retryable: true, details: { url, received }, cause },
  );
}

/** GET with Range from `offset`, following redirects; the response is not yet read. */
async function get(url: string, offset: number, opts: DownloadOptions, hops = 0): Promise<http.IncomingMessage> {
  const target = new URL(url);
  const response = await request(target, offset, opts.connectTimeoutMs, opts.clock);
  const status = response.statusCode ?? 0;
  const location = response.headers.location;
  if (status >= 300 && status < 400 && location !== undefined) {
    response.resume();
    if (hops >= MAX_REDIRECTS) throw new ModelsError(MODELS_ERR.http, `${url}: too many redirects`);
    return get(new URL(location, target).toString(), offset, opts, hops + 1);
  }
  return response;
}

function request(target: URL, offset: number, connectTimeoutMs: number, clock: Clock): Promise<http.IncomingMessage> {
  const client = target.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'user-agent': 'spa-receptionist-models/1', accept: '*/*' };
    if (offset > 0) headers.range = `bytes=${offset}-`;
    const req = client.get(target, { headers });
    const timer = clock.setTimeout(() => {
      const err = Object.assign(new Error(`no connection within ${connectTimeoutMs} ms`), { code: 'ECONNTIMEOUT' });
      req.destroy(err);
    }, connectTimeoutMs);
    req.on('socket', (socket) => {
      if (!socket.connecting) clock.clearTimeout(timer);
      else socket.once('connect', () => clock.clearTimeout(timer));
    });
    req.once('response', (res) => {
      clock.clearTimeout(timer);
      resolve(res);
    });
    req.once('error', (err: NodeJS.ErrnoException) => {
      clock.clearTimeout(timer);
      if (err.code !== undefined && OFFLINE_CODES.has(err.code)) reject(offlineError(target.hostname, err));
      else reject(new ModelsError(MODELS_ERR.http, `${target.origin}: ${err.message}`, { retryable: true, cause: err }));
    });
  });
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch {
    return 0;
  }
}

function numberHeader(value: string | undefined): number | null {
  if (value === undefined || !/^\d+$/.test(value)) return null;
  return Number(value);
}

function startFromContentRange(value: string | undefined): number {
  const m = /^bytes (\d+)-\d+\/(\d+|\*)$/.exec(value ?? '');
  return m?.[1] === undefined ? -1 : Number(m[1]);
}

function totalFromContentRange(value: string | undefined): number | null {
  const m = /\/(\d+)$/.exec(value ?? '');
  return m?.[1] === undefined ? null : Number(m[1]);
}
