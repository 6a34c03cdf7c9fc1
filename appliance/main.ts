// The daemon's entry point: reads settings from the environment and config file, starts the
// appliance, and stops it cleanly on SIGTERM / SIGINT (calls are ended with BYE and their
// recordings closed first, within a bound).
import { Appliance } from './appliance.js';
import { loadSettings, SettingsError } from './config/index.js';
import { CrashGuard } from './crash-guard.js';
import { createLogger } from './log.js';
import { systemClock } from './shared/clock.js';
import { ModuleStartError } from './shared/modules.js';
import { TlsCertificateError } from './web/tls.js';
import { PRIVATE_UMASK } from './store/private-files.js';
import { systemdNotifier, watchdogPeriodMs } from './ops/service-notifier.js';
import { ServiceWatchdog } from './ops/watchdog.js';

/** A stop that takes longer than this (calls get 5 s of it to end) exits anyway. */
const STOP_LIMIT_MS = 15_000;

async function main(): Promise<void> {
  // Everything the daemon creates (database, config, recordings, certificates, temp files) is
  // for its own user only; the data dir's modules also set modes explicitly.
  process.umask(PRIVATE_UMASK);
  let settings;
  try {
    settings = await loadSettings({ env: process.env, systemTimeZone: Intl.DateTimeFormat().resolvedOptions().timeZone });
  } catch (err) {
    if (err instanceof SettingsError) {
      console.error(`spa-receptionist: ${err.message}`);
      process.exit(2);
    }
    throw err;
  }
  const log = createLogger({ level: settings.log.level, personalData: settings.log.personalData });
  const appliance = new Appliance({
    settings,
    log,
    clock: systemClock,
    ...(process.env.SPA_MODELS_DIR ? { modelsDir: process.env.SPA_MODELS_DIR } : {}),
    ...(process.env.SPA_MODELS_MANIFEST ? { modelsManifest: process.env.SPA_MODELS_MANIFEST } : {}),
    ...(process.env.SPA_SPEECH_CACHE_DIR ? { speechCacheDir: process.env.SPA_SPEECH_CACHE_DIR } : {}),
  });

  // Under systemd (Type=notify): READY=1 once started, WATCHDOG=1 only while the event loop,
  // the database and the SIP socket are healthy, STOPPING=1 on the way down.
  const notifier = systemdNotifier(process.env);
  const watchdog = notifier
    ? new ServiceWatchdog({
        clock: systemClock,
        log,
        notifier,
        periodMs: watchdogPeriodMs(process.env, process.pid),
        problems: () => {
          const h = appliance.health();
          return [...(h.db === 'ok' ? [] : ['database']), ...(h.sip.listening ? [] : ['sip'])];
        },
      })
    : null;

  let stopping = false;
  const stop = (why: string, code: number): void => {
    if (stopping) return;
    stopping = true;
    log.info({ why }, 'stopping');
    void watchdog?.stop();
    setTimeout(() => {
      log.error({ limitMs: STOP_LIMIT_MS }, 'stop took too long: exiting');
      process.exit(code || 1);
    }, STOP_LIMIT_MS).unref();
    appliance.stop().then(
      () => process.exit(code),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM', 0));
  process.on('SIGINT', () => stop('SIGINT', 0));
  const guard = new CrashGuard({
    log,
    clock: systemClock,
    events: process,
    healthy: () => {
      const h = appliance.health();
      return h.db === 'ok' && h.sip.listening;
    },
    // 70: EX_SOFTWARE; the service manager restarts the daemon.
    shutdown: (why) => stop(`uncaught error: ${why}`, 70),
  });
  guard.start();

  try {
    await appliance.start();
  } catch (err) {
    const cause = err instanceof ModuleStartError ? err.cause : err;
    if (cause instanceof TlsCertificateError) {
      // The installer's certificate or key: one line naming the file, like a bad setting.
      console.error(`spa-receptionist: ${cause.message}`);
      await appliance.stop().catch(() => undefined);
      process.exit(2);
    }
    log.fatal({ err }, 'start failed');
    await appliance.stop().catch(() => undefined);
    process.exit(1);
  }
  if (watchdog && !stopping) {
    await watchdog.start().catch((err: unknown) => log.error({ err }, 'could not tell systemd the daemon is ready'));
  }
}

void main();
