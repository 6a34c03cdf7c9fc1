// A small, strict scanner for the start line and header section of a SIP message (RFC 3261 7.1-7.3).
// The transport needs a few headers (Via, CSeq, Call-ID, Route, Content-Length) to frame, route and
// match messages before (and independently of) SIP.js's own parser, and it needs their offsets to
// rewrite the top Via in place. It never throws: anything odd is a `{ ok: false, reason }`.

export type Scan<T> = { ok: true; value: T } | { ok: false; reason: string };

export type StartLine =
  | { kind: 'request'; method: string; uri: string }
  | { kind: 'response'; status: number; reason: string };

export interface HeaderField {
  /** Lower-case full name (compact forms expanded: `v` -> `via`). */
  name: string;
  /** Offset of the header line (its name) in the scanned text. */
  lineStart: number;
  /** Unfolded, trimmed value. */
  value: string;
  /** Offsets of the raw trimmed value in the scanned text (folding included). */
  valueStart: number;
  valueEnd: number;
}

export interface SipHead {
  start: StartLine;
  headers: HeaderField[];
  /** The scanned text: start line and header lines, without the blank line. */
  text: string;
}

/** RFC 3261 7.3.3 compact forms (and RFC 3265/3515/4028 ones) that matter here or may appear. */
const COMPACT: Readonly<Record<string, string>> = {
  v: 'via',
  i: 'call-id',
  l: 'content-length',
  f: 'from',
  t: 'to',
  m: 'contact',
  c: 'content-type',
  e: 'content-encoding',
  k: 'supported',
  s: 'subject',
  o: 'event',
  r: 'refer-to',
  x: 'session-expires',
};

const TOKEN = /^[A-Za-z0-9!%*_+`'~.-]+$/;
const REQUEST_LINE = /^([A-Za-z0-9!%*_+`'~.-]+) ([^\s]+) SIP\/2\.0$/i;
const STATUS_LINE = /^SIP\/2\.0 ([1-6][0-9]{2}) ?(.*)$/i;
// Control characters other than HT are not allowed in a header section (CR and LF only as CRLF).
const CONTROL = /[\x00-\x08\x0a-\x1f\x7f]/;
const MAX_HEADERS = 500;

export function headerName(raw: string): string {
  const lower = raw.toLowerCase();
  return COMPACT[lower] ?? lower;
}

/** Scans `text`, the start line and headers of one message, lines separated by CRLF. */
export function scanHead(text: string): Scan<SipHead> {
  const lines = text.split('\r\n');
  const first = lines[0] ?? '';
  if (CONTROL.test(first)) return { ok: false, reason: 'control-character' };
  const start = parseStartLine(first);
  if (!start) return { ok: false, reason: 'bad-start-line' };

  const headers: HeaderField[] = [];
  let offset = first.length + 2;
  let current: { name: string; lineStart: number; rawStart: number; rawEnd: number } | undefined;
  const finish = (): void => {
    if (!current) return;
    const raw = text.slice(current.rawStart, current.rawEnd);
    const lead = raw.length - raw.trimStart().length;
    const valueStart = current.rawStart + lead;
    const valueEnd = Math.max(valueStart, current.rawStart + raw.trimEnd().length);
    const value = text.slice(valueStart, valueEnd).replace(/\r\n[ \t]+/g, ' ');
    headers.push({ name: current.name, lineStart: current.lineStart, value, valueStart, valueEnd });
    current = undefined;
  };

  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const lineStart = offset;
    offset += line.length + 2;
    if (CONTROL.test(line)) return { ok: false, reason: 'control-character' };
    if (line.length === 0) return { ok: false, reason: 'empty-header-line' };
    if (line.startsWith(' ') || line.startsWith('\t')) {
      if (!current) return { ok: false, reason: 'fold-without-header' };
      current.rawEnd = lineStart + line.length;
      continue;
    }
    finish();
    const colon = line.indexOf(':');
    if (colon <= 0) return { ok: false, reason: 'header-without-colon' };
    const name = line.slice(0, colon).trimEnd();
    if (!TOKEN.test(name)) return { ok: false, reason: 'bad-header-name' };
    if (headers.length >= MAX_HEADERS) return { ok: false, reason: 'too-many-headers' };
    current = { name: headerName(name), lineStart, rawStart: lineStart + colon + 1, rawEnd: lineStart + line.length };
  }
  finish();
  return { ok: true, value: { start, headers, text } };
}

function parseStartLine(line: string): StartLine | undefined {
  const status = STATUS_LINE.exec(line);
  if (status) return { kind: 'response', status: Number(status[1]), reason: status[2] ?? '' };
  const request = REQUEST_LINE.exec(line);
  if (request?.[1] && request[2]) return { kind: 'request', method: request[1], uri: request[2] };
  return undefined;
}

/** The fields named `name` (lower-case full name), in order. */
export function fieldsNamed(head: SipHead, name: string): HeaderField[] {
  return head.headers.filter((h) => h.name === name);
}

/** The value of the first field named `name`, if any. */
export function firstValue(head: SipHead, name: string): string | undefined {
  return head.headers.find((h) => h.name === name)?.value;
}

export interface Segment {
  text: string;
  /** Offsets of `text` within the split string. */
  start: number;
  end: number;
}

/**
 * Splits a header value at commas that separate list elements (RFC 3261 7.3.1): commas inside
 * quoted strings or <angle brackets> do not split. Segments are trimmed; empty ones are kept so
 * the caller can reject them.
 */
export function splitList(value: string): Segment[] {
  const out: Segment[] = [];
  let segmentStart = 0;
  let quoted = false;
  let angle = false;
  const push = (end: number): void => {
    const raw = value.slice(segmentStart, end);
    const lead = raw.length - raw.trimStart().length;
    const text = raw.trim();
    out.push({ text, start: segmentStart + lead, end: segmentStart + lead + text.length });
  };
  for (let i = 0; i < value.length; i++) {
    const ch = value[i];
    if (quoted) {
      if (ch === '\\') i++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') angle = true;
    else if (ch === '>') angle = false;
    else if (ch === ',' && !angle) {
      push(i);
      segmentStart = i + 1;
    }
  }
  push(value.length);
  return out;
}
