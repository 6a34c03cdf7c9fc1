// What every response carries and where plain HTTP may go. Security headers (helmet) on both
// listeners; HSTS only over TLS; and on the plain HTTP listener a 308 to the HTTPS one for every
// request that does not come from loopback, whatever its URL says (the check reads the socket,
// never the request line). The redirect stays on the box: the Host the browser asked for is kept
// only when the certificate names it, else the address the request arrived at is used.
import helmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';
import { isIP, isIPv4, isIPv6 } from 'node:net';
import { isHostName } from './tls.js';

export interface HttpsRedirect {
  /** The HTTPS listener's port (read per request: tests listen on port 0). */
  port(): number;
  /** Whether the served certificate is valid for a DNS name or IP literal (no brackets). */
  covers(host: string): boolean;
  /** The box's address for a redirect when neither the Host header nor the socket gives one. */
  fallbackHost(): string;
}

/** One year; sent only over TLS (browsers ignore it over HTTP, and over a certificate they do not trust). */
export const HSTS = 'max-age=31536000';

/** The Content-Security-Policy: nothing inline, nothing from elsewhere, no framing. */
export const CSP_DIRECTIVES = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  scriptSrcAttr: ["'none'"],
  styleSrc: ["'self'"],
  imgSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  objectSrc: ["'none'"],
  frameAncestors: ["'none'"],
  baseUri: ["'self'"],
  formAction: ["'self'"],
};

export async function addTransportSecurity(app: FastifyInstance, https: HttpsRedirect | undefined): Promise<void> {
  await app.register(helmet, {
    // No upgrade-insecure-requests: loopback tools are served over plain HTTP on purpose.
    contentSecurityPolicy: { useDefaults: false, directives: CSP_DIRECTIVES },
    strictTransportSecurity: false,
    referrerPolicy: { policy: 'no-referrer' },
    xFrameOptions: { action: 'deny' },
  });

  app.addHook('onRequest', async (req, reply) => {
    if (req.protocol === 'https') {
      void reply.header('strict-transport-security', HSTS);
      return;
    }
    if (!https || isLoopback(req.socket.remoteAddress)) return;
    const location = redirectLocation({
      host: req.headers.host,
      url: req.raw.url ?? '/',
      localAddress: req.socket.localAddress,
      port: https.port(),
      covers: (h) => https.covers(h),
      fallbackHost: https.fallbackHost(),
    });
    return reply.redirect(location, 308);
  });
}

/** 127.0.0.0/8, ::1 and their IPv4-mapped forms: clients on the box itself. */
export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const a = address.toLowerCase();
  const v4 = a.startsWith('::ffff:') ? a.slice('::ffff:'.length) : a;
  if (isIPv4(v4)) return v4.startsWith('127.');
  return isIPv6(a) && expandsToLoopback(a);
}

function expandsToLoopback(v6: string): boolean {
  // ::1 in any spelling: seven zero groups, then 1.
  const halves = v6.split('::');
  if (halves.length > 2 || v6.includes('.')) return false;
  const head = halves[0] ? halves[0].split(':') : [];
  const tail = halves.length === 2 && halves[1] ? halves[1].split(':') : [];
  const groups = halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  return groups.length === 8 && groups.slice(0, 7).every((g) => /^0+$/.test(g)) && /^0*1$/.test(groups[7] ?? '');
}

/**
 * The host part of a Host header when it is a sane host name or IP literal (lower-cased; IPv6
 * kept in brackets), else null. A port after it is dropped.
 */
export function hostOfHeader(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(?:\[([0-9a-f:.]+)\]|([^:[\]]+))(?::\d{1,5})?$/i.exec(header);
  if (!m) return null;
  if (m[1] !== undefined) return isIPv6(m[1]) ? `[${m[1].toLowerCase()}]` : null;
  const host = (m[2] ?? '').toLowerCase().replace(/\.$/, '');
  return isIPv4(host) || isHostName(host) ? host : null;
}

export interface RedirectInput {
  host: string | undefined;
  /** The request target as received: a path, or the absolute form. */
  url: string;
  localAddress: string | undefined;
  port: number;
  covers(host: string): boolean;
  fallbackHost: string;
}

/** Where a plain-HTTP request is sent: the same path and query over HTTPS on this box. */
export function redirectLocation(input: RedirectInput): string {
  const asked = hostOfHeader(input.host);
  const bare = asked?.replace(/^\[|\]$/g, '');
  const host = asked && bare && !isLoopbackName(bare) && input.covers(bare) ? asked : (boxAddress(input.localAddress) ?? bracketed(input.fallbackHost));
  let path = '/';
  try {
    // Only the path and query are kept; an absolute-form or '//' target cannot name another host.
    const u = new URL(input.url, 'http://box.invalid');
    path = `${u.pathname}${u.search}`;
  } catch {
    path = '/';
  }
  return `https://${host}${input.port === 443 ? '' : `:${input.port}`}${path}`;
}

function isLoopbackName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost') || isLoopback(host);
}

/** The address a request arrived at, when it is a usable one. */
function boxAddress(local: string | undefined): string | null {
  if (!local) return null;
  const a = local.toLowerCase().startsWith('::ffff:') && isIPv4(local.slice(7)) ? local.slice(7) : local;
  if (isIP(a) === 0 || isLoopback(a) || a === '0.0.0.0' || a === '::' || a.includes('%')) return null;
  return bracketed(a);
}

function bracketed(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}
