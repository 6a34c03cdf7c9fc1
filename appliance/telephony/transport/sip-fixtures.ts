// SIP message builders for the transport's tests and for scripted peers (raw sockets standing in
// for a PBX or a phone). Not used by production code.
import { describe, type MessageInfo } from './message-info.js';
import { fieldsNamed, scanHead } from './sip-head.js';

export interface RequestFixture {
  method?: string;
  uri?: string;
  /** Full top Via value; default `SIP/2.0/UDP 127.0.0.1:5099;branch=<branch>;rport`. */
  via?: string;
  branch?: string;
  callId?: string;
  cseq?: number;
  fromTag?: string;
  toTag?: string;
  route?: string;
  contact?: string;
  body?: string;
  /** Override the Content-Length value; `null` leaves the header out. */
  contentLength?: number | null;
  extra?: string[];
}

export function sipRequest(f: RequestFixture = {}): string {
  const method = f.method ?? 'INVITE';
  const branch = f.branch ?? 'z9hG4bK-fixture-1';
  const body = f.body ?? '';
  const lines = [
    `${method} ${f.uri ?? 'sip:receptionist@127.0.0.1:5060'} SIP/2.0`,
    `Via: ${f.via ?? `SIP/2.0/UDP 127.0.0.1:5099;branch=${branch};rport`}`,
    'Max-Forwards: 70',
    `From: "Front Desk" <sip:desk@127.0.0.1>;tag=${f.fromTag ?? 'from-1'}`,
    `To: <sip:receptionist@127.0.0.1>${f.toTag ? `;tag=${f.toTag}` : ''}`,
    `Call-ID: ${f.callId ?? 'call-1@127.0.0.1'}`,
    `CSeq: ${f.cseq ?? 1} ${method}`,
  ];
  if (f.route) lines.push(`Route: ${f.route}`);
  if (f.contact ?? method === 'INVITE') lines.push(`Contact: ${f.contact ?? '<sip:desk@127.0.0.1:5099>'}`);
  if (body) lines.push('Content-Type: application/sdp');
  lines.push(...(f.extra ?? []));
  if (f.contentLength !== null) lines.push(`Content-Length: ${f.contentLength ?? Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

/** A response to `request`: its Vias, From, To (with `toTag`), Call-ID and CSeq copied. */
export function sipResponse(request: string, status: number, opts: { toTag?: string; body?: string } = {}): string {
  const head = scanHead(request.slice(0, request.indexOf('\r\n\r\n')));
  if (!head.ok) throw new Error(`fixture request does not scan: ${head.reason}`);
  const copy = (name: string): string[] => fieldsNamed(head.value, name).map((h) => h.value);
  const to = copy('to')[0] ?? '<sip:x@127.0.0.1>';
  const toTag = opts.toTag ?? (status > 100 ? 'to-1' : undefined);
  const body = opts.body ?? '';
  const lines = [
    `SIP/2.0 ${status} ${REASONS[status] ?? 'Whatever'}`,
    ...copy('via').map((v) => `Via: ${v}`),
    `From: ${copy('from')[0] ?? ''}`,
    `To: ${to}${toTag && !to.includes(';tag=') ? `;tag=${toTag}` : ''}`,
    `Call-ID: ${copy('call-id')[0] ?? ''}`,
    `CSeq: ${copy('cseq')[0] ?? ''}`,
  ];
  if (body) lines.push('Content-Type: application/sdp');
  lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
  return `${lines.join('\r\n')}\r\n\r\n${body}`;
}

const REASONS: Record<number, string> = {
  100: 'Trying',
  180: 'Ringing',
  200: 'OK',
  404: 'Not Found',
  408: 'Request Timeout',
  486: 'Busy Here',
  487: 'Request Terminated',
};

/** The transport's view of a message (throws if the fixture is broken). */
export function infoOf(text: string): MessageInfo {
  const split = text.indexOf('\r\n\r\n');
  const head = scanHead(text.slice(0, split < 0 ? text.length : split));
  if (!head.ok) throw new Error(`fixture does not scan: ${head.reason}`);
  const info = describe(head.value);
  if (!info.ok) throw new Error(`fixture not usable: ${info.reason}`);
  return info.value;
}

export const SDP = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 40000 RTP/AVP 0',
  'a=rtpmap:0 PCMU/8000',
  '',
].join('\r\n');
