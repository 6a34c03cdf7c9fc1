// POST /api/agent/chat at the HTTP edge: login required, bodies validated with fields named.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';

test('the chat API needs a session and rejects bad bodies with 400s that name the field', async () => {
  const web = await openTestWeb();
  try {
    const anon = await web.app.inject({ method: 'POST', url: '/api/agent/chat', payload: { text: 'hi' } });
    assert.equal(anon.statusCode, 401);
    const cookie = await web.login();
    const post = (payload: unknown) => web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie }, payload: payload as Record<string, unknown> });
    for (const [payload, field] of [
      [{}, 'text'],
      [{ text: 'x'.repeat(2001) }, 'text'],
      [{ text: 'hi', conversation: 'abc' }, 'conversation'],
      [{ text: 'hi', extra: 1 }, 'body'],
      [{ text: 42 }, 'text'],
    ] as const) {
      const res = await post(payload);
      assert.equal(res.statusCode, 400, JSON.stringify(payload));
      const fields = res.json<{ error: { code: string; fields: Record<string, string> } }>().error;
      assert.equal(fields.code, 'SPA_ERR_INVALID_INPUT');
      assert.ok(Object.keys(fields.fields).some((k) => k === field || (field === 'body' && k === 'body') || k.startsWith(field)), `${JSON.stringify(fields.fields)} names ${field}`);
    }
    const notPhone = await post({ text: 'hi', from: 'call me maybe' });
    assert.equal(notPhone.statusCode, 400);
    const ok = await post({ text: 'what are your hours?' });
    assert.equal(ok.statusCode, 200);
    const body = ok.json<{ conversation: string; reply: string; done: boolean }>();
    assert.match(body.reply, /Monday through Friday/);
    const conv = await web.app.inject({ method: 'GET', url: `/api/agent/conversations/${body.conversation}`, headers: { cookie } });
    assert.equal(conv.statusCode, 200);
    assert.equal(conv.json<{ messages: unknown[] }>().messages.length, 2);
  } finally {
    await web.close();
  }
});

test('staff teach the receptionist a new wording by adding an example question to a knowledge entry (managers only, audited)', async () => {
  const web = await openTestWeb();
  try {
    web.spa.db
      .prepare("INSERT INTO knowledge (id, topic, title, body, tags) VALUES ('loyalty', 'policy', 'Loyalty card', 'Every visit earns a stamp; the tenth facial is free.', '[\"loyalty\"]')")
      .run();
    const cookie = await web.login();
    const chat = async (text: string): Promise<string> =>
      (await web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie }, payload: { text } })).json<{ reply: string }>().reply;
    const asked = 'is there some kind of punch card for regulars?';
    assert.doesNotMatch(await chat(asked), /stamp/);
    const put = (payload: unknown, who = cookie, id = 'loyalty') =>
      web.app.inject({ method: 'PUT', url: `/api/knowledge/${id}/examples`, headers: { cookie: who }, payload: payload as Record<string, unknown> });
    const desk = await web.addUser('desk', 'frontdesk');
    assert.equal((await put({ examples: ['do you have a punch card'] }, desk.cookie)).statusCode, 403);
    assert.equal((await put({ examples: 'punch card' })).statusCode, 400);
    assert.equal((await put({ examples: ['x'] })).statusCode, 400);
    assert.equal((await put({ examples: ['do you have a punch card'] }, cookie, 'no-such-entry')).statusCode, 404);
    const ok = await put({ examples: ['do you have a punch card', '  do you have a punch card ', 'any rewards for coming often'] });
    assert.equal(ok.statusCode, 200);
    assert.deepEqual(ok.json<{ entry: { examples: string[] } }>().entry.examples, ['do you have a punch card', 'any rewards for coming often']);
    assert.match(await chat(asked), /stamp/);
    const audit = web.spa.db.prepare("SELECT subject_id, status, detail FROM audit_log WHERE action = 'knowledge.examples' AND status = 200").all() as { subject_id: string; detail: string }[];
    assert.deepEqual(audit, [{ subject_id: 'loyalty', status: 200, detail: 'loyalty: 2 examples' }]);
  } finally {
    await web.close();
  }
});
