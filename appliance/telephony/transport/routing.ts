// Where an outgoing message goes, decided from the message alone (pure functions).
// Requests: RFC 3261 8.1.2 / 12.2.1.1 (loose routing: the first Route URI if any, else the
// Request-URI; `;transport=tcp` selects TCP; `maddr` overrides the host; default port 5060; no
// RFC 3263 SRV/NAPTR). Responses: RFC 3261 18.2.2 with RFC 3581 4 (received + rport).
import { Grammar } from 'sip.js/lib/core/index.js';
import { describe, type MessageInfo, type RequestInfo } from './message-info.js';
import { scanHead, type Scan } from './sip-head.js';
import { DEFAULT_SIP_PORT, prepareOutgoingVia, replaceTopVia, unbracket, viaParam, type Endpoint, type Via } from './via.js';

export type SipProtocol = 'UDP' | 'TCP';

export interface SendTarget {
  protocol: SipProtocol;
  /** An IP address or a host name still to be resolved; IPv6 without brackets. */
  host: string;
  port: number;
}

export interface OutgoingPlan {
  info: MessageInfo;
  /** The message as it will be sent (top Via of a request rewritten). */
  text: string;
  target: SendTarget;
}

/** RFC 3261 18.2.2 / RFC 3581 4: where a response goes when there is no connection to reuse. */
export function responseTarget(via: Via): Scan<SendTarget> {
  const protocol = protocolOf(via.transport);
  if (!protocol) return { ok: false, reason: `unsupported-transport-${via.transport.toLowerCase()}` };
  const received = viaParam(via, 'received')?.value;
  const rport = viaParam(via, 'rport')?.value;
  const port = via.port ?? DEFAULT_SIP_PORT;
  if (protocol === 'UDP' && received !== undefined) {
    return { ok: true, value: { protocol, host: received, port: rport !== undefined ? Number(rport) : port } };
  }
  // Over TCP the connection the request came in on is used first (the caller's job); failing
  // that, a new connection goes to `received` (if any) at the sent-by port.
  return { ok: true, value: { protocol, host: received ?? unbracket(via.host), port } };
}

/** Where a request goes: the first Route (loose routing) or the Request-URI. */
export function requestTarget(info: RequestInfo): Scan<SendTarget> {
  const uriText = info.route !== undefined ? routeUri(info.route) : info.requestUri;
  let uri: ReturnType<typeof Grammar.URIParse>;
  try {
    uri = Grammar.URIParse(uriText);
  } catch {
    uri = undefined;
  }
  if (!uri) return { ok: false, reason: 'bad-uri' };
  if (uri.scheme !== 'sip') return { ok: false, reason: `unsupported-scheme-${uri.scheme}` };
  const transport = uri.getParam('transport');
  const protocol = protocolOf(typeof transport === 'string' ? transport : 'udp');
  if (!protocol) return { ok: false, reason: `unsupported-transport-${String(transport)}` };
  const maddr = uri.getParam('maddr');
  const host = unbracket(typeof maddr === 'string' && maddr !== '' ? maddr : uri.host);
  return { ok: true, value: { protocol, host, port: uri.port ?? DEFAULT_SIP_PORT } };
}

/**
 * Reads an outgoing message from SIP.js and decides its destination. Requests get their top Via
 * prepared (transport token, our sent-by when SIP.js left the port out, `rport` on UDP); responses
 * are sent as SIP.js built them.
 */
export function planOutgoing(text: string, local: Endpoint): Scan<OutgoingPlan> {
  const split = text.indexOf('\r\n\r\n');
  if (split < 0) return { ok: false, reason: 'no-end-of-headers' };
  const scanned = scanHead(text.slice(0, split));
  if (!scanned.ok) return scanned;
  const described = describe(scanned.value);
  if (!described.ok) return described;
  const info = described.value;
  if (info.kind === 'response') {
    const target = responseTarget(info.via);
    return target.ok ? { ok: true, value: { info, text, target: target.value } } : target;
  }
  const target = requestTarget(info);
  if (!target.ok) return target;
  const via = prepareOutgoingVia(info.via, target.value.protocol, local);
  const rewritten = replaceTopVia(scanned.value, via) + text.slice(split);
  return { ok: true, value: { info: { ...info, via }, text: rewritten, target: target.value } };
}

function routeUri(route: string): string {
  const open = route.indexOf('<');
  const close = route.indexOf('>', open + 1);
  return open >= 0 && close > open ? route.slice(open + 1, close) : route.trim();
}

function protocolOf(transport: string): SipProtocol | undefined {
  const upper = transport.toUpperCase();
  return upper === 'UDP' || upper === 'TCP' ? upper : undefined;
}
