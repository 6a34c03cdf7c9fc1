// Digest credentials go only to the configured registrar. A 401/407 whose source address is not
// one of the registrar's (as DNS gives them now) is not answered: its challenge header is taken
// out before SIP.js sees the response, so SIP.js ends that transaction with the 401/407 and sends
// no credentials. Without this, anyone the box sends a request to (a transfer target is derived
// from the caller's own address) could ask for the extension's digest response and replay it to
// the PBX or crack the password offline.
import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { IncomingResponseMessage } from 'sip.js/lib/core/index.js';
import type { Logger } from '../log.js';
import { registrarUri } from './registration.js';
import { plainAddress } from '../ip-address.js';

export type ResolveAll = (host: string) => Promise<string[]>;

export interface RegistrarAddressesDeps {
  log: Logger;
  /** The registration setting ("192.168.1.10", "pbx.local:5060", "sip:pbx;transport=tcp"), or null. */
  registrar: string | null;
  /** Host name -> addresses (default: dns.lookup, all). */
  resolve?: ResolveAll;
}

/** The registrar's current addresses, resolved on demand. */
export class RegistrarAddresses {
  private current: ReadonlySet<string> = new Set();

  constructor(private readonly deps: RegistrarAddressesDeps) {}

  get addresses(): ReadonlySet<string> {
    return this.current;
  }

  has(address: string): boolean {
    return this.current.has(plainAddress(address));
  }

  /** Resolves the registrar's host again; keeps the last answer when DNS fails. Never throws. */
  async refresh(): Promise<ReadonlySet<string>> {
    const { registrar, log } = this.deps;
    if (!registrar) return this.current;
    let host: string;
    try {
      host = registrarUri(registrar).host.replace(/^\[|\]$/g, '');
    } catch {
      return this.current;
    }
    if (isIP(host)) {
      this.current = new Set([plainAddress(host)]);
      return this.current;
    }
    try {
      const found = await (this.deps.resolve ?? resolveAll)(host);
      if (found.length > 0) this.current = new Set(found.map(plainAddress));
    } catch (err) {
      log.warn({ err, registrar }, 'registrar address not resolved; keeping the last one');
    }
    return this.current;
  }
}

export function isChallenge(message: IncomingResponseMessage): boolean {
  return message.statusCode === 401 || message.statusCode === 407;
}

/** Takes the challenge out of a 401/407 so SIP.js treats it as a final failure and answers nothing. */
export function withholdChallenge(message: IncomingResponseMessage): void {
  for (const name of Object.keys(message.headers)) {
    if (/^(www|proxy)-authenticate$/i.test(name)) delete message.headers[name];
  }
}

async function resolveAll(host: string): Promise<string[]> {
  const found = await lookup(host, { all: true });
  return found.map((a) => a.address);
}
