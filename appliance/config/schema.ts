// The appliance's settings: one zod schema with every default, and the words that tell a user
// what each setting allows (attached with .describe() so errors and schema cannot drift apart).
import { isIP } from 'node:net';
import { posix } from 'node:path';
import { IANAZone } from 'luxon';
import { z } from 'zod';

/** Version of the stored settings shape; migrate.ts has one migration per step up to it. */
export const SETTINGS_VERSION = 1;

export const DEFAULT_DATA_DIR = './data';

/** pino's levels, plus `silent`. */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

export const SLOT_INTERVALS_MIN = [5, 10, 15, 20, 30, 60] as const;

/**
 * Used only when the loader is given no system time zone; the loader normally supplies
 * the machine's zone as the default (read by the caller, never at module load).
 */
export const FALLBACK_TIME_ZONE = 'UTC';

/** Loopback and the private LAN ranges: who may send calls unless configured otherwise. */
const DEFAULT_NETWORKS = ['127.0.0.0/8', '10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16', '::1/128', 'fc00::/7', 'fe80::/10'];

function isCidr(s: string): boolean {
  const [addr, bits, extra] = s.split('/');
  const family = isIP(addr ?? '');
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  return /^\d{1,3}$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128);
}

const wholeNumber = (min: number, max: number, unit = '') =>
  z
    .number()
    .int()
    .min(min)
    .max(max)
    .describe(`a whole number${unit} from ${min} to ${max}`);

const keepDays = wholeNumber(1, 3650, ' of days').nullable().describe('a whole number of days from 1 to 3650, or null (keep)');

const port = (min = 1) => wholeNumber(min, 65535).describe(`a port number from ${min} to 65535`);

const rtpSchema = z
  .strictObject({
    portMin: port(1024)
      .refine((n) => n % 2 === 0)
      .describe('an even port number from 1024 to 65534, below rtp.portMax')
      .default(10000),
    portMax: port(1024).describe('a port number from 1024 to 65535, above rtp.portMin').default(10999),
  })
  .refine((r) => r.portMin < r.portMax)
  .describe('an even rtp.portMin below rtp.portMax, both from 1024 to 65535');

const modemDevice = z
  .string()
  .refine((s) => s === 'auto' || s === 'sim' || (posix.isAbsolute(s) && s.length > 1 && !s.includes('\0')))
  .describe('"auto", "sim", or the absolute path of a serial device such as /dev/ttyUSB2');

export const settingsSchema = z.strictObject({
  version: z.literal(SETTINGS_VERSION).default(SETTINGS_VERSION),
  /** From SPA_DATA_DIR only: config.json lives inside it. */
  dataDir: z.string().min(1).default(DEFAULT_DATA_DIR).describe('a directory path'),
  bind: z
    .string()
    .refine((s) => isIP(s) !== 0)
    .default('0.0.0.0')
    .describe('an IPv4 or IPv6 address such as 0.0.0.0, 127.0.0.1 or ::'),
  sip: z.strictObject({ port: port().default(5060) }).prefault({}),
  rtp: rtpSchema.prefault({}),
  http: z
    .strictObject({
      /** 0 = any free port (tests; the ready line names the one chosen). */
      port: wholeNumber(0, 65535).describe('a port number from 1 to 65535, or 0 for any free port').default(8080),
    })
    .prefault({}),
  /** The web UI and API over TLS; the HTTP port then redirects here, except for loopback clients. */
  https: z
    .strictObject({
      /** 0 = any free port (tests; the ready line names the one chosen). */
      port: wholeNumber(0, 65535).describe('a port number from 1 to 65535, or 0 for any free port').default(8443),
    })
    .prefault({}),
  telephony: z
    .strictObject({
      /** 0 = answer at once. */
      ringTimeoutS: wholeNumber(0, 300, ' of seconds').default(20),
      /** Hang up after this long without RTP from the caller (not while on hold). */
      rtpTimeoutS: wholeNumber(5, 600, ' of seconds').default(30),
      /** Calls the box talks on at once; more ringing callers get 486 Busy Here. */
      maxCalls: wholeNumber(1, 256, ' of calls').default(4),
      /** Networks that may send SIP (CIDR); anything else is dropped unread. Default: loopback and private LANs. */
      allowNetworks: z
        .array(z.string().refine((s) => isCidr(s)))
        .min(1)
        .describe('a list of networks such as ["192.168.1.0/24", "10.0.0.0/8"]')
        .default([...DEFAULT_NETWORKS]),
      /** The PBX or trunk that forwards every caller (CIDR): may use every line. The registrar always may. */
      trunkNetworks: z
        .array(z.string().refine((s) => isCidr(s)))
        .describe('a list of networks or addresses such as ["192.168.1.10/32"]')
        .default([]),
      /** Calls one other source may hold at once; null: all lines but one. */
      maxCallsPerSource: wholeNumber(1, 256, ' of calls').nullable().default(null).describe('a whole number of calls from 1 to 256, or null (all lines but one)'),
      /** New INVITEs one non-trunk source may send per minute (after a burst of up to 10). */
      invitesPerMinutePerSource: wholeNumber(1, 600, ' of calls').default(20),
      /** The phone system is behind NAT: take RTP from the SDP's or signalling address on any port, and answer there. */
      natLatching: z.boolean().default(false).describe('true or false'),
      /** Record calls (stereo WAV, caller left, box right) into the data dir. */
      record: z.boolean().default(false).describe('true or false'),
      /** Where "a person, please" goes: an extension or number the PBX routes, or a SIP URI. */
      transferTo: z
        .string()
        .max(200)
        .regex(/^(sips?:\S+|\+?[0-9*#]{1,32})$/)
        .nullable()
        .default(null)
        .describe('an extension or phone number (e.g. 201 or +15551234567) or a SIP URI, or null'),
      /** Registered-extension mode: REGISTER to the PBX with digest auth. */
      registration: z
        .strictObject({
          registrar: z
            .string()
            .max(200)
            .regex(/^(sips?:)?[\w.-]+(:\d{1,5})?(;transport=(udp|tcp))?$/i)
            .nullable()
            .default(null)
            .describe('the PBX address such as 192.168.1.10, pbx.local:5060 or sip:pbx.local;transport=tcp, or null (no registration)'),
          username: z.string().max(100).default('').describe('the extension user name'),
          password: z.string().max(200).default('').describe('the extension password'),
          expiresS: wholeNumber(60, 86400, ' of seconds').default(600),
        })
        .prefault({}),
    })
    .prefault({}),
  timeZone: z
    .string()
    .refine((s) => IANAZone.isValidZone(s))
    .default(FALLBACK_TIME_ZONE)
    .describe('an IANA time zone such as America/Chicago or Europe/Paris'),
  modem: z.strictObject({ device: modemDevice.default('auto') }).prefault({}),
  /** Texting through the modem: the SIM's PIN, when automated texts may go out, and how fast. */
  sms: z
    .strictObject({
      /** The SIM's PIN, tried once per start (three wrong tries lock the SIM); '' = none. */
      pin: z.string().regex(/^(\d{4,8})?$/).default('').describe('4 to 8 digits, or "" for none'),
      /** Reminders and other automated texts go out only from this hour (spa time) ... */
      quietEndHour: wholeNumber(0, 23, ' (hour)').default(8),
      /** ... until this hour; queued otherwise. A missed-call text-back answers the caller at once. */
      quietStartHour: wholeNumber(1, 24, ' (hour)').default(21),
      /** At most one text handed to the modem per this many ms (carrier person-to-person norms). */
      minIntervalMs: wholeNumber(0, 60000, ' of milliseconds').default(2000),
      /** At most this many texts per day (spa time). */
      dailyCap: wholeNumber(1, 10000).default(300),
      /** The missed-call text; {spa} is replaced with the spa's name; '' turns text-back off. */
      textBack: z
        .string()
        .max(300)
        .default('Sorry we missed your call at {spa}. How can we help? You can book right here by text.')
        .describe('a sentence; {spa} is the spa name, or "" for no text-back'),
      /** The reminder goes this many hours before the appointment; 0 = no reminders. */
      reminderHours: wholeNumber(0, 168, ' of hours').default(24),
      /** Staff numbers (E.164): never texted back; staff alert texts (urgent messages, handoffs) go to them. */
      staffNumbers: z
        .array(z.string().regex(/^\+[1-9]\d{6,14}$/, 'a phone number in international form, such as +15551230000'))
        .max(50)
        .default([])
        .describe('a list of phone numbers such as ["+15551230000"]'),
    })
    .prefault({}),
  /** From SPA_ADMIN_PASSWORD only; never stored. null = print a one-time password at first start. */
  adminPassword: z.string().min(8).nullable().default(null).describe('a password of at least 8 characters'),
  /** null = seed the demo spa when the database is new. */
  demo: z.boolean().nullable().default(null).describe('true, false or null (seed the demo spa when the database is new)'),
  booking: z
    .strictObject({
      minNoticeMin: wholeNumber(0, 10080, ' of minutes').default(120),
      slotIntervalMin: z
        .literal(SLOT_INTERVALS_MIN)
        .default(15)
        .describe(`one of ${SLOT_INTERVALS_MIN.join(', ')} (minutes)`),
      holdTtlS: wholeNumber(30, 3600, ' of seconds').default(300),
      horizonDays: wholeNumber(1, 365, ' of days').default(90),
    })
    .prefault({}),
  /** What the receptionist says about itself; what a spa must say depends on its state's law. */
  agent: z
    .strictObject({
      /** The AI disclosure said in the greeting; '' leaves it out (check your state's rules first). */
      disclosure: z.string().max(300).default("I'm the spa's virtual receptionist.").describe('a sentence, or "" for none'),
      /** Said in the greeting when calls are recorded; '' leaves it out (check consent rules first). */
      recordingNotice: z.string().max(300).default('This call is recorded for quality.').describe('a sentence, or "" for none'),
      /** The greeting; {spa} is replaced with the spa's name. */
      greeting: z.string().min(1).max(300).default('Thank you for calling {spa}.').describe('a sentence; {spa} is the spa name'),
      /** 'receptionist' answers calls; 'echo' is the installer's audio check: it says back what it heard. */
      mode: z.enum(['receptionist', 'echo']).default('receptionist').describe('receptionist or echo'),
      /** Time the local LLM (when installed) may take per turn before the rules' reading stands. */
      llmBudgetMs: wholeNumber(100, 10000, ' of milliseconds').default(1200),
    })
    .prefault({}),
  /** The first-run setup wizard: the last step saved, and whether the owner finished it (until then it opens at sign-in). */
  setup: z
    .strictObject({
      step: z.string().max(40).default('').describe('the name of a wizard step'),
      finished: z.boolean().default(false).describe('true or false'),
    })
    .prefault({}),
  /** The staff web UI's login sessions. */
  web: z
    .strictObject({
      /** A session unused this long ends (the person logs in again). */
      sessionIdleMin: wholeNumber(5, 720, ' of minutes').default(30),
      /** A session ends this long after login, however busy. */
      sessionMaxHours: wholeNumber(1, 168, ' of hours').default(12),
    })
    .prefault({}),
  /**
   * How long personal data is kept before the nightly purge deletes it (days; null keeps it until
   * deleted by hand). Appointments, clients and the audit log are not purged: they are the spa's records.
   */
  retention: z
    .strictObject({
      /** Call recordings (the WAV files): the most sensitive data on the box, kept for a month of quality review. */
      recordingsDays: keepDays.default(30),
      /** What callers said and what the receptionist answered, per call turn, and the call summary. */
      transcriptsDays: keepDays.default(90),
      /** Receptionist conversations over calls, SMS and chat, with their messages. */
      conversationsDays: keepDays.default(90),
      /** SMS texts in and out. */
      messagesDays: keepDays.default(90),
    })
    .prefault({}),
  /** The nightly database backup into <data dir>/backups (SQLite's online backup: calls go on meanwhile). */
  backup: z
    .strictObject({
      /** Backups older than this are deleted (in the data dir and on the USB drive). */
      keepDays: wholeNumber(1, 365, ' of days').default(14),
      /** The hour (spa's time zone) the backup runs; the retention purge runs half an hour later. */
      hour: wholeNumber(0, 23, ' (hour of the day)').default(3),
      /** A mounted USB drive's folder that gets a copy of each backup; null: none. Skipped when not mounted. */
      usbDir: z
        .string()
        .refine((s) => posix.isAbsolute(s) && s.length > 1 && !s.includes('\0'))
        .nullable()
        .default(null)
        .describe('the absolute path of a folder on a mounted USB drive such as /media/backup, or null'),
    })
    .prefault({}),
  log: z
    .strictObject({
      level: z.enum(LOG_LEVELS).default('info').describe(`one of ${LOG_LEVELS.join(', ')}`),
      /**
       * Support switch: keep personal data (phone numbers, names, what callers said) in the log.
       * Off by default; health shows when it is on. Turn it off again once support is done.
       */
      personalData: z.boolean().default(false).describe('true or false'),
    })
    .prefault({}),
});

export type Settings = z.output<typeof settingsSchema>;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Settings only the environment may give: never read from nor written to config.json. */
export const ENV_ONLY_SETTINGS = ['dataDir', 'adminPassword'] as const;

type AnySchema = z.core.$ZodType;

/** The schema at a key path, looking through defaults, nullables and the like. */
function schemaAt(path: readonly PropertyKey[]): AnySchema | undefined {
  let schema: AnySchema | undefined = settingsSchema;
  for (const key of path) {
    const obj: z.ZodObject | undefined = schema && objectIn(schema);
    schema = obj && typeof key === 'string' ? (obj.shape[key] as AnySchema | undefined) : undefined;
  }
  return schema;
}

function objectIn(schema: AnySchema): z.ZodObject | undefined {
  for (let s: AnySchema | undefined = schema; s; s = unwrapOnce(s)) {
    if (s instanceof z.ZodObject) return s;
  }
  return undefined;
}

function unwrapOnce(s: AnySchema): AnySchema | undefined {
  if (s instanceof z.ZodDefault || s instanceof z.ZodPrefault) return s.unwrap();
  if (s instanceof z.ZodNullable || s instanceof z.ZodOptional) return s.unwrap();
  if (s instanceof z.ZodPipe) return s.in;
  return undefined;
}

/** What the setting at `path` allows, in words, or undefined when the schema does not say. */
export function allowedAt(path: readonly PropertyKey[]): string | undefined {
  for (let s = schemaAt(path); s; s = unwrapOnce(s)) {
    const description = z.globalRegistry.get(s)?.description;
    if (description) return description;
  }
  return undefined;
}

/** The keys the stored settings may hold at `path` (an object in the schema), or undefined. */
export function knownKeysAt(path: readonly PropertyKey[]): string[] | undefined {
  const schema = schemaAt(path);
  const obj = schema && objectIn(schema);
  if (!obj) return undefined;
  const envOnly: readonly string[] = path.length === 0 ? ENV_ONLY_SETTINGS : [];
  return Object.keys(obj.shape).filter((k) => !envOnly.includes(k));
}

/** The settings file's name inside the data dir, and how errors name it. */
export const CONFIG_FILE_NAME = 'config.json';
