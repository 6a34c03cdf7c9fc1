// The web UI's TLS certificate. The box makes its own at first start and keeps it in
// <dataDir>/tls (cert.pem, key.pem); an installer may drop in their own (custom-cert.pem,
// custom-key.pem), which is then used as is and never written to. Staff check the box's
// certificate by its SHA-256 fingerprint (start-up line, /api/health) when the browser asks.
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { chmod, mkdir, readFile, stat } from 'node:fs/promises';
import { isIP } from 'node:net';
import type { NetworkInterfaceInfo } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { generate } from 'selfsigned';
import type { Logger } from 'pino';
import { ApplianceError } from '../errors.js';
import { writeFileAtomic } from '../config/atomic-write.js';
import type { Clock, TimerHandle } from '../shared/clock.js';

export const TLS_DIR = 'tls';
/** The certificate and key the box makes for itself (and remakes before they expire). */
export const OWN_CERT_FILE = 'cert.pem';
export const OWN_KEY_FILE = 'key.pem';
/** An installer's certificate (PEM, the chain may follow the leaf) and its unencrypted key. */
export const CUSTOM_CERT_FILE = 'custom-cert.pem';
export const CUSTOM_KEY_FILE = 'custom-key.pem';

const DAY_MS = 86_400_000;
/**
 * Validity of the box's own certificate, back-dating included. Not ten years: Apple's platforms
 * (Safari, every iOS/iPadOS browser) reject any TLS server certificate valid for more than 825
 * days, even one the user chose to trust, with no way to click through, and a spa's front desk
 * is often an iPad. The 398-day limit of the browsers binds only publicly trusted certificates;
 * a LAN box's self-signed one is checked by its fingerprint, so the limit that matters is 825.
 * The box remakes it RENEW_BEFORE_DAYS before it ends (at start and once a day).
 */
export const OWN_VALIDITY_DAYS = 820;
export const RENEW_BEFORE_DAYS = 30;
/** Back-dating, so a device whose clock runs behind the box's still accepts a fresh certificate. */
const BACKDATE_MS = DAY_MS;

/** The names a certificate is made for: DNS names and IP literals. */
export interface CertificateNames {
  dns: string[];
  ips: string[];
}

export interface TlsCertificate {
  /** PEM texts for the TLS server. */
  key: string;
  cert: string;
  /** SHA-256 of the leaf certificate, colon-separated upper-case hex, as browsers show it. */
  fingerprint: string;
  /** The installer's certificate (never renewed nor written by the box). */
  custom: boolean;
  /** The file the certificate was read from. */
  certFile: string;
  notBefore: number;
  notAfter: number;
  /** Whether the certificate is valid for a DNS name or an IP literal (without brackets). */
  covers(host: string): boolean;
  /** The IP addresses it names. */
  ips: string[];
}

/** A certificate or key the box cannot use; the message names the file and what to do. */
export class TlsCertificateError extends ApplianceError {
  constructor(
    readonly file: string,
    message: string,
    cause?: unknown,
  ) {
    super('SPA_ERR_TLS_CERTIFICATE', message, { details: { file }, cause });
  }
}

export interface CertificateDeps {
  dataDir: string;
  names: CertificateNames;
  /** Validity is judged and set on its wall time; the renewal's daily check runs on its timers. */
  clock: Clock;
  log: Logger;
}

/**
 * The certificate to serve: the installer's when present (an error when it is unusable), else
 * the box's own, made now when missing, unreadable or due for renewal.
 */
export async function ensureCertificate(deps: CertificateDeps): Promise<TlsCertificate> {
  const dir = join(deps.dataDir, TLS_DIR);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  await chmod(dir, 0o700);
  const now = deps.clock.now();

  const customCert = join(dir, CUSTOM_CERT_FILE);
  const customKey = join(dir, CUSTOM_KEY_FILE);
  const [hasCert, hasKey] = await Promise.all([exists(customCert), exists(customKey)]);
  if (hasCert || hasKey) {
    if (!hasCert) throw new TlsCertificateError(customCert, `${customCert} is missing: the installer's key ${customKey} needs its certificate beside it (PEM), or remove the key to use the box's own certificate`);
    if (!hasKey) throw new TlsCertificateError(customKey, `${customKey} is missing: the installer's certificate ${customCert} needs its private key beside it (PEM, no passphrase), or remove the certificate to use the box's own`);
    const custom = await loadPair(customCert, customKey, true);
    if (now > custom.notAfter) deps.log.warn({ file: customCert, expired: new Date(custom.notAfter).toISOString() }, 'the installer certificate has expired; browsers will warn until it is replaced');
    else if (now > custom.notAfter - RENEW_BEFORE_DAYS * DAY_MS) deps.log.warn({ file: customCert, expires: new Date(custom.notAfter).toISOString() }, 'the installer certificate expires soon; replace it');
    if (((await stat(customKey)).mode & 0o077) !== 0) deps.log.warn({ file: customKey }, 'the installer key is readable by other users; chmod 600 it');
    return custom;
  }

  const ownCert = join(dir, OWN_CERT_FILE);
  const ownKey = join(dir, OWN_KEY_FILE);
  let own: TlsCertificate | null = null;
  if ((await exists(ownCert)) || (await exists(ownKey))) {
    try {
      own = await loadPair(ownCert, ownKey, false);
    } catch (err) {
      // The box's own pair (half written at a power cut, say): the box made it, so it makes it again.
      deps.log.warn({ err }, "the box's certificate could not be used; making a new one");
    }
  }
  const early = own !== null && madeBeforeTheNetwork(own, deps.names);
  if (own && !early && !renewalDue(own, now)) {
    await chmod(ownKey, 0o600);
    const missing = uncoveredNames(own, deps.names);
    if (missing.length > 0) {
      deps.log.warn({ missing, file: ownCert }, `the certificate does not name all of this box's names; to make a new one, delete ${OWN_CERT_FILE} and ${OWN_KEY_FILE} in ${dir} and restart`);
    }
    return own;
  }
  if (early) deps.log.info({ ips: deps.names.ips }, "the box's certificate was made before it had a LAN address; making one that names it");
  else if (own) deps.log.info({ notAfter: new Date(own.notAfter).toISOString() }, "the box's certificate is due for renewal; making a new one");
  const made = await makeCertificate(deps.names, now);
  // Key first: a cut between the two leaves a pair that does not match, which is remade above.
  await writeFileAtomic(ownKey, made.key, { mode: 0o600 });
  await writeFileAtomic(ownCert, made.cert, { mode: 0o600 });
  const saved = await loadPair(ownCert, ownKey, false);
  deps.log.info({ fingerprint: saved.fingerprint, file: ownCert, dns: deps.names.dns, ips: deps.names.ips }, 'made a TLS certificate for the web UI');
  return saved;
}

/**
 * A certificate made at a boot that started the box before the network (no LAN address in it)
 * while the box now has one. Only then: a changed address is logged, never a reason to change the
 * fingerprint staff have checked.
 */
function madeBeforeTheNetwork(cert: TlsCertificate, names: CertificateNames): boolean {
  const lan = (ip: string): boolean => !isLoopbackIp(ip);
  return !cert.custom && !cert.ips.some(lan) && names.ips.some(lan);
}

function isLoopbackIp(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === '0:0:0:0:0:0:0:1';
}

/** Whether the box should remake its own certificate: near its end, or not yet valid (the clock was wrong when it was made). */
export function renewalDue(cert: TlsCertificate, now: number): boolean {
  return !cert.custom && (now >= cert.notAfter - RENEW_BEFORE_DAYS * DAY_MS || now < cert.notBefore);
}

/**
 * The names the box answers to: its host name (and name.local for mDNS), localhost, its LAN
 * IPv4 addresses, loopback, and the bind address when it is a specific one.
 */
export function certificateNames(input: { hostname: string; interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>; bind: string }): CertificateNames {
  const dns: string[] = [];
  const host = input.hostname.trim().toLowerCase().replace(/\.$/, '');
  if (isHostName(host) && host !== 'localhost') {
    dns.push(host);
    if (!host.includes('.')) dns.push(`${host}.local`);
  }
  dns.push('localhost');
  const ips: string[] = [];
  for (const list of Object.values(input.interfaces)) {
    for (const i of list ?? []) if (i.family === 'IPv4' && !i.internal) ips.push(i.address);
  }
  if (isIP(input.bind) !== 0 && input.bind !== '0.0.0.0' && input.bind !== '::') ips.push(input.bind);
  ips.push('127.0.0.1', '::1');
  return { dns: [...new Set(dns)], ips: [...new Set(ips)] };
}

/** The name to show staff in the web UI's address: the box's first LAN address, else its host name. */
export function primaryHost(names: CertificateNames): string {
  return names.ips.find((ip) => !isLoopbackIp(ip)) ?? names.dns[0] ?? 'localhost';
}

/** A DNS host name: letters, digits and hyphens in dot-separated labels (RFC 1123). */
export function isHostName(s: string): boolean {
  return s.length > 0 && s.length <= 253 && /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i.test(s);
}

async function makeCertificate(names: CertificateNames, now: number): Promise<{ key: string; cert: string }> {
  const notBefore = new Date(now - BACKDATE_MS);
  const notAfter = new Date(notBefore.getTime() + OWN_VALIDITY_DAYS * DAY_MS);
  const made = await generate([{ name: 'commonName', value: names.dns[0] ?? 'localhost' }, { name: 'organizationName', value: 'Spa Receptionist appliance' }], {
    // ECDSA P-256: made in milliseconds on a Pi, small handshakes, accepted by every current browser.
    keyType: 'ec',
    curve: 'P-256',
    algorithm: 'sha256',
    notBeforeDate: notBefore,
    notAfterDate: notAfter,
    extensions: [
      // A leaf, not a CA: Firefox refuses a CA certificate used as a server's.
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, critical: true },
      // Apple requires serverAuth in the extended key usage of every TLS server certificate.
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [...names.dns.map((value) => ({ type: 2 as const, value })), ...names.ips.map((ip) => ({ type: 7 as const, ip }))],
      },
    ],
  });
  return { key: made.private, cert: made.cert };
}

async function loadPair(certFile: string, keyFile: string, custom: boolean): Promise<TlsCertificate> {
  const certText = await readText(certFile);
  const keyText = await readText(keyFile);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(certText);
  } catch (err) {
    throw new TlsCertificateError(certFile, `${certFile} is not a PEM certificate (-----BEGIN CERTIFICATE-----)`, err);
  }
  let key: KeyObject;
  try {
    key = createPrivateKey(keyText);
  } catch (err) {
    throw new TlsCertificateError(keyFile, `${keyFile} is not a PEM private key without a passphrase (-----BEGIN PRIVATE KEY-----)`, err);
  }
  if (!x509.checkPrivateKey(key)) {
    throw new TlsCertificateError(keyFile, `${keyFile} is not the private key of ${certFile}: they do not match`);
  }
  try {
    createSecureContext({ key: keyText, cert: certText });
  } catch (err) {
    throw new TlsCertificateError(certFile, `${certFile} with ${keyFile} cannot serve TLS: ${(err as Error).message}`, err);
  }
  return {
    key: keyText,
    cert: certText,
    fingerprint: x509.fingerprint256,
    custom,
    certFile,
    notBefore: Date.parse(x509.validFrom),
    notAfter: Date.parse(x509.validTo),
    covers: (host) => (isIP(host) !== 0 ? x509.checkIP(host) !== undefined : x509.checkHost(host, { partialWildcards: false }) !== undefined),
    ips: (x509.subjectAltName ?? '')
      .split(', ')
      .filter((entry) => entry.startsWith('IP Address:'))
      .map((entry) => entry.slice('IP Address:'.length)),
  };
}

function uncoveredNames(cert: TlsCertificate, names: CertificateNames): string[] {
  return [...names.dns, ...names.ips].filter((n) => !cert.covers(n));
}

async function readText(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new TlsCertificateError(file, `${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw new TlsCertificateError(file, `${file} cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`, err);
  }
}

/**
 * Looks at the certificate once a day while the box runs (a box may run for years without a
 * restart): the box's own is remade when due, and the new one handed to `onRenewed`; an
 * installer's near its end is logged.
 */
export class CertificateRenewal {
  private timer: TimerHandle | null = null;
  private running = false;
  private serving: TlsCertificate;

  constructor(
    private readonly deps: Omit<CertificateDeps, 'names'> & {
      /** The box's names now (read at each check: the network may have come up since the start). */
      names: () => CertificateNames;
      current: TlsCertificate;
      onRenewed: (cert: TlsCertificate) => void;
      checkEveryMs?: number;
    },
  ) {
    this.serving = deps.current;
  }

  /** The certificate being served. */
  get current(): TlsCertificate {
    return this.serving;
  }

  start(): void {
    this.running = true;
    this.schedule();
  }

  stop(): void {
    this.running = false;
    this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** One look: renews when due. Never throws; a failure is logged and tried again next time. */
  async check(): Promise<void> {
    try {
      const cert = await ensureCertificate({ ...this.deps, names: this.deps.names() });
      if (cert.fingerprint === this.serving.fingerprint) return;
      this.serving = cert;
      this.deps.log.info({ fingerprint: cert.fingerprint, custom: cert.custom }, 'serving a new TLS certificate');
      this.deps.onRenewed(cert);
    } catch (err) {
      this.deps.log.error({ err }, 'could not check or renew the TLS certificate; the current one stays');
    }
  }

  private schedule(): void {
    if (!this.running) return;
    this.timer = this.deps.clock.setTimeout(
      () => {
        this.timer = null;
        void this.check().then(() => this.schedule());
      },
      this.deps.checkEveryMs ?? DAY_MS,
      { unref: true },
    );
  }
}
