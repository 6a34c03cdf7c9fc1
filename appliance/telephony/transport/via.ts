// The Via header field (RFC 3261 20.42, 18.2.1; RFC 3581): parsing, formatting and the two
// rewrites the transport makes: stamping `received`/`rport` on incoming requests, and giving
// outgoing requests a reachable sent-by. SIP.js's own Via grammar is not used for this: it drops an
// empty `rport` and merges comma-separated Via values into one object.
import { isIP } from 'node:net';
import { fieldsNamed, splitList, type Scan, type SipHead } from './sip-head.js';

export const DEFAULT_SIP_PORT = 5060;

export interface ViaParam {
  /** Lower-case parameter name. */
  name: string;
  /** `undefined` for a flag parameter such as an empty `;rport`. */
  value?: string;
}

export interface Via {
  /** Upper-case transport token: UDP, TCP, TLS, ... */
  transport: string;
  /** Host as written (IPv6 references keep their brackets). */
  host: string;
  port?: number;
  params: ViaParam[];
}

export interface Endpoint {
  address: string;
  port: number;
}

const TOKEN = '[A-Za-z0-9!%*_+`\'~.-]+';
const VIA = new RegExp(
  `^SIP\\s*/\\s*2\\.0\\s*/\\s*(${TOKEN})\\s+(\\[[0-9A-Fa-f:.]+\\]|[A-Za-z0-9][A-Za-z0-9.-]*)(?:\\s*:\\s*([0-9]{1,5}))?\\s*(;[^]*)?$`,
);
const PARAM = new RegExp(`^(${TOKEN})(?:\\s*=\\s*(\\S(?:[^]*\\S)?))?$`);

export function parseVia(text: string): Via | undefined {
  const m = VIA.exec(text.trim());
  if (!m?.[1] || !m[2]) return undefined;
  const port = m[3] === undefined ? undefined : Number(m[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return undefined;
  const params: ViaParam[] = [];
  for (const piece of (m[4] ?? '').split(';').slice(1)) {
    const p = PARAM.exec(piece.trim());
    if (!p?.[1]) return undefined;
    const name = p[1].toLowerCase();
    // RFC 3261 7.3.1: a parameter name appears at most once. SIP.js keeps the last `branch`, this
    // parser the first; refusing duplicates keeps both views of the transaction the same.
    if (params.some((q) => q.name === name)) return undefined;
    params.push(p[2] === undefined ? { name } : { name, value: p[2] });
  }
  const via: Via = { transport: m[1].toUpperCase(), host: m[2], params };
  if (port !== undefined) via.port = port;
  const rport = viaParam(via, 'rport');
  if (rport?.value !== undefined && !isPort(rport.value)) return undefined;
  const branch = viaParam(via, 'branch');
  if (branch && branch.value === undefined) return undefined;
  return via;
}

export function formatVia(via: Via): string {
  const port = via.port === undefined ? '' : `:${via.port}`;
  const params = via.params.map((p) => (p.value === undefined ? `;${p.name}` : `;${p.name}=${p.value}`)).join('');
  return `SIP/2.0/${via.transport} ${via.host}${port}${params}`;
}

export function viaParam(via: Via, name: string): ViaParam | undefined {
  return via.params.find((p) => p.name === name);
}

/** A copy of `via` with parameter `name` set (replacing the first occurrence, or appended). */
export function withViaParam(via: Via, name: string, value: string | undefined): Via {
  const param: ViaParam = value === undefined ? { name } : { name, value };
  const index = via.params.findIndex((p) => p.name === name);
  const params = index < 0 ? [...via.params, param] : via.params.map((p, i) => (i === index ? param : p));
  return { ...via, params };
}

export function viaBranch(via: Via): string | undefined {
  return viaParam(via, 'branch')?.value;
}

/** The sent-by as a comparable key: lower-case host without brackets, and the port (default 5060). */
export function sentByKey(via: Via): string {
  return `${unbracket(via.host).toLowerCase()}:${via.port ?? DEFAULT_SIP_PORT}`;
}

/** `[::1]` -> `::1`; other hosts unchanged. */
export function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** `::1` -> `[::1]` for use in a sent-by or URI; other hosts unchanged. */
export function bracket(host: string): string {
  return isIP(host) === 6 ? `[${host}]` : host;
}

/**
 * RFC 3261 18.2.1 and RFC 3581 4: the server transport notes where a request really came from.
 * With an `rport` parameter (empty, as RFC 3581 clients send it) both `received` and `rport` are
 * set to the packet's source; without one, `received` is added only when the sent-by host is not
 * the source address. SIP.js copies the Via into its responses, so they carry these values and
 * reach a client behind NAT.
 */
export function stampReceived(via: Via, source: Endpoint): Via {
  if (viaParam(via, 'rport')) {
    return withViaParam(withViaParam(via, 'received', source.address), 'rport', String(source.port));
  }
  if (!sameHost(unbracket(via.host), source.address)) return withViaParam(via, 'received', source.address);
  return via;
}

/**
 * The top Via of a request about to leave: the transport token says what is really used, a
 * sent-by without a port gets our address and port (SIP.js writes `viaHost` and never a port, so
 * without this the peer answers to port 5060), and UDP requests ask for `rport` (RFC 3581 3).
 * A sent-by that already has a port is left as configured (e.g. a public address for NAT).
 */
export function prepareOutgoingVia(via: Via, transport: 'UDP' | 'TCP', local: Endpoint): Via {
  let out: Via = { ...via, transport };
  if (out.port === undefined) out = { ...out, host: bracket(local.address), port: local.port };
  if (transport === 'UDP' && !viaParam(out, 'rport')) out = withViaParam(out, 'rport', undefined);
  return out;
}

export interface TopVia {
  via: Via;
  /** Number of Via values in the message (comma-separated ones counted one by one). */
  count: number;
}

export function topVia(head: SipHead): Scan<TopVia> {
  const fields = fieldsNamed(head, 'via');
  const first = fields[0];
  if (!first) return { ok: false, reason: 'no-via' };
  const values = fields.flatMap((f) => splitList(f.value));
  const top = values[0];
  if (!top || values.some((v) => v.text.length === 0)) return { ok: false, reason: 'bad-via' };
  const via = parseVia(top.text);
  if (!via) return { ok: false, reason: 'bad-via' };
  return { ok: true, value: { via, count: values.length } };
}

/** `head.text` with the top Via value replaced by `via` (other values and headers untouched). */
export function replaceTopVia(head: SipHead, via: Via): string {
  const field = fieldsNamed(head, 'via')[0];
  if (!field) return head.text;
  const raw = head.text.slice(field.valueStart, field.valueEnd);
  const top = splitList(raw)[0];
  if (!top) return head.text;
  const rawOut = raw.slice(0, top.start) + formatVia(via) + raw.slice(top.end);
  return head.text.slice(0, field.valueStart) + rawOut + head.text.slice(field.valueEnd);
}

/**
 * `head.text` with every comma-separated Via list split into one `Via:` line per value (RFC 3261
 * 7.3.1: equivalent), or undefined when there is no list. SIP.js's Via grammar merges a list into
 * one object whose branch is the last value's, which would key its transaction on the wrong branch.
 */
export function splitViaLists(head: SipHead): string | undefined {
  let text = head.text;
  let changed = false;
  const fields = fieldsNamed(head, 'via');
  for (let i = fields.length - 1; i >= 0; i--) {
    const field = fields[i];
    if (!field) continue;
    const values = splitList(field.value);
    if (values.length < 2) continue;
    const lines = values.map((v) => `Via: ${v.text}`).join('\r\n');
    text = text.slice(0, field.lineStart) + lines + text.slice(field.valueEnd);
    changed = true;
  }
  return changed ? text : undefined;
}

function isPort(text: string): boolean {
  if (!/^[0-9]{1,5}$/.test(text)) return false;
  const n = Number(text);
  return n >= 1 && n <= 65535;
}

function sameHost(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
