// Logging: pino JSON lines. Personal data (phone numbers, names, transcripts) never goes in the
// message text; it goes under the `pii` field, which `redactPersonal` removes so that logs can be
// handed to support without patient data.
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level: string;
  redactPersonal?: boolean;
  destination?: pino.DestinationStream;
}

export function createLogger(opts: LogOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { app: 'spa-receptionist' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: opts.redactPersonal ? { paths: ['pii', '*.pii'], remove: true } : { paths: [] },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
