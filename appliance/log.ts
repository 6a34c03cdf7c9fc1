// Logging: pino JSON lines. Personal data (phone numbers, names, transcripts) never goes in the
// message text; it goes under the `pii` field, which is removed from every line unless the
// support switch (`log.personalData`, SPA_LOG_PERSONAL=1) is on, so that logs can be handed to
// support without patient data. A few field names that can only hold personal data are removed
// too, as a net for a log call that forgets to put them under `pii`.
import pino, { type Logger } from 'pino';

export type { Logger };

export interface LogOptions {
  level: string;
  /** Keep personal data (the `pii` field and the net below) in the log: support only. Default false. */
  personalData?: boolean;
  destination?: pino.DestinationStream;
}

/** Fields that hold nothing but personal data: removed at the top level and one level down. */
export const PERSONAL_FIELDS = ['pii', 'phone', 'callerPhone', 'callerName', 'displayName', 'transcript', 'callerText', 'replyText'] as const;

/** pino redact paths for the personal fields. */
export const PERSONAL_PATHS: readonly string[] = PERSONAL_FIELDS.flatMap((f) => [f, `*.${f}`]);

export function createLogger(opts: LogOptions): Logger {
  const options: pino.LoggerOptions = {
    level: opts.level,
    base: { app: 'spa-receptionist' },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: opts.personalData === true ? { paths: [] } : { paths: [...PERSONAL_PATHS], remove: true },
  };
  return opts.destination ? pino(options, opts.destination) : pino(options);
}
