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
