// The box as a registered extension of a real SIP proxy: Debian's kamailio on loopback
// (test/fixtures/kamailio/kamailio.cfg) challenges the box's REGISTER with digest auth and
// routes calls for extension 250 to the contact the box registered.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startAppliance, type RunningAppliance } from '../helpers/appliance.js';
import { startKamailio, type RunningKamailio } from '../helpers/kamailio.js';
import { runSipp } from '../helpers/sipp.js';

interface Health {
  sip: { listening: boolean; registered: boolean | null; mode: string };
}

interface CallView {
  id: number;
  outcome: string | null;
  endReason: string;
  codec: string | null;
  caller: { phone: string | null };
}

const EXTENSION = '250';
const PASSWORD = 'secret';

function registeredBox(proxy: RunningKamailio, password: string, env: Record<string, string> = {}): Promise<RunningAppliance> {
  return startAppliance(env, {
    telephony: { registration: { registrar: proxy.address, username: EXTENSION, password, expiresS: 60 } },
  });
}

/** Bounded poll of /api/health until sip.registered is true; returns what health said last. */
async function untilRegistered(box: RunningAppliance, timeoutMs: number): Promise<Health> {
  const by = Date.now() + timeoutMs;
  for (;;) {
    const health = await box.api<Health>('/api/health');
    if (health.sip.registered === true || Date.now() > by) return health;
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('the box registers through kamailio: its first REGISTER gets a 401 qop=auth challenge, the REGISTER with digest credentials for 250 is accepted, and health says registered', async () => {
  const proxy = await startKamailio({ user: EXTENSION, password: PASSWORD });
  try {
    const box = await registeredBox(proxy, PASSWORD);
    try {
      const [saved] = await proxy.waitFor(/^registered /);
      const health = await untilRegistered(box, 5_000);
      assert.equal(health.sip.registered, true, `health after kamailio saved the location: ${JSON.stringify(health.sip)}`);
      assert.equal(health.sip.mode, 'registered extension');

      const log = proxy.events();
      const challenged = log.findIndex((l) => l.startsWith(`challenge REGISTER sip:${EXTENSION}@127.0.0.1`));
      const authorized = log.findIndex((l) => l.startsWith(`auth-ok REGISTER sip:${EXTENSION}@127.0.0.1`));
      assert.ok(challenged >= 0, `kamailio challenged the first REGISTER:\n${log.join('\n')}`);
      assert.ok(authorized > challenged, `the REGISTER with credentials came after the challenge:\n${log.join('\n')}`);
      const credentials = log[authorized] ?? '';
      assert.match(credentials, /Digest /);
      assert.match(credentials, new RegExp(`username="${EXTENSION}"`));
      assert.match(credentials, /realm="127\.0\.0\.1"/);
      assert.match(credentials, /qop=("?)auth\1/, 'the box answered the qop=auth challenge with qop=auth');
      assert.match(credentials, /nc=0*1\b/);
      assert.ok(!log.some((l) => l.startsWith('auth-failed')), `no failed digest check:\n${log.join('\n')}`);
      // The location kamailio stored is the box's own SIP address, so calls can reach it.
      assert.match(saved ?? '', new RegExp(`contact=\\[<sip:${EXTENSION}@${box.sipTarget.replaceAll('.', '\\.')}>`), saved);
    } finally {
      await box.stop();
    }
  } finally {
    await proxy.stop();
  }
});

test('a wrong extension password is refused: kamailio logs the failed digest check on every attempt and health never says registered', async () => {
  const proxy = await startKamailio({ user: EXTENSION, password: PASSWORD });
  try {
    const box = await registeredBox(proxy, 'not-the-password');
    try {
      // The first attempt and the box's retry after its back-off (~2 s) both fail the digest check.
      const failures = await proxy.waitFor(new RegExp(`^auth-failed REGISTER sip:${EXTENSION}@127\\.0\\.0\\.1\\S* user=${EXTENSION} rc=-2 `), { count: 2, timeoutMs: 10_000 });
      assert.equal(failures.length >= 2, true);
      const health = await box.api<Health>('/api/health');
      assert.equal(health.sip.registered, false, `health after two refused REGISTERs: ${JSON.stringify(health.sip)}`);
      const log = proxy.events();
      assert.ok(!log.some((l) => l.startsWith('registered ')), `kamailio never saved a location:\n${log.join('\n')}`);
      // /api/health exposes only sip.registered, not the registration's lastError ("401 Unauthorized").
    } finally {
      await box.stop();
    }
  } finally {
    await proxy.stop();
  }
});

test('a call to extension 250 through kamailio reaches the box at its registered contact, is answered, the BYE passes the proxy, and the call is logged ai-handled', async () => {
  const proxy = await startKamailio({ user: EXTENSION, password: PASSWORD });
  try {
    const box = await registeredBox(proxy, PASSWORD, { SPA_RING_TIMEOUT_S: '0' });
    try {
      await proxy.waitFor(/^registered /);
      assert.equal((await untilRegistered(box, 5_000)).sip.registered, true, 'registered before the call');

      const r = await runSipp({ scenario: 'uac-via-proxy.xml', target: proxy.address, args: ['-s', EXTENSION, '-d', '1000'], timeoutMs: 30_000 });
      const log = proxy.events();
      const routed = log.find((l) => l.startsWith('route INVITE to registered contact '));
      assert.ok(routed, `kamailio found the box's registered contact for ${EXTENSION}:\n${log.join('\n')}\nsipp:\n${r.errors || r.stderr}`);
      assert.match(routed, new RegExp(`sip:${EXTENSION}@${box.sipTarget.replaceAll('.', '\\.')}`), 'the INVITE was forwarded to the box');
      const fromBox = log.filter((l) => l.startsWith('reply ') && l.includes(` to INVITE from ${box.sipTarget} `));
      const final = fromBox.find((l) => /^reply [2-6]\d\d /.test(l));
      const contact = /^route INVITE to registered contact (\S+)/.exec(routed)?.[1] ?? routed;
      assert.ok(
        final?.startsWith('reply 200 '),
        `kamailio forwarded the INVITE to the box's registered contact ${contact} and the box answered ` +
          `"${final ?? 'nothing'}" instead of 200 OK` +
          (final?.startsWith('reply 404 ') ? ` (404: the box does not accept a Request-URI equal to the Contact it registered itself)` : '') +
          `.\nkamailio KTEST log:\n${log.join('\n')}\nsipp:\n${r.errors || r.stderr}`,
      );
      assert.equal(r.code, 0, `sipp's call through kamailio failed:\n${r.errors || r.stderr}\nkamailio KTEST log:\n${log.join('\n')}`);
      assert.ok(log.some((l) => l.startsWith('in-dialog ACK loose-routed')), `the ACK went through the proxy:\n${log.join('\n')}`);
      assert.ok(log.some((l) => l.startsWith('in-dialog BYE loose-routed')), `the BYE went through the proxy:\n${log.join('\n')}`);
      assert.ok(log.some((l) => l.startsWith('reply 200 OK to BYE from ' + box.sipTarget)), `the box's 200 to the BYE came back through the proxy:\n${log.join('\n')}`);

      const { calls } = await box.api<{ calls: CallView[] }>('/api/calls');
      assert.equal(calls.length, 1, JSON.stringify(calls));
      const call = calls[0] as CallView;
      assert.equal(call.outcome, 'ai-handled');
      assert.equal(call.endReason, 'caller hung up');
      assert.equal(call.codec, 'PCMA/8000');
      assert.equal(call.caller.phone, '+12035550188');
    } finally {
      await box.stop();
    }
  } finally {
    await proxy.stop();
  }
});
