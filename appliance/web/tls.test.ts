import { test } from 'node:test';
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { generate } from 'selfsigned';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { tempDir } from '../../test/helpers/spa.js';
import {
  CertificateRenewal,
  certificateNames,
  CUSTOM_CERT_FILE,
  CUSTOM_KEY_FILE,
  ensureCertificate,
  OWN_CERT_FILE,
  OWN_KEY_FILE,
  TlsCertificateError,
  type CertificateNames,
  type TlsCertificate,
} from './tls.js';

const DAY = 86_400_000;
const NOW = Date.parse('2026-11-30T15:00:00Z');
const NAMES: CertificateNames = { dns: ['spa-box', 'spa-box.local', 'localhost'], ips: ['192.168.1.20', '127.0.0.1', '::1'] };

function capture(): { log: ReturnType<typeof createLogger>; lines: () => { msg: string; level: number }[] } {
  let text = '';
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      text += chunk.toString();
      done();
    },
  });
  const log = createLogger({ level: 'info', destination });
  return { log, lines: () => text.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; level: number }) };
}

function setup(now = NOW) {
  const dir = tempDir('spa-tls-');
  const clock = new FakeClock({ epochMs: now });
  const { log, lines } = capture();
  return { dir, clock, log, lines, deps: { dataDir: dir.path, names: NAMES, clock, log } };
}

/** An installer's certificate, made the way a spa's IT person might (RSA, their own name). */
async function installerPair(opts: { days?: number; name?: string } = {}): Promise<{ cert: string; key: string }> {
  const made = await generate([{ name: 'commonName', value: opts.name ?? 'reception.spa.example' }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate: new Date(NOW - DAY),
    notAfterDate: new Date(NOW + (opts.days ?? 365) * DAY),
    extensions: [{ name: 'subjectAltName', altNames: [{ type: 2, value: opts.name ?? 'reception.spa.example' }] }],
  });
  return { cert: made.cert, key: made.private };
}

function dropIn(dataDir: string, files: Record<string, string>): void {
  mkdirSync(join(dataDir, 'tls'), { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dataDir, 'tls', name), text, { mode: 0o600 });
}

test('first start makes an ECDSA P-256 certificate in data/tls naming the box, valid 820 days, key 0600 in a 0700 folder', async () => {
  const { dir, deps } = setup();
  try {
    const cert = await ensureCertificate(deps);
    assert.equal(cert.custom, false);
    const tlsDir = join(dir.path, 'tls');
    assert.equal(statSync(tlsDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(tlsDir, OWN_KEY_FILE)).mode & 0o777, 0o600);
    const x509 = new X509Certificate(readFileSync(join(tlsDir, OWN_CERT_FILE)));
    assert.equal(cert.fingerprint, x509.fingerprint256);
    assert.match(cert.fingerprint, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    assert.equal(x509.publicKey.asymmetricKeyType, 'ec');
    assert.equal(x509.publicKey.asymmetricKeyDetails?.namedCurve, 'prime256v1');
    assert.equal(x509.ca, false);
    assert.deepEqual(x509.keyUsage, ['1.3.6.1.5.5.7.3.1'], 'extended key usage: TLS server');
    assert.equal(x509.subjectAltName, 'DNS:spa-box, DNS:spa-box.local, DNS:localhost, IP Address:192.168.1.20, IP Address:127.0.0.1, IP Address:0:0:0:0:0:0:0:1');
    const days = (Date.parse(x509.validTo) - Date.parse(x509.validFrom)) / DAY;
    assert.equal(days, 820);
    assert.ok(days <= 825, "within Apple's limit for TLS server certificates");
    assert.ok(Date.parse(x509.validFrom) < NOW, 'back-dated for devices whose clock runs behind');
    for (const host of ['spa-box.local', 'localhost', '192.168.1.20', '127.0.0.1', '::1']) assert.ok(cert.covers(host), host);
    for (const host of ['evil.example', '192.168.1.21', 'spa-box.local.evil.example']) assert.ok(!cert.covers(host), host);
  } finally {
    dir.remove();
  }
});

test('the certificate is made once and reused on later starts: same fingerprint, files untouched', async () => {
  const { dir, deps, clock } = setup();
  try {
    const first = await ensureCertificate(deps);
    const before = readFileSync(join(dir.path, 'tls', OWN_CERT_FILE), 'utf8');
    clock.setWallTime(clock.now() + 400 * DAY);
    const again = await ensureCertificate(deps);
    assert.equal(again.fingerprint, first.fingerprint);
    assert.equal(readFileSync(join(dir.path, 'tls', OWN_CERT_FILE), 'utf8'), before);
  } finally {
    dir.remove();
  }
});

test("the box's own certificate is remade 30 days before it ends, and when the clock shows it not yet valid", async () => {
  const { dir, deps, clock } = setup();
  try {
    const first = await ensureCertificate(deps);
    clock.setWallTime(first.notAfter - 31 * DAY);
    assert.equal((await ensureCertificate(deps)).fingerprint, first.fingerprint, '31 days left: kept');
    clock.setWallTime(first.notAfter - 29 * DAY);
    const renewed = await ensureCertificate(deps);
    assert.notEqual(renewed.fingerprint, first.fingerprint);
    assert.equal(renewed.notBefore, clock.now() - DAY);
    // The clock was set back (made while it ran ahead): a certificate not valid yet is remade.
    clock.setWallTime(renewed.notBefore - 2 * DAY);
    const again = await ensureCertificate(deps);
    assert.notEqual(again.fingerprint, renewed.fingerprint);
    assert.ok(again.notBefore <= clock.now());
  } finally {
    dir.remove();
  }
});

test("a broken own certificate (half written, key replaced) is remade with a warning, not a failed start", async () => {
  const { dir, deps, lines } = setup();
  try {
    const first = await ensureCertificate(deps);
    writeFileSync(join(dir.path, 'tls', OWN_CERT_FILE), '-----BEGIN CERTIFICATE-----\nMIIB');
    const remade = await ensureCertificate(deps);
    assert.notEqual(remade.fingerprint, first.fingerprint);
    assert.ok(lines().some((l) => /could not be used; making a new one/.test(l.msg)));
    const other = await generate(undefined, { keyType: 'ec', algorithm: 'sha256' });
    writeFileSync(join(dir.path, 'tls', OWN_KEY_FILE), other.private);
    const again = await ensureCertificate(deps);
    assert.notEqual(again.fingerprint, remade.fingerprint);
    assert.ok(again.covers('spa-box.local'));
  } finally {
    dir.remove();
  }
});

test("names the box no longer has (renamed host) are logged with how to remake, and the certificate is kept", async () => {
  const { dir, deps, lines } = setup();
  try {
    const first = await ensureCertificate(deps);
    const renamed = { ...deps, names: { dns: ['front-desk', 'front-desk.local', 'localhost'], ips: NAMES.ips } };
    assert.equal((await ensureCertificate(renamed)).fingerprint, first.fingerprint);
    const warning = lines().find((l) => /does not name all of this box's names/.test(l.msg)) as { missing?: string[]; msg: string } | undefined;
    assert.deepEqual(warning?.missing, ['front-desk', 'front-desk.local']);
    assert.match(warning?.msg ?? '', /delete cert\.pem and key\.pem/);
  } finally {
    dir.remove();
  }
});

test('a certificate made before the network was up (no LAN address in it) is remade once the box has one; later address changes only log', async () => {
  const { dir, deps, lines } = setup();
  try {
    const offline = { ...deps, names: { dns: NAMES.dns, ips: ['127.0.0.1', '::1'] } };
    const atBoot = await ensureCertificate(offline);
    assert.deepEqual(atBoot.ips, ['127.0.0.1', '0:0:0:0:0:0:0:1']);
    assert.equal((await ensureCertificate(offline)).fingerprint, atBoot.fingerprint, 'still offline: kept');
    const online = await ensureCertificate(deps);
    assert.notEqual(online.fingerprint, atBoot.fingerprint);
    assert.ok(online.covers('192.168.1.20'));
    assert.ok(lines().some((l) => /made before it had a LAN address/.test(l.msg)));
    const moved = await ensureCertificate({ ...deps, names: { dns: NAMES.dns, ips: ['192.168.1.77', '127.0.0.1', '::1'] } });
    assert.equal(moved.fingerprint, online.fingerprint, 'a new address does not change the fingerprint');
    const warning = lines().find((l) => /does not name all/.test(l.msg)) as { missing?: string[] } | undefined;
    assert.deepEqual(warning?.missing, ['192.168.1.77']);
  } finally {
    dir.remove();
  }
});

test("an installer's certificate and key are used as is, never overwritten, even when expired", async () => {
  const { dir, deps, clock, lines } = setup();
  try {
    const own = await ensureCertificate(deps);
    const pair = await installerPair({ days: 60 });
    dropIn(dir.path, { [CUSTOM_CERT_FILE]: pair.cert, [CUSTOM_KEY_FILE]: pair.key });
    const used = await ensureCertificate(deps);
    assert.equal(used.custom, true);
    assert.equal(used.fingerprint, new X509Certificate(pair.cert).fingerprint256);
    assert.notEqual(used.fingerprint, own.fingerprint);
    assert.equal(used.cert, pair.cert);
    assert.ok(used.covers('reception.spa.example'));
    clock.setWallTime(clock.now() + 400 * DAY);
    const expired = await ensureCertificate(deps);
    assert.equal(expired.fingerprint, used.fingerprint, 'an expired installer certificate is not replaced');
    assert.equal(readFileSync(join(dir.path, 'tls', CUSTOM_CERT_FILE), 'utf8'), pair.cert);
    assert.equal(readFileSync(join(dir.path, 'tls', CUSTOM_KEY_FILE), 'utf8'), pair.key);
    assert.ok(lines().some((l) => l.level === 40 && /installer certificate has expired/.test(l.msg)));
  } finally {
    dir.remove();
  }
});

test('an unusable installer certificate or key stops the start with an error naming the file', async () => {
  const { dir, deps } = setup();
  try {
    const pair = await installerPair();
    const other = await installerPair({ name: 'other.spa.example' });
    const certFile = join(dir.path, 'tls', CUSTOM_CERT_FILE);
    const keyFile = join(dir.path, 'tls', CUSTOM_KEY_FILE);
    const cases: [files: Record<string, string>, file: string, words: RegExp][] = [
      [{ [CUSTOM_CERT_FILE]: 'not a certificate', [CUSTOM_KEY_FILE]: pair.key }, certFile, /is not a PEM certificate/],
      [{ [CUSTOM_CERT_FILE]: pair.cert, [CUSTOM_KEY_FILE]: 'garbage' }, keyFile, /is not a PEM private key/],
      [{ [CUSTOM_CERT_FILE]: pair.cert, [CUSTOM_KEY_FILE]: other.key }, keyFile, /is not the private key of .*custom-cert\.pem: they do not match/],
      [{ [CUSTOM_CERT_FILE]: pair.cert }, keyFile, /custom-key\.pem is missing/],
      [{ [CUSTOM_KEY_FILE]: pair.key }, certFile, /custom-cert\.pem is missing/],
    ];
    for (const [files, file, words] of cases) {
      for (const name of [CUSTOM_CERT_FILE, CUSTOM_KEY_FILE]) rmSync(join(dir.path, 'tls', name), { force: true });
      dropIn(dir.path, files);
      await assert.rejects(ensureCertificate(deps), (err: unknown) => {
        assert.ok(err instanceof TlsCertificateError, String(err));
        assert.equal(err.code, 'SPA_ERR_TLS_CERTIFICATE');
        assert.equal(err.file, file);
        assert.ok(err.message.startsWith(file), err.message);
        assert.match(err.message, words);
        return true;
      });
    }
  } finally {
    dir.remove();
  }
});

test('an installer key that cannot be read is an error naming it and why', async () => {
  const { dir, deps } = setup();
  try {
    const pair = await installerPair();
    dropIn(dir.path, { [CUSTOM_CERT_FILE]: pair.cert });
    // A folder where the key should be: unreadable as a file even for root (a wrong mode is not, for root).
    mkdirSync(join(dir.path, 'tls', CUSTOM_KEY_FILE));
    await assert.rejects(ensureCertificate(deps), (err: unknown) => {
      assert.ok(err instanceof TlsCertificateError);
      assert.equal(err.file, join(dir.path, 'tls', CUSTOM_KEY_FILE));
      assert.match(err.message, /custom-key\.pem cannot be read: EISDIR/);
      return true;
    });
  } finally {
    dir.remove();
  }
});

test("the box's names: host name and name.local, localhost, LAN IPv4 addresses, loopback, a specific bind address", () => {
  const names = certificateNames({
    hostname: 'Spa-Box',
    bind: '0.0.0.0',
    interfaces: {
      lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true, netmask: '255.0.0.0', mac: '', cidr: null }],
      eth0: [
        { address: '192.168.1.20', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null },
        { address: 'fe80::1', family: 'IPv6', internal: false, netmask: 'ffff:ffff:ffff:ffff::', mac: '', cidr: null, scopeid: 2 },
      ],
      wlan0: [{ address: '10.0.0.7', family: 'IPv4', internal: false, netmask: '255.255.255.0', mac: '', cidr: null }],
    },
  });
  assert.deepEqual(names, { dns: ['spa-box', 'spa-box.local', 'localhost'], ips: ['192.168.1.20', '10.0.0.7', '127.0.0.1', '::1'] });
  const fqdn = certificateNames({ hostname: 'box.spa.lan', bind: '192.168.1.20', interfaces: {} });
  assert.deepEqual(fqdn, { dns: ['box.spa.lan', 'localhost'], ips: ['192.168.1.20', '127.0.0.1', '::1'] });
  const odd = certificateNames({ hostname: 'bad_name!', bind: '::', interfaces: {} });
  assert.deepEqual(odd.dns, ['localhost'], 'a host name a certificate cannot carry is left out');
});

test("the daily check renews a running box's certificate when due and hands the new one over; until then nothing changes", { timeout: 20_000 }, async () => {
  const { dir, deps, clock } = setup();
  try {
    const first = await ensureCertificate(deps);
    const served: string[] = [];
    let renewed: (fingerprint: string) => void = () => undefined;
    const handedOver = new Promise<string>((resolve) => (renewed = resolve));
    const renewal = new CertificateRenewal({
      ...deps,
      names: () => NAMES,
      current: first,
      onRenewed: (c) => {
        served.push(c.fingerprint);
        renewed(c.fingerprint);
      },
    });
    renewal.start();
    assert.equal(clock.pendingTimers, 1);
    assert.equal(clock.nextDueIn(), DAY, 'the first check is a day after the start');
    clock.setWallTime(clock.now() + 100 * DAY);
    await renewal.check();
    assert.deepEqual(served, []);
    assert.equal(renewal.current.fingerprint, first.fingerprint);
    clock.setWallTime(first.notAfter - 11 * DAY);
    clock.advance(DAY); // the daily check, 10 days before the end
    const fingerprint = await handedOver;
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(served, [fingerprint]);
    assert.notEqual(fingerprint, first.fingerprint);
    assert.equal(renewal.current.fingerprint, fingerprint);
    assert.equal(clock.pendingTimers, 1, 'the next check is scheduled');
    assert.equal(clock.nextDueIn(), DAY, 'a day later');
    renewal.stop();
    assert.equal(clock.pendingTimers, 0);
  } finally {
    dir.remove();
  }
});

test('the daily check reads the names again: a box started before its network gets a certificate naming its LAN address without a restart', async () => {
  const { dir, deps } = setup();
  try {
    let names: CertificateNames = { dns: NAMES.dns, ips: ['127.0.0.1', '::1'] };
    const atBoot = await ensureCertificate({ ...deps, names });
    const served: TlsCertificate[] = [];
    const renewal = new CertificateRenewal({ ...deps, names: () => names, current: atBoot, onRenewed: (c) => served.push(c) });
    await renewal.check();
    assert.equal(served.length, 0, 'no network yet: nothing to change');
    names = NAMES;
    await renewal.check();
    assert.equal(served.length, 1);
    assert.ok(served[0]?.covers('192.168.1.20'));
  } finally {
    dir.remove();
  }
});

test('a failed renewal check is logged and the certificate being served stays', async () => {
  const { dir, deps, lines } = setup();
  try {
    const first = await ensureCertificate(deps);
    dropIn(dir.path, { [CUSTOM_CERT_FILE]: 'broken' });
    const served: string[] = [];
    const renewal = new CertificateRenewal({ ...deps, names: () => NAMES, current: first, onRenewed: (c) => served.push(c.fingerprint) });
    await renewal.check();
    assert.deepEqual(served, []);
    assert.equal(renewal.current.fingerprint, first.fingerprint);
    assert.ok(lines().some((l) => l.level === 50 && /could not check or renew/.test(l.msg)));
  } finally {
    dir.remove();
  }
});
