// PATCH /api/settings for the settings that apply while the box runs: recording, the LLM's budget
// per turn and the retention days are validated with the field named, saved, audited by key, and
// need no restart.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';

test('recording, the LLM budget and the retention days are validated by field, saved without a restart and audited by key', async () => {
  const web = await openTestWeb();
  try {
    assert.equal((await web.app.inject({ method: 'PATCH', url: '/api/settings', payload: { retention: { recordingsDays: 7 } } })).statusCode, 401);
    const fd = await web.addUser('desk', 'frontdesk');
    assert.equal((await web.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie: fd.cookie }, payload: { retention: { recordingsDays: 7 } } })).statusCode, 403);
    const cookie = await web.login();
    const patch = (payload: Record<string, unknown>) => web.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie }, payload });

    const bad = await patch({ agent: { llmBudgetMs: 50 }, retention: { recordingsDays: 0, messagesDays: 'forever' } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(bad.json<{ error: { fields: Record<string, string> } }>().error.fields).sort(), [
      'agent.llmBudgetMs',
      'retention.messagesDays',
      'retention.recordingsDays',
    ]);
    assert.equal(web.saved.length, 0, 'nothing saved');

    const ok = await patch({ telephony: { record: false }, agent: { llmBudgetMs: 800 }, retention: { recordingsDays: 7, messagesDays: null } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json<{ restartRequired: boolean }>().restartRequired, false);
    const saved = web.saved.at(-1);
    assert.deepEqual([saved?.telephony.record, saved?.agent.llmBudgetMs, saved?.retention], [false, 800, { recordingsDays: 7, transcriptsDays: 90, conversationsDays: 90, messagesDays: null }]);
    const [row] = web.audit.list({ limit: 1, action: 'settings.change' });
    assert.equal(row?.detail, 'telephony.record,agent.llmBudgetMs,retention.recordingsDays,retention.messagesDays');
  } finally {
    await web.close();
  }
});
