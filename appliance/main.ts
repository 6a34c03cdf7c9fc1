// The daemon's entry point: reads settings from the environment and config file, starts the
// appliance, and stops it cleanly on SIGTERM / SIGINT.
import { Appliance } from './appliance.js';
import { loadSettings, SettingsError } from './config/index.js';
import { createLogger } from './log.js';
import { TlsCertificateError } from './web/tls.js';

async function main(): Promise<void> {
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
  const log = createLogger({ level: settings.log.level });
  const appliance = new Appliance({
    settings,
    log,
    clock: { now: () => Date.now() },
    ...(process.env.SPA_MODELS_DIR ? { modelsDir: process.env.SPA_MODELS_DIR } : {}),
  });

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'stopping');
    appliance.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        log.error({ err }, 'stop failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => log.error({ err }, 'unhandled rejection'));

  try {
    await appliance.start();
  } catch (err) {
    if (err instanceof TlsCertificateError) {
      // The installer's certificate or key: one line naming the file, like a bad setting.
      console.error(`spa-receptionist: ${err.message}`);
      await appliance.stop().catch(() => undefined);
      process.exit(2);
    }
    log.fatal({ err }, 'start failed');
    await appliance.stop().catch(() => undefined);
    process.exit(1);
  }
}

void main();
