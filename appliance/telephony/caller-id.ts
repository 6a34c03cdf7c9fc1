// Who is calling: from P-Asserted-Identity (RFC 3325, set by the trusted PBX or carrier), else
// Remote-Party-ID (older PBXs), else From. Normalised to E.164 for the calls table and texts.
import { toE164 } from '../shared/phone.js';

export interface CallerIdentity {
  /** E.164 when the number is a possible phone number, else null (anonymous, extension, garbage). */
  phone: string | null;
  /** The user part as sent (an extension like "201" or "anonymous"). */
  raw: string;
  displayName: string;
  source: 'P-Asserted-Identity' | 'Remote-Party-ID' | 'From' | 'none';
  /** The caller asked for privacy (anonymous From, Privacy: id, or RPID privacy=full). */
  withheld: boolean;
}

export interface CallerHeaders {
  pAssertedIdentity?: string[];
  remotePartyId?: string[];
  from?: string;
  privacy?: string;
}

interface NameAddr {
  displayName: string;
  scheme: string;
  user: string;
  params: string;
}

/** Parses `"Name" <sip:user@host;params>;tag=x`, `<tel:+1555...>` or a bare `sip:user@host`. */
export function parseNameAddr(value: string): NameAddr | null {
  if (typeof value !== 'string' || value.length > 1024) return null;
  const v = value.trim();
  let display = '';
  let uri: string;
  let params = '';
  const lt = v.indexOf('<');
  if (lt >= 0) {
    const gt = v.indexOf('>', lt);
    if (gt < 0) return null;
    display = v.slice(0, lt).trim().replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1');
    uri = v.slice(lt + 1, gt).trim();
    params = v.slice(gt + 1);
  } else {
    const semi = v.indexOf(';');
    uri = semi >= 0 ? v.slice(0, semi) : v;
    params = semi >= 0 ? v.slice(semi) : '';
  }
  const m = /^(sips?|tel):([^@;?]*)/i.exec(uri);
  if (!m) return null;
  const scheme = (m[1] ?? '').toLowerCase();
  let user = decodeURIComponent(m[2] ?? '').replace(/[\s\-().]/g, '');
  if (scheme !== 'tel' && !uri.includes('@')) user = ''; // sip:host without a user part
  if (!/^[+\w.*#!~]*$/.test(user)) user = '';
  return { displayName: display.slice(0, 80), scheme, user, params };
}

export function callerIdentity(h: CallerHeaders, defaultCountry: 'US' = 'US'): CallerIdentity {
  const privacyId = /\b(id|user|header)\b/i.test(h.privacy ?? '');
  const candidates: [CallerIdentity['source'], string | undefined][] = [
    ...(h.pAssertedIdentity ?? []).map((v): [CallerIdentity['source'], string] => ['P-Asserted-Identity', v]),
    ...(h.remotePartyId ?? []).map((v): [CallerIdentity['source'], string] => ['Remote-Party-ID', v]),
    ['From', h.from],
  ];
  for (const [source, value] of candidates) {
    if (!value) continue;
    const na = parseNameAddr(value);
    if (!na?.user) continue;
    const anonymous = /^anonymous$/i.test(na.user) || /privacy=full/i.test(na.params);
    const phone = anonymous ? null : toE164(na.user, defaultCountry);
    return {
      phone,
      raw: na.user,
      displayName: anonymous ? '' : na.displayName,
      source,
      withheld: anonymous || privacyId,
    };
  }
  return { phone: null, raw: '', displayName: '', source: 'none', withheld: privacyId };
}
