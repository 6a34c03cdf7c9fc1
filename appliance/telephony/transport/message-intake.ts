// Turns received bytes (one datagram, or one message framed from a TCP stream) into a message
// SIP.js can take, or a reason to drop it. RFC 3261 18.3 (framing, Content-Length), 18.2.1 / RFC
// 3581 (received, rport). Never throws: SIP.js's parser does throw on some malformed input (e.g. a
// response whose CSeq does not parse), so it runs only on messages already checked here, and in a
// try block.
import { IncomingRequestMessage, IncomingResponseMessage, LoggerFactory, Parser } from 'sip.js/lib/core/index.js';
import { describe, type MessageInfo } from './message-info.js';
import { scanHead } from './sip-head.js';
import { replaceTopVia, splitViaLists, stampReceived, type Endpoint } from './via.js';

/** Larger messages are dropped (UDP cannot carry more anyway; a TCP peer sending more is broken). */
export const MAX_MESSAGE_BYTES = 64 * 1024;

export type SipMessage = IncomingRequestMessage | IncomingResponseMessage;

/** A message that passed our checks, with received/rport stamped, not yet parsed by SIP.js. */
export interface Candidate {
  kind: 'candidate';
  info: MessageInfo;
  text: string;
}

export type Inspection = Candidate | { kind: 'keepalive' } | { kind: 'malformed'; reason: string };

export type Intake =
  | { kind: 'message'; message: SipMessage; info: MessageInfo }
  | { kind: 'keepalive' }
  | { kind: 'malformed'; reason: string };

const CRLFCRLF = Buffer.from('\r\n\r\n');
const utf8 = new TextDecoder('utf-8', { fatal: true });

/** SIP.js's parser wants a logger; it only reports what this module already reports. */
function silentLogger(): ReturnType<LoggerFactory['getLogger']> {
  const factory = new LoggerFactory();
  factory.builtinEnabled = false;
  return factory.getLogger('sip.transport.parser');
}
const parserLogger = silentLogger();

/** A CRLF keep-alive (RFC 5626 3.5.1) or the NUL / blank datagrams some phones send instead. */
export function isKeepalive(bytes: Uint8Array): boolean {
  if (bytes.length > 16) return false;
  return bytes.every((b) => b === 0x0d || b === 0x0a || b === 0x00 || b === 0x20);
}

/** Both steps: inspect, then parse with SIP.js. */
export function takeIn(bytes: Buffer, source: Endpoint): Intake {
  const inspection = inspect(bytes, source);
  if (inspection.kind !== 'candidate') return inspection;
  const message = parseForSipJs(inspection);
  return message ? { kind: 'message', message, info: inspection.info } : { kind: 'malformed', reason: 'rejected-by-sipjs' };
}

/**
 * Our own checks, cheap next to SIP.js's parser (its grammar rebuilds its tables on every call, a
 * few milliseconds per message), so duplicates and foreign responses can be dropped before it.
 * `source` is where the bytes came from; for requests it is written into the top Via as
 * `received` / `rport`.
 */
export function inspect(bytes: Buffer, source: Endpoint): Inspection {
  if (bytes.length > MAX_MESSAGE_BYTES) return { kind: 'malformed', reason: 'oversized' };
  if (isKeepalive(bytes)) return { kind: 'keepalive' };
  let begin = 0;
  // RFC 3261 7.5: CRLFs before the start line are ignored.
  while (begin + 1 < bytes.length && bytes[begin] === 0x0d && bytes[begin + 1] === 0x0a) begin += 2;
  const headerEnd = bytes.indexOf(CRLFCRLF, begin);
  if (headerEnd < 0) return { kind: 'malformed', reason: 'no-end-of-headers' };

  const headText = decode(bytes.subarray(begin, headerEnd));
  if (headText === undefined) return { kind: 'malformed', reason: 'not-utf8' };
  let scanned = scanHead(headText);
  if (!scanned.ok) return { kind: 'malformed', reason: scanned.reason };
  const split = splitViaLists(scanned.value);
  if (split !== undefined) {
    scanned = scanHead(split);
    if (!scanned.ok) return { kind: 'malformed', reason: scanned.reason };
  }
  const described = describe(scanned.value);
  if (!described.ok) return { kind: 'malformed', reason: described.reason };
  let info = described.value;

  let body = bytes.subarray(headerEnd + 4);
  if (info.contentLength !== undefined) {
    // RFC 3261 18.3: a body shorter than Content-Length is an error; bytes beyond it are discarded.
    if (body.length < info.contentLength) return { kind: 'malformed', reason: 'truncated-body' };
    body = body.subarray(0, info.contentLength);
  }
  const bodyText = decode(body);
  if (bodyText === undefined) return { kind: 'malformed', reason: 'not-utf8' };

  let head = scanned.value.text;
  if (info.kind === 'request') {
    const via = stampReceived(info.via, source);
    if (via !== info.via) {
      head = replaceTopVia(scanned.value, via);
      info = { ...info, via };
    }
  }

  return { kind: 'candidate', info, text: `${head}\r\n\r\n${bodyText}` };
}

/** SIP.js's parse of a candidate; undefined if SIP.js rejects it (or throws). */
export function parseForSipJs(candidate: Candidate): SipMessage | undefined {
  let message: SipMessage | undefined;
  try {
    message = Parser.parseMessage(candidate.text, parserLogger);
  } catch {
    return undefined;
  }
  const kindMatches =
    candidate.info.kind === 'request' ? message instanceof IncomingRequestMessage : message instanceof IncomingResponseMessage;
  return kindMatches ? message : undefined;
}

function decode(bytes: Uint8Array): string | undefined {
  try {
    return utf8.decode(bytes);
  } catch {
    return undefined;
  }
}
