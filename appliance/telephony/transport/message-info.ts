// What the transport needs to know about a message to route and match it (RFC 3261 8.1.1, 17.1.3,
// 17.2.3), read from a scanned head. Missing mandatory headers make a message unusable here.
import { fieldsNamed, firstValue, splitList, type Scan, type SipHead } from './sip-head.js';
import { topVia, viaBranch, sentByKey, type Via } from './via.js';

interface InfoCommon {
  callId: string;
  cseq: number;
  /** CSeq method (for a response: the method of the request it answers). */
  cseqMethod: string;
  via: Via;
  /** Number of Via values. */
  viaCount: number;
  branch: string;
  /** Content-Length if present. */
  contentLength?: number;
}

export interface RequestInfo extends InfoCommon {
  kind: 'request';
  method: string;
  requestUri: string;
  /** First Route value (name-addr), if any. */
  route?: string;
}

export interface ResponseInfo extends InfoCommon {
  kind: 'response';
  status: number;
}

export type MessageInfo = RequestInfo | ResponseInfo;

const CSEQ = /^([0-9]{1,10})\s+([A-Za-z0-9!%*_+`'~.-]+)$/;

export function describe(head: SipHead): Scan<MessageInfo> {
  const top = topVia(head);
  if (!top.ok) return top;
  const branch = viaBranch(top.value.via);
  if (!branch) return { ok: false, reason: 'no-branch' };
  const callId = firstValue(head, 'call-id');
  if (!callId) return { ok: false, reason: 'no-call-id' };
  if (!firstValue(head, 'from')) return { ok: false, reason: 'no-from' };
  if (!firstValue(head, 'to')) return { ok: false, reason: 'no-to' };
  const cseqMatch = CSEQ.exec(firstValue(head, 'cseq') ?? '');
  if (!cseqMatch?.[1] || !cseqMatch[2]) return { ok: false, reason: 'bad-cseq' };
  const cseq = Number(cseqMatch[1]);
  if (cseq > 2 ** 31 - 1) return { ok: false, reason: 'bad-cseq' };
  const lengths = fieldsNamed(head, 'content-length');
  let contentLength: number | undefined;
  if (lengths.length > 1) return { ok: false, reason: 'several-content-lengths' };
  if (lengths[0]) {
    if (!/^[0-9]{1,9}$/.test(lengths[0].value)) return { ok: false, reason: 'bad-content-length' };
    contentLength = Number(lengths[0].value);
  }
  const common: InfoCommon = {
    callId,
    cseq,
    cseqMethod: cseqMatch[2],
    via: top.value.via,
    viaCount: top.value.count,
    branch,
  };
  if (contentLength !== undefined) common.contentLength = contentLength;

  const start = head.start;
  switch (start.kind) {
    case 'response':
      return { ok: true, value: { ...common, kind: 'response', status: start.status } };
    case 'request': {
      if (start.method !== common.cseqMethod) return { ok: false, reason: 'cseq-method-mismatch' };
      const info: RequestInfo = { ...common, kind: 'request', method: start.method, requestUri: start.uri };
      const route = firstValue(head, 'route');
      if (route !== undefined) {
        const first = splitList(route)[0]?.text;
        if (!first) return { ok: false, reason: 'bad-route' };
        info.route = first;
      }
      return { ok: true, value: info };
    }
  }
}

/**
 * Server transaction key (RFC 3261 17.2.3): top Via branch, sent-by, and method, with ACK
 * matching the INVITE it acknowledges.
 */
export function serverTransactionKey(info: MessageInfo): string {
  const method = info.kind === 'request' ? info.method : info.cseqMethod;
  return `${info.branch}|${sentByKey(info.via)}|${method === 'ACK' ? 'INVITE' : method}`;
}

/** Client transaction key (RFC 3261 17.1.3): top Via branch and CSeq method. */
export function clientTransactionKey(info: MessageInfo): string {
  return `${info.branch}|${info.cseqMethod}`;
}
