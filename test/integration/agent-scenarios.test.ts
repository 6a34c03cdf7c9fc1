// The receptionist's scenario suite over POST /api/agent/chat: every scenario ends with the state
// it must leave in SQLite (appointments, alerts, conversation), not just the right words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { bookingScenarios } from '../scenarios/booking.js';
import { runScenario } from '../scenarios/harness.js';
import { identityScenarios } from '../scenarios/identity.js';
import { infoScenarios } from '../scenarios/info.js';
import { manageScenarios } from '../scenarios/manage.js';
import { understandingScenarios } from '../scenarios/understanding.js';

for (const [group, list] of [
  ['booking', bookingScenarios],
  ['reschedule, cancel, look up', manageScenarios],
  ['caller identity before an appointment is read out or changed', identityScenarios],
  ['questions, handoff, urgent, off-topic, silence', infoScenarios],
  ['callers worded unlike the rules (issue 11)', understandingScenarios],
] as const) {
  describe(`receptionist scenarios: ${group}`, () => {
    for (const sc of list) {
      test(sc.name, async () => {
        const run = await runScenario(sc);
        try {
          assert.deepEqual(run.failures, [], run.world.replies.map((r, i) => `${sc.turns[i]?.say ?? ''} => ${r}`).join('\n'));
          sc.check(run.world);
        } finally {
          await run.world.web.close();
        }
      });
    }
  });
}
