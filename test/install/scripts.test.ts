// The appliance's install scripts, unit and firewall are checked by the tools made for them
// (setup.sh installs shellcheck, systemd and nftables). The install itself runs in a Debian
// chroot: npm run test:install (test/install/chroot-install.sh), kept out of npm test for its minutes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tempDir } from '../helpers/spa.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const SCRIPTS = join(ROOT, 'firmware-scripts');
const UNIT = join(SCRIPTS, 'spa-receptionist.service');

test('every shell script of the appliance is shellcheck-clean', async () => {
  const scripts = [
    ...readdirSync(SCRIPTS)
      .filter((f) => f.endsWith('.sh'))
      .map((f) => join(SCRIPTS, f)),
    join(ROOT, 'test/install/chroot-install.sh'),
  ];
  assert.ok(scripts.some((s) => s.endsWith('install.sh')) && scripts.some((s) => s.endsWith('update.sh')));
  const { stdout } = await run('shellcheck', ['--format=gcc', ...scripts]).catch((err: Error & { stdout?: string }) => ({ stdout: err.stdout ?? err.message }));
  assert.equal(stdout, '');
});

test('systemd-analyze verify passes on the unit', async () => {
  const dir = tempDir('spa-unit-');
  try {
    const unit = join(dir.path, 'spa-receptionist.service');
    copyFileSync(UNIT, unit);
    const { stderr } = await run('systemd-analyze', ['verify', unit]);
    assert.equal(stderr.trim(), '');
  } finally {
    dir.remove();
  }
});

test('the unit is Type=notify with a watchdog, restarts on failure, waits for the network and is hardened without capabilities', () => {
  const keys = new Map<string, string[]>();
  for (const line of readFileSync(UNIT, 'utf8').split('\n')) {
    const m = /^(\w+)=(.*)$/.exec(line);
    if (m?.[1] !== undefined) keys.set(m[1], [...(keys.get(m[1]) ?? []), m[2] ?? '']);
  }
  const one = (k: string): string | undefined => keys.get(k)?.at(-1);
  assert.equal(one('Type'), 'notify');
  assert.equal(one('NotifyAccess'), 'all', 'systemd-notify runs as a child of the daemon');
  assert.match(one('WatchdogSec') ?? '', /^\d+s$/);
  assert.equal(one('Restart'), 'on-failure');
  assert.match(one('After') ?? '', /network-online\.target/);
  assert.match(one('Wants') ?? '', /network-online\.target/);
  assert.equal(one('NoNewPrivileges'), 'yes');
  assert.equal(one('ProtectSystem'), 'strict');
  assert.ok(keys.get('ReadWritePaths')?.includes('/var/lib/spa-receptionist'), 'the data dir is writable');
  assert.equal(one('ProtectHome'), 'yes');
  assert.equal(one('PrivateTmp'), 'yes');
  assert.equal(one('CapabilityBoundingSet'), '', 'no capabilities: every port is above 1024');
  assert.equal(one('AmbientCapabilities'), '');
  assert.deepEqual(one('RestrictAddressFamilies')?.split(' ').sort(), ['AF_INET', 'AF_INET6', 'AF_NETLINK', 'AF_UNIX']);
  assert.match(one('MemoryMax') ?? '', /^\d+[MG]$/);
  assert.equal(one('StandardOutput'), 'journal');
  assert.notEqual(one('User'), 'root');
});

test('the firewall ruleset parses (nft -c) and opens only SIP/RTP to the phone networks and the web UI/SSH to the LAN', async () => {
  const file = join(SCRIPTS, 'nftables-spa-receptionist.nft');
  await run('nft', ['-c', '-f', file]);
  const rules = readFileSync(file, 'utf8');
  assert.match(rules, /policy drop;/);
  const accepts = rules.split('\n').filter((l) => /\baccept\s*$/.test(l) && /dport/.test(l));
  for (const line of accepts) {
    if (/\$SIP_PORT|\$RTP_PORTS/.test(line)) assert.match(line, /saddr \$PHONE_NETS/, line);
    else if (/8080|8443|\b22\b/.test(line)) assert.match(line, /saddr \$LAN_NETS/, line);
    else assert.match(line, /dport (68|546|5353)\b/, `unexpected opening: ${line}`);
  }
});
