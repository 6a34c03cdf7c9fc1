// Splits a SIP-over-TCP byte stream into messages (RFC 3261 18.3: over a stream transport the
// Content-Length header is mandatory and delimits the body; 7.5: CRLFs between messages are
// ignored) and recognises RFC 5626 3.5.1 keep-alives: a CRLFCRLF "ping" (answered with a CRLF
// "pong") and a lone CRLF. After an error the stream cannot be resynchronised: the caller must
// drop the connection.
import { MAX_MESSAGE_BYTES } from './message-intake.js';

export type FramerEvent =
  | { kind: 'message'; bytes: Buffer }
  | { kind: 'ping' }
  | { kind: 'error'; reason: string };

const CRLF = 0x0d0a;
const END_OF_HEADERS = Buffer.from('\r\n\r\n');
const CONTENT_LENGTH = /^(?:content-length|l)[ \t]*:[ \t]*(.*?)[ \t]*$/i;

export class TcpFramer {
  private buffer: Buffer = Buffer.alloc(0);
  private failed = false;

  constructor(private readonly maxMessageBytes = MAX_MESSAGE_BYTES) {}

  /** Bytes held waiting for the rest of a message. */
  get buffered(): number {
    return this.buffer.length;
  }

  /** Whether the bytes held begin a message (not just CRLFs that may become a keep-alive). */
  get midMessage(): boolean {
    return this.buffer.some((b) => b !== 0x0d && b !== 0x0a);
  }

  push(chunk: Buffer): FramerEvent[] {
    if (this.failed) return [];
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    const events: FramerEvent[] = [];
    for (;;) {
      const event = this.next();
      if (!event) break;
      events.push(event);
      if (event.kind === 'error') {
        this.failed = true;
        this.buffer = Buffer.alloc(0);
        break;
      }
    }
    return events;
  }

  private next(): FramerEvent | undefined {
    // Leading CRLFs: a CRLFCRLF ping, or stray CRLFs (pongs) before a start line.
    while (this.buffer.length >= 2 && this.buffer.readUInt16BE(0) === CRLF) {
      if (this.buffer.length >= 4 && this.buffer.readUInt16BE(2) === CRLF) {
        this.buffer = this.buffer.subarray(4);
        return { kind: 'ping' };
      }
      if (this.buffer.length < 4) return undefined; // may become a ping
      this.buffer = this.buffer.subarray(2);
    }
    if (this.buffer.length === 0 || (this.buffer.length === 1 && this.buffer[0] === 0x0d)) return undefined;

    const headerEnd = this.buffer.indexOf(END_OF_HEADERS);
    if (headerEnd < 0) {
      return this.buffer.length > this.maxMessageBytes ? { kind: 'error', reason: 'oversized' } : undefined;
    }
    const length = contentLength(this.buffer.subarray(0, headerEnd));
    if (typeof length === 'string') return { kind: 'error', reason: length };
    const total = headerEnd + END_OF_HEADERS.length + length;
    if (total > this.maxMessageBytes) return { kind: 'error', reason: 'oversized' };
    if (this.buffer.length < total) return undefined;
    const bytes = this.buffer.subarray(0, total);
    this.buffer = this.buffer.subarray(total);
    return { kind: 'message', bytes };
  }
}

/** The Content-Length of a header section, or the reason it cannot be framed. */
function contentLength(head: Buffer): number | string {
  let found: number | undefined;
  const lines = head.toString('latin1').split('\r\n');
  for (let i = 1; i < lines.length; i++) {
    const m = CONTENT_LENGTH.exec(lines[i] ?? '');
    if (!m) continue;
    const value = m[1] ?? '';
    if (!/^[0-9]{1,9}$/.test(value)) return 'bad-content-length';
    if (found !== undefined && found !== Number(value)) return 'conflicting-content-length';
    found = Number(value);
  }
  return found ?? 'missing-content-length';
}
