import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { SettingsError } from './errors.js';
import { resolveSettings, type Env } from './load.js';
import type { Settings } from './schema.js';

const ZONE = 'America/Denver';
const resolve = (env: Env = {}, fileText?: string): Settings => resolveSettings({ env, fileText, systemTimeZone: ZONE });
const file = (value: unknown): string => JSON.stringify(value);

/** Asserts a SettingsError naming `setting`, in one line, containing each fragment. */
function assertRejects(run: () => unknown, setting: string, ...fragments: string[]): void {
  assert.throws(run, (err: unknown) => {
    assert.ok(err instanceof SettingsError, `expected SettingsError, got ${String(err)}`);
    assert.equal(err.code, 'SPA_ERR_SETTINGS_INVALID');
    assert.equal(err.setting, setting);
    assert.ok(err.allowed.length > 0);
    assert.doesNotMatch(err.message, /\n/);
    assert.ok(err.message.startsWith(setting) || err.message.includes(setting), err.message);
    for (const fragment of fragments) assert.ok(err.message.includes(fragment), `"${err.message}" lacks "${fragment}"`);
    return true;
  });
}

describe('defaults', () => {
  test('no env and no file gives the embedded defaults with the system time zone', () => {
    assert.deepEqual(resolve(), {
      version: 1,
      dataDir: './data',
      bind: '0.0.0.0',
      sip: { port: 5060 },
      rtp: { portMin: 10000, portMax: 10999 },
      http: { port: 8080 },
      https: { port: 8443 },
      telephony: {
        ringTimeoutS: 20,
        rtpTimeoutS: 30,
        maxCalls: 4,
        allowNetworks: ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'],
        trunkNetworks: [],
        maxCallsPerSource: null,
        invitesPerMinutePerSource: 20,
        natLatching: false,
        record: false,
        transferTo: null,
        registration: { registrar: null, username: '', password: '', expiresS: 600 },
      },
      timeZone: ZONE,
      modem: { device: 'auto' },
      sms: {
        pin: '',
        quietEndHour: 8,
        quietStartHour: 21,
        minIntervalMs: 2000,
        dailyCap: 300,
        textBack: 'Sorry we missed your call at {spa}. How can we help? You can book right here by text.',
        reminderHours: 24,
        staffNumbers: [],
      },
      adminPassword: null,
      agent: {
        disclosure: "I'm the spa's virtual receptionist.",
        greeting: 'Thank you for calling {spa}.',
        recordingNotice: 'This call is recorded for quality.',
        mode: 'receptionist',
        llmBudgetMs: 1200,
      },
      demo: null,
      booking: { minNoticeMin: 120, slotIntervalMin: 15, holdTtlS: 300, horizonDays: 90 },
      setup: { step: '', finished: false },
      web: { sessionIdleMin: 30, sessionMaxHours: 12 },
      retention: { recordingsDays: 30, transcriptsDays: 90, conversationsDays: 90, messagesDays: 90 },
      backup: { keepDays: 14, hour: 3, usbDir: null },
      log: { level: 'info', personalData: false },
    });
  });

  test('telephony file settings: networks, transfer target and registrar are checked', () => {
    const s = resolve({}, file({ version: 1, telephony: { allowNetworks: ['192.168.5.0/24'], transferTo: '201', registration: { registrar: 'pbx.local:5060', username: '250', password: 'pw' } } }));
    assert.deepEqual(s.telephony.allowNetworks, ['192.168.5.0/24']);
    assert.equal(s.telephony.registration.registrar, 'pbx.local:5060');
    assertRejects(() => resolve({}, file({ version: 1, telephony: { allowNetworks: ['192.168.5.0/33'] } })), 'config.json telephony.allowNetworks', 'list of networks');
    assertRejects(() => resolve({}, file({ version: 1, telephony: { transferTo: 'front desk' } })), 'config.json telephony.transferTo', 'extension or phone number');
    assertRejects(() => resolve({}, file({ version: 1, telephony: { registration: { registrar: 'http://x' } } })), 'config.json telephony.registration.registrar', 'PBX address');
  });

  test('an empty env value counts as unset', () => {
    assert.equal(resolve({ SPA_SIP_PORT: '', SPA_DEMO: '' }).sip.port, 5060);
  });

  test('an invalid system time zone asks for SPA_TIMEZONE, unless SPA_TIMEZONE is set', () => {
    assertRejects(() => resolveSettings({ env: {}, systemTimeZone: 'Nowhere/Land' }), 'SPA_TIMEZONE', '"Nowhere/Land"');
    assert.equal(resolveSettings({ env: { SPA_TIMEZONE: 'Asia/Tokyo' }, systemTimeZone: 'Nowhere/Land' }).timeZone, 'Asia/Tokyo');
  });
});

describe('env overrides', () => {
  const cases: [name: string, text: string, pick: (s: Settings) => unknown, expected: unknown][] = [
    ['SPA_DATA_DIR', '/var/lib/spa', (s) => s.dataDir, '/var/lib/spa'],
    ['SPA_BIND', '127.0.0.1', (s) => s.bind, '127.0.0.1'],
    ['SPA_BIND', '::1', (s) => s.bind, '::1'],
    ['SPA_SIP_PORT', '5070', (s) => s.sip.port, 5070],
    ['SPA_RTP_PORTS', '20000-20999', (s) => s.rtp, { portMin: 20000, portMax: 20999 }],
    ['SPA_HTTP_PORT', '9090', (s) => s.http.port, 9090],
    ['SPA_HTTPS_PORT', '9443', (s) => s.https.port, 9443],
    ['SPA_RING_TIMEOUT_S', '0', (s) => s.telephony.ringTimeoutS, 0],
    ['SPA_TIMEZONE', 'Europe/Paris', (s) => s.timeZone, 'Europe/Paris'],
    ['SPA_MODEM', 'sim', (s) => s.modem.device, 'sim'],
    ['SPA_MODEM', '/dev/ttyUSB2', (s) => s.modem.device, '/dev/ttyUSB2'],
    ['SPA_ADMIN_PASSWORD', 'correct horse', (s) => s.adminPassword, 'correct horse'],
    ['SPA_DEMO', '0', (s) => s.demo, false],
    ['SPA_DEMO', 'yes', (s) => s.demo, true],
    ['SPA_DEMO', 'FALSE', (s) => s.demo, false],
    ['SPA_LOG_LEVEL', 'debug', (s) => s.log.level, 'debug'],
    ['SPA_LOG_PERSONAL', '1', (s) => s.log.personalData, true],
    ['SPA_LOG_PERSONAL', 'no', (s) => s.log.personalData, false],
  ];
  for (const [name, text, pick, expected] of cases) {
    test(`${name}=${text} overrides the default`, () => {
      assert.deepEqual(pick(resolve({ [name]: text })), expected);
    });
  }
});

describe('config file', () => {
  test('file values override the defaults and leave the rest at default', () => {
    const s = resolve({}, file({ version: 1, telephony: { ringTimeoutS: 45 }, booking: { slotIntervalMin: 30 }, timeZone: 'Europe/Oslo' }));
    assert.equal(s.telephony.ringTimeoutS, 45);
    assert.equal(s.booking.slotIntervalMin, 30);
    assert.equal(s.booking.horizonDays, 90);
    assert.equal(s.timeZone, 'Europe/Oslo');
    assert.equal(s.sip.port, 5060);
  });

  test('env beats the file, which beats the defaults', () => {
    const text = file({ version: 1, sip: { port: 5070 }, http: { port: 9000 }, rtp: { portMin: 30000, portMax: 30999 } });
    const s = resolve({ SPA_SIP_PORT: '5080', SPA_RTP_PORTS: '40000-40999' }, text);
    assert.equal(s.sip.port, 5080);
    assert.deepEqual(s.rtp, { portMin: 40000, portMax: 40999 });
    assert.equal(s.http.port, 9000);
  });

  test('an env value replaces a bad file value, so the file error does not stop the start', () => {
    assert.equal(resolve({ SPA_SIP_PORT: '5070' }, file({ version: 1, sip: { port: 'x' } })).sip.port, 5070);
  });

  test('a byte-order mark before the JSON is accepted', () => {
    assert.equal(resolve({}, `\uFEFF${file({ version: 1, http: { port: 8081 } })}`).http.port, 8081);
  });
});

describe('bad values give one line naming the setting and what is allowed', () => {
  test('ring timeout from env: not a number, and out of range', () => {
    assertRejects(
      () => resolve({ SPA_RING_TIMEOUT_S: 'abc' }),
      'SPA_RING_TIMEOUT_S',
      'SPA_RING_TIMEOUT_S=abc is not allowed: a whole number of seconds from 0 to 300',
    );
    assertRejects(() => resolve({ SPA_RING_TIMEOUT_S: '301' }), 'SPA_RING_TIMEOUT_S', '=301', '0 to 300');
    assertRejects(() => resolve({ SPA_RING_TIMEOUT_S: '2.5' }), 'SPA_RING_TIMEOUT_S', 'whole number');
  });

  test('ring timeout from the file names the config.json key path', () => {
    assertRejects(
      () => resolve({}, file({ version: 1, telephony: { ringTimeoutS: 400 } })),
      'config.json telephony.ringTimeoutS',
      'config.json telephony.ringTimeoutS=400 is not allowed: a whole number of seconds from 0 to 300',
    );
  });

  test('ports: SIP must be 1-65535; HTTP and HTTPS 1-65535 or 0 for any free port, HTTPS 8443 by default', () => {
    assertRejects(() => resolve({ SPA_SIP_PORT: '70000' }), 'SPA_SIP_PORT', '=70000', '1 to 65535');
    assertRejects(() => resolve({ SPA_SIP_PORT: '0' }), 'SPA_SIP_PORT', '1 to 65535');
    assertRejects(() => resolve({ SPA_HTTP_PORT: '65536' }), 'SPA_HTTP_PORT', '1 to 65535, or 0');
    assert.equal(resolve({ SPA_HTTP_PORT: '0' }).http.port, 0);
    assertRejects(() => resolve({}, file({ version: 1, http: { port: '80' } })), 'config.json http.port', '="80"', '1 to 65535');
    assertRejects(() => resolve({ SPA_HTTPS_PORT: 'https' }), 'SPA_HTTPS_PORT', '1 to 65535, or 0');
    assert.equal(resolve({ SPA_HTTPS_PORT: '0' }).https.port, 0);
    assert.equal(resolve({}).https.port, 8443);
  });

  test('rtp range: must read MIN-MAX, MIN even and below MAX, within 1024-65535', () => {
    for (const text of ['10000', '10001-10999', '20000-10000', '1000-1999', '60000-70000']) {
      assertRejects(() => resolve({ SPA_RTP_PORTS: text }), 'SPA_RTP_PORTS', `=${text}`, 'MIN-MAX', 'MIN even and below MAX');
    }
    assertRejects(() => resolve({}, file({ version: 1, rtp: { portMin: 20000 } })), 'config.json rtp.portMin', 'below rtp.portMax');
    assertRejects(() => resolve({}, file({ version: 1, rtp: { portMin: 20001, portMax: 20999 } })), 'config.json rtp.portMin', 'even');
  });

  test('time zone must be an IANA zone', () => {
    assertRejects(() => resolve({ SPA_TIMEZONE: 'Mars/Olympus' }), 'SPA_TIMEZONE', '=Mars/Olympus', 'IANA time zone');
    assertRejects(() => resolve({}, file({ version: 1, timeZone: 'EST5' })), 'config.json timeZone', '"EST5"', 'IANA');
  });

  test('modem must be auto, sim or an absolute device path', () => {
    assertRejects(() => resolve({ SPA_MODEM: 'ttyUSB2' }), 'SPA_MODEM', '=ttyUSB2', '"auto", "sim"', '/dev/ttyUSB2');
  });

  test('bind must be an IPv4 or IPv6 address', () => {
    assertRejects(() => resolve({ SPA_BIND: 'localhost' }), 'SPA_BIND', '=localhost', 'IPv4 or IPv6 address');
    assertRejects(() => resolve({ SPA_BIND: '300.1.1.1' }), 'SPA_BIND', 'IPv4 or IPv6');
  });

  test('demo takes 1/0/true/false/yes/no from env and a boolean or null in the file', () => {
    assertRejects(() => resolve({ SPA_DEMO: 'maybe' }), 'SPA_DEMO', '=maybe', '1, 0, true, false, yes or no');
    assertRejects(() => resolve({}, file({ version: 1, demo: 'yes' })), 'config.json demo', 'true, false or null');
  });

  test('a too-short admin password is rejected without echoing it', () => {
    assert.throws(
      () => resolve({ SPA_ADMIN_PASSWORD: 'hunter2' }),
      (err: unknown) => {
        assert.ok(err instanceof SettingsError);
        assert.equal(err.setting, 'SPA_ADMIN_PASSWORD');
        assert.match(err.message, /at least 8 characters/);
        assert.doesNotMatch(err.message, /hunter2/);
        return true;
      },
    );
  });

  test('log level and booking values name their allowed values', () => {
    assertRejects(() => resolve({ SPA_LOG_LEVEL: 'verbose' }), 'SPA_LOG_LEVEL', 'fatal, error, warn, info, debug, trace, silent');
    assertRejects(() => resolve({}, file({ version: 1, booking: { slotIntervalMin: 7 } })), 'config.json booking.slotIntervalMin', '5, 10, 15, 20, 30, 60');
    assertRejects(() => resolve({}, file({ version: 1, booking: { holdTtlS: 5 } })), 'config.json booking.holdTtlS', '30 to 3600');
  });

  test('an unknown key in the file is rejected with the keys allowed there', () => {
    assertRejects(
      () => resolve({}, file({ version: 1, telephony: { ringTimeout: 25 } })),
      'config.json telephony.ringTimeout',
      'is not a known setting',
      'ringTimeoutS',
    );
    assertRejects(() => resolve({}, file({ version: 1, telephoney: {} })), 'config.json telephoney', 'telephony');
  });

  test('a section that is not an object names the keys it takes', () => {
    assertRejects(() => resolve({}, file({ version: 1, telephony: 5 })), 'config.json telephony', 'ringTimeoutS');
  });

  test('dataDir and adminPassword in the file are refused: only the environment sets them', () => {
    assertRejects(() => resolve({}, file({ version: 1, adminPassword: 'long enough' })), 'config.json adminPassword', 'SPA_ADMIN_PASSWORD');
    assertRejects(() => resolve({}, file({ version: 1, dataDir: '/tmp' })), 'config.json dataDir', 'SPA_DATA_DIR');
  });

  test('invalid JSON and a non-object file each give one line', () => {
    assertRejects(() => resolve({}, '{"version": 1,'), 'config.json', 'not valid JSON');
    assertRejects(() => resolve({}, ''), 'config.json', 'not valid JSON');
    assertRejects(() => resolve({}, '[1, 2]'), 'config.json', 'JSON object');
  });
});
