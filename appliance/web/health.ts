// What /api/health reports. Each subsystem registers a probe; until a subsystem exists its
// probe says so plainly instead of pretending.
import type { OpsHealth } from '../ops/ops-module.js';

export interface HealthReport {
  db: 'ok' | 'error';
  sip: { listening: boolean; registered: boolean | null; registrationError?: string | null; mode: string };
  engines: { vad: string; asr: string; tts: string; llm: string };
  /** The sms module's modem: driver (at or sim), state (ready, no-sim, pin-needed, no-network, unplugged, ...), operator, signal, SIM, last error. */
  modem: { driver: string; state: string; device?: string | null; operator?: string | null; signal?: { dBm: number; bars: number } | null; sim?: string; lastError?: string | null };
  /** The HTTPS listener and its certificate, for staff to compare with what the browser shows; null when not serving HTTPS. */
  https: { port: number; fingerprint: string; custom: boolean; expiresAt: string } | null;
  /** The last nightly backup and retention purge (and the next). */
  ops?: OpsHealth;
  /** personalData: the support switch that keeps phone numbers, names and transcripts in the log (off by default). */
  log: { level: string; personalData: boolean };
  version: string;
  uptimeS: number;
}

export type HealthProbe = () => HealthReport;
