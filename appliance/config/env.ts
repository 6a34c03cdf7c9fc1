// The environment variables that override settings (names fixed by CONTRACT.md), and how each
// one's text becomes setting values. Version-0 config files use the same names and forms.
import { allowedAt, ENV_ONLY_SETTINGS } from './schema.js';

/** A key path into Settings, e.g. ['telephony', 'ringTimeoutS']. */
export type SettingPath = readonly string[];

/** One value for one setting, read from a variable. */
export type Assignment = readonly [path: SettingPath, value: unknown];

export interface EnvSetting {
  readonly name: string;
  /** What the variable accepts, in words, in the variable's own format. */
  readonly allowed: string;
  /** The setting paths this variable sets. */
  readonly paths: readonly SettingPath[];
  /** Never echo the value (passwords). */
  readonly secret: boolean;
  /** Text the reader cannot make sense of is passed on unchanged, for the schema to reject. */
  readonly read: (text: string) => Assignment[];
}

type Reader = (text: string) => unknown;

const asText: Reader = (text) => text.trim();
const asWholeNumber: Reader = (text) => (/^\s*[+-]?\d+\s*$/.test(text) ? Number(text) : text);
const asLowerCase: Reader = (text) => text.trim().toLowerCase();
const asIs: Reader = (text) => text;

const YES_NO: Readonly<Record<string, boolean>> = { 1: true, true: true, yes: true, 0: false, false: false, no: false };
const asYesNo: Reader = (text) => YES_NO[text.trim().toLowerCase()] ?? text;

/** A variable that sets one setting; its allowed text is the schema's. */
function single(name: string, path: SettingPath, reader: Reader, secret = false): EnvSetting {
  return {
    name,
    allowed: allowedAt(path) ?? 'a valid value',
    paths: [path],
    secret,
    read: (text) => [[path, reader(text)]],
  };
}

const RTP_MIN: SettingPath = ['rtp', 'portMin'];
const RTP_MAX: SettingPath = ['rtp', 'portMax'];

const rtpPorts: EnvSetting = {
  name: 'SPA_RTP_PORTS',
  allowed: 'a port range MIN-MAX such as 10000-10999, both from 1024 to 65535, MIN even and below MAX',
  paths: [RTP_MIN, RTP_MAX],
  secret: false,
  read: (text) => {
    const match = /^\s*(\d+)\s*-\s*(\d+)\s*$/.exec(text);
    if (!match) return [[RTP_MIN, text], [RTP_MAX, text]];
    return [[RTP_MIN, Number(match[1])], [RTP_MAX, Number(match[2])]];
  },
};

export const ENV_SETTINGS: readonly EnvSetting[] = [
  single('SPA_DATA_DIR', ['dataDir'], asText),
  single('SPA_BIND', ['bind'], asText),
  single('SPA_SIP_PORT', ['sip', 'port'], asWholeNumber),
  rtpPorts,
  single('SPA_HTTP_PORT', ['http', 'port'], asWholeNumber),
  single('SPA_HTTPS_PORT', ['https', 'port'], asWholeNumber),
  single('SPA_RING_TIMEOUT_S', ['telephony', 'ringTimeoutS'], asWholeNumber),
  single('SPA_RTP_TIMEOUT_S', ['telephony', 'rtpTimeoutS'], asWholeNumber),
  single('SPA_MAX_CALLS', ['telephony', 'maxCalls'], asWholeNumber),
  single('SPA_TIMEZONE', ['timeZone'], asText),
  single('SPA_MODEM', ['modem', 'device'], asText),
  single('SPA_ADMIN_PASSWORD', ['adminPassword'], asIs, true),
  { ...single('SPA_DEMO', ['demo'], asYesNo), allowed: '1, 0, true, false, yes or no' },
  single('SPA_LOG_LEVEL', ['log', 'level'], asLowerCase),
  { ...single('SPA_LOG_PERSONAL', ['log', 'personalData'], asYesNo), allowed: '1, 0, true, false, yes or no' },
];

/** The variable that sets a top-level setting, e.g. 'timeZone' → 'SPA_TIMEZONE'. */
export function envVariableFor(settingKey: string): string | undefined {
  return ENV_SETTINGS.find((s) => s.paths.some((p) => p[0] === settingKey))?.name;
}

/** Variables that only the environment may set (not a config file). */
export const ENV_ONLY_VARIABLES: readonly string[] = ENV_ONLY_SETTINGS.map((key) => envVariableFor(key) ?? key);

export function envSettingNamed(name: string): EnvSetting | undefined {
  return ENV_SETTINGS.find((s) => s.name === name);
}
