// A minimal streaming tar reader: finds one regular file by name and hands its bytes to a sink.
// Enough for npm tarballs (ustar, with pax or GNU long names); no links, no extraction to disk.
import type { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import { ModelsError, MODELS_ERR } from './errors.js';

const BLOCK = 512;

type Body =
  | { kind: 'file'; name: string; remaining: number; pad: number }
  | { kind: 'meta'; type: 'pax' | 'longname'; remaining: number; pad: number; parts: Buffer[] };

/**
 * Reads a gzipped tar from `gz` and passes the content of the entry named `wanted` to `sink`,
 * chunk by chunk (awaiting each). Resolves with the entry's size; rejects if it is absent.
 */
export async function extractTarGzEntry(
  gz: Readable,
  wanted: string,
  sink: (chunk: Buffer) => Promise<void>,
): Promise<number> {
  const gunzip = createGunzip();
  gz.pipe(gunzip);
  gz.once('error', (err) => gunzip.destroy(err));
  let pending: Buffer = Buffer.alloc(0);
  let body: Body | null = null;
  let nextName: string | null = null;
  let found: number | null = null;

  for await (const chunk of gunzip as AsyncIterable<Buffer>) {
    pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
    for (;;) {
      if (body === null) {
        if (pending.length < BLOCK) break;
        const header = pending.subarray(0, BLOCK);
        pending = pending.subarray(BLOCK);
        if (header.every((b) => b === 0)) continue; // end-of-archive padding
        const h = readHeader(header);
        const name = nextName ?? h.name;
        nextName = null;
        const pad = (BLOCK - (h.size % BLOCK)) % BLOCK;
        if (h.type === 'x' || h.type === 'L') {
          body = { kind: 'meta', type: h.type === 'x' ? 'pax' : 'longname', remaining: h.size, pad, parts: [] };
        } else {
          body = { kind: 'file', name, remaining: h.size, pad };
          if ((h.type === '0' || h.type === '\0') && name === wanted) found = h.size;
        }
        if (body.kind === 'file' && body.remaining === 0 && body.pad === 0) body = null;
        continue;
      }
      if (body.remaining > 0) {
        if (pending.length === 0) break;
        const take = pending.subarray(0, Math.min(body.remaining, pending.length));
        pending = pending.subarray(take.length);
        body.remaining -= take.length;
        if (body.kind === 'meta') body.parts.push(Buffer.from(take));
        else if (body.name === wanted && found !== null) await sink(Buffer.from(take));
        continue;
      }
      if (pending.length < body.pad) break;
      pending = pending.subarray(body.pad);
      if (body.kind === 'meta') nextName = metaName(body.type, Buffer.concat(body.parts));
      const done = body.kind === 'file' && body.name === wanted && found !== null;
      body = null;
      if (done) {
        gz.unpipe(gunzip);
        gunzip.destroy();
        gz.resume();
        return found ?? 0;
      }
    }
  }
  if (found !== null && body === null) return found;
  throw new ModelsError(MODELS_ERR.archive, `${wanted} is not in the tarball${body !== null ? ' (tarball truncated)' : ''}`);
}

function readHeader(block: Buffer): { name: string; size: number; type: string } {
  const text = (start: number, length: number): string => {
    const raw = block.subarray(start, start + length);
    const end = raw.indexOf(0);
    return raw.subarray(0, end === -1 ? length : end).toString('utf8');
  };
  const expected = Number.parseInt(text(148, 8).trim() || '0', 8);
  let sum = 0;
  for (let i = 0; i < BLOCK; i += 1) sum += i >= 148 && i < 156 ? 0x20 : block[i]!;
  if (sum !== expected) throw new ModelsError(MODELS_ERR.archive, 'not a tar archive (header checksum mismatch)');
  const prefix = text(257, 6).startsWith('ustar') ? text(345, 155) : '';
  const name = prefix ? `${prefix}/${text(0, 100)}` : text(0, 100);
  const size = Number.parseInt(text(124, 12).trim() || '0', 8);
  return { name, size, type: String.fromCharCode(block[156] ?? 0) };
}

function metaName(type: 'pax' | 'longname', data: Buffer): string | null {
  if (type === 'longname') {
    const end = data.indexOf(0);
    return data.subarray(0, end === -1 ? data.length : end).toString('utf8');
  }
  // pax records: "<len> key=value\n"
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    if (space === -1) break;
    const len = Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(len) || len <= 0) break;
    const record = data.subarray(space + 1, at + len - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (record.slice(0, eq) === 'path') return record.slice(eq + 1);
    at += len;
  }
  return null;
}
