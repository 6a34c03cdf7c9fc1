// Settings that take effect while the box runs. The modules read these through the one running
// settings object on every call or turn (the receptionist's greeting and disclosure, where
// "a person" goes, recording, how long a call rings, the LLM's time budget per turn, how long
// personal data is kept), so a saved change is copied into that
// object at once; every other setting is read at start and waits for a restart.
import type { Settings } from './schema.js';

/** Dotted paths of the settings that apply at once. */
export const LIVE_SETTINGS = [
  'agent.greeting',
  'agent.disclosure',
  'agent.recordingNotice',
  'telephony.transferTo',
  'telephony.record',
  'telephony.ringTimeoutS',
  'agent.llmBudgetMs',
  'retention.recordingsDays',
  'retention.transcriptsDays',
  'retention.conversationsDays',
  'retention.messagesDays',
] as const;

/** Copies the live settings of `next` into the running settings object. */
export function applyLiveSettings(running: Settings, next: Settings): void {
  running.agent.greeting = next.agent.greeting;
  running.agent.disclosure = next.agent.disclosure;
  running.agent.recordingNotice = next.agent.recordingNotice;
  running.telephony.transferTo = next.telephony.transferTo;
  running.telephony.record = next.telephony.record;
  running.telephony.ringTimeoutS = next.telephony.ringTimeoutS;
  // Read by the LLM understander on every turn, and by the nightly purge on every run.
  running.agent.llmBudgetMs = next.agent.llmBudgetMs;
  Object.assign(running.retention, next.retention);
}

/** Whether a change of these paths (dotted) needs a restart to take effect. */
export function needsRestart(paths: readonly string[]): boolean {
  const live = new Set<string>(LIVE_SETTINGS);
  return paths.some((p) => !live.has(p));
}
