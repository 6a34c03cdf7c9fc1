// A whole appliance in this process, on loopback, in a temporary data dir.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance, type ApplianceDeps } from '../../appliance/appliance.js';
import type { CallHandler } from '../../appliance/telephony/call-manager.js';
import { resolveSettings } from '../../appliance/config/index.js';
import { createLogger, type Logger } from '../../appliance/log.js';
import { systemClock, type Clock } from '../../appliance/shared/clock.js';
import { freeSipPort } from './sipp.js';
import { tempDir } from './spa.js';
import { ownerApi, TEST_ADMIN_PASSWORD } from './owner-api.js';
import { TEST_PASSWORD_HASHER } from './web.js';
import type { PasswordHasher } from '../../appliance/web/passwords.js';

export { TEST_ADMIN_PASSWORD } from './owner-api.js';

export interface RunningAppliance {
  appliance: Appliance;
  dataDir: string;
  /** Where its speech models are installed. */
  modelsDir: string;
  url: string;
  sipTarget: string;
  rtpRange: { rtpMin: number; rtpMax: number };
  api<T = unknown>(path: string, init?: RequestInit): Promise<T>;
  stop(): Promise<void>;
}

/**
 * A clock that runs from Monday 2026-11-30 10:00 in New York (the demo spa is open), so tests of
 * things that depend on opening hours (transfer to staff) pass whenever the suite runs.
 */
export function openingHoursClock(local = '2026-11-30T10:00:00-05:00'): Clock {
  const offset = Date.parse(local) - Date.now();
  return { ...systemClock, now: () => Date.now() + offset };
}

/** Derived speech models shared by the tests' appliances (kept between runs; keyed by their inputs). */
export const TEST_SPEECH_CACHE = join(tmpdir(), 'spa-test-speech-cache');

let rtpBase = 30000 + 2 * Math.floor(Math.random() * 5000);

export async function startAppliance(
  env: Record<string, string> = {},
  config?: Record<string, unknown>,
  callHandler?: CallHandler,
  opts: {
    clock?: Clock;
    /** The appliance's logger (default: one made from the settings, as main.ts does). */
    log?: Logger;
    /** Where the default logger writes (default: stdout). */
    logDestination?: { write(line: string): void };
    storage?: ApplianceDeps['storage'];
    /** Runs on the (not yet created) data dir's path before the appliance starts. */
    beforeStart?: (dataDir: string) => void;
    /** Password hashing (default TEST_PASSWORD_HASHER: these tests are not about hashing cost). */
    passwordHasher?: PasswordHasher;
    /** The models manifest the web UI installs from (default: the repository's). */
    modelsManifest?: string;
  } = {},
): Promise<RunningAppliance> {
  const dir = tempDir('spa-appliance-');
  const sipPort = await freeSipPort();
  rtpBase += 200;
  if (rtpBase > 60000) rtpBase = 30000;
  const settings = resolveSettings({
    env: {
      SPA_DATA_DIR: join(dir.path, 'data'),
      SPA_BIND: '127.0.0.1',
      SPA_HTTP_PORT: '0',
      SPA_HTTPS_PORT: '0',
      SPA_SIP_PORT: String(sipPort),
      SPA_RTP_PORTS: `${rtpBase}-${rtpBase + 199}`,
      SPA_ADMIN_PASSWORD: TEST_ADMIN_PASSWORD,
      SPA_TIMEZONE: 'America/New_York',
      // The simulated modem, whatever this machine has plugged in.
      SPA_MODEM: 'sim',
      SPA_LOG_LEVEL: process.env.SPA_TEST_LOG_LEVEL ?? 'silent',
      ...env,
    },
    systemTimeZone: 'UTC',
    // The owner's setup wizard is done unless a test asks for a new box (config.setup).
    fileText: JSON.stringify({ version: 1, setup: { finished: true, step: 'models' }, ...config }),
  });
  const appliance = new Appliance({
    settings,
    log: opts.log ?? createLogger({ level: settings.log.level, personalData: settings.log.personalData, ...(opts.logDestination ? { destination: opts.logDestination } : {}) }),
    clock: opts.clock ?? systemClock,
    announce: () => undefined,
    modelsDir: join(dir.path, 'models'),
    ...(opts.modelsManifest ? { modelsManifest: opts.modelsManifest } : {}),
    // One caller language model cache for every test appliance: same catalogue, built once.
    speechCacheDir: TEST_SPEECH_CACHE,
    ...(callHandler ? { callHandler } : {}),
    ...(opts.storage ? { storage: opts.storage } : {}),
    passwordHasher: opts.passwordHasher ?? TEST_PASSWORD_HASHER,
  });
  opts.beforeStart?.(join(dir.path, 'data'));
  await appliance.start();
  const url = appliance.httpUrl;
  const api = ownerApi(url);
  return {
    appliance,
    dataDir: join(dir.path, 'data'),
    modelsDir: join(dir.path, 'models'),
    url,
    sipTarget: `127.0.0.1:${appliance.sipPort}`,
    rtpRange: { rtpMin: settings.rtp.portMin, rtpMax: settings.rtp.portMax },
    api,
    async stop() {
      await appliance.stop();
      dir.remove();
    },
  };
}

