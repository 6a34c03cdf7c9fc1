// Settings that apply while the box runs: copied into the running object, the rest left for a restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyLiveSettings, needsRestart, resolveSettings } from './index.js';

test('saved settings copy the greeting, disclosure, recording notice, transfer target, recording, ring timeout, LLM budget and retention days into the running settings, and nothing else', () => {
  const running = resolveSettings({ env: { SPA_DATA_DIR: '/tmp/x' }, systemTimeZone: 'UTC' });
  const agent = running.agent;
  const retention = running.retention;
  const next = structuredClone(running);
  next.agent.greeting = 'Hello from {spa}.';
  next.agent.disclosure = '';
  next.agent.recordingNotice = 'We record calls.';
  next.agent.llmBudgetMs = 900;
  next.telephony.transferTo = '201';
  next.telephony.record = true;
  next.telephony.ringTimeoutS = 12;
  next.booking.horizonDays = 30;
  next.retention.recordingsDays = 7;
  next.retention.messagesDays = 14;
  applyLiveSettings(running, next);
  assert.equal(running.agent, agent, 'the same object the modules hold, changed in place');
  assert.deepEqual(
    [running.agent.greeting, running.agent.disclosure, running.agent.recordingNotice, running.telephony.transferTo, running.telephony.record, running.telephony.ringTimeoutS],
    ['Hello from {spa}.', '', 'We record calls.', '201', true, 12],
  );
  assert.equal(running.agent.llmBudgetMs, 900, 'read by the LLM understander on every turn');
  assert.equal(running.retention, retention, 'the object the nightly purge holds, changed in place');
  assert.deepEqual([running.retention.recordingsDays, running.retention.messagesDays], [7, 14]);
  assert.equal(running.booking.horizonDays, 90);
  assert.equal(needsRestart(['agent.greeting', 'telephony.ringTimeoutS']), false);
  assert.equal(needsRestart(['agent.llmBudgetMs', 'retention.recordingsDays']), false);
  assert.equal(needsRestart(['agent.greeting', 'booking.horizonDays']), true);
});
