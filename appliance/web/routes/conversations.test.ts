// The Messages page's API: text conversations listed newest first with the client's name, a
// thread's messages, and staff taking a thread over so the receptionist stays quiet on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';

interface Listed {
  id: string;
  channel: string;
  phone: string | null;
  client: string | null;
  heldBy: string | null;
  messages: number;
  last: { role: string; text: string } | null;
}

test('conversations are listed newest first with the client named, and a thread shows both sides; staff only, audited', async () => {
  const web = await openTestWeb();
  try {
    const client = web.spa.bookings.clientOnNumber('+12035550123', 'Grace Hopper') ?? null;
    assert.equal(client, null, 'no such client yet');
    web.spa.db.prepare("INSERT INTO clients (phone, name, created_at) VALUES ('+12035550123', 'Grace Hopper', 0)").run();
    const cookie = await web.login();
    const chat = async (text: string, from?: string) =>
      (await web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie }, payload: { text, ...(from ? { from } : {}) } })).json<{ conversation: string; reply: string }>();
    const first = await chat('what are your hours?', '+12035550123');
    web.spa.clock.advance(60_000);
    const second = await chat('do you do botox?');
    assert.equal((await web.app.inject({ url: '/api/conversations' })).statusCode, 401);
    const list = await web.app.inject({ url: '/api/conversations', headers: { cookie } });
    assert.equal(list.statusCode, 200);
    const rows = list.json<{ conversations: Listed[] }>().conversations;
    assert.deepEqual(
      rows.map((r) => [r.id, r.channel, r.client, r.messages, r.last?.role]),
      [
        [second.conversation, 'chat', null, 2, 'agent'],
        [first.conversation, 'chat', 'Grace Hopper', 2, 'agent'],
      ],
    );
    assert.equal((await web.app.inject({ url: '/api/conversations?channel=sms', headers: { cookie } })).json<{ conversations: unknown[] }>().conversations.length, 0);
    assert.equal((await web.app.inject({ url: '/api/conversations?channel=voice', headers: { cookie } })).statusCode, 400);
    const one = await web.app.inject({ url: `/api/conversations/${first.conversation}`, headers: { cookie } });
    const thread = one.json<{ conversation: { client: string; heldBy: null; messages: { role: string; text: string }[] } }>().conversation;
    assert.deepEqual([thread.client, thread.heldBy], ['Grace Hopper', null]);
    assert.deepEqual(thread.messages.map((m) => m.role), ['caller', 'agent']);
    assert.equal(thread.messages[0]?.text, 'what are your hours?');
    assert.equal((await web.app.inject({ url: '/api/conversations/not-an-id', headers: { cookie } })).statusCode, 400);
    const audit = web.spa.db.prepare("SELECT action, COUNT(*) AS n FROM audit_log WHERE action IN ('conversation.list', 'conversation.view') GROUP BY action ORDER BY action").all();
    assert.deepEqual(audit.map((r) => ({ ...(r as object) })), [{ action: 'conversation.list', n: 3 }, { action: 'conversation.view', n: 2 }]);
  } finally {
    await web.close();
  }
});

test('a thread staff took over gets no reply from the receptionist (the message is kept for them) until they hand it back', async () => {
  const web = await openTestWeb();
  try {
    const desk = await web.addUser('desk', 'frontdesk');
    const chat = async (text: string, conversation?: string) =>
      (
        await web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie: desk.cookie }, payload: { text, ...(conversation ? { conversation } : {}) } })
      ).json<{ conversation: string; reply: string; heldBy?: string }>();
    const start = await chat('what are your hours?');
    assert.match(start.reply, /Monday through Friday/);
    const id = start.conversation;
    const post = (path: string) => web.app.inject({ method: 'POST', url: `/api/conversations/${id}/${path}`, headers: { cookie: desk.cookie } });
    assert.equal((await web.app.inject({ method: 'POST', url: `/api/conversations/${id}/takeover` })).statusCode, 401);
    const took = await post('takeover');
    assert.equal(took.statusCode, 200);
    assert.deepEqual(took.json(), { heldBy: 'desk' });
    const quiet = await chat('can I talk to a real person about my bruise?', id);
    assert.deepEqual(quiet, { conversation: id, reply: '', done: false, heldBy: 'desk' });
    const listed = (await web.app.inject({ url: '/api/conversations', headers: { cookie: desk.cookie } })).json<{ conversations: Listed[] }>().conversations;
    assert.deepEqual([listed[0]?.heldBy, listed[0]?.last], ['desk', { role: 'caller', text: 'can I talk to a real person about my bruise?' }]);
    assert.deepEqual((await post('release')).json(), { heldBy: null });
    const back = await chat('what are your hours?', id);
    assert.match(back.reply, /Monday through Friday/);
    assert.equal(back.heldBy, undefined);
    assert.equal((await web.app.inject({ method: 'POST', url: '/api/conversations/2b8f5d8e-4a4e-4c8e-9f51-5d3f0c6c1a11/takeover', headers: { cookie: desk.cookie } })).statusCode, 404);
    const rows = web.spa.db.prepare("SELECT username, subject_id, detail, status FROM audit_log WHERE action = 'conversation.takeover' AND status = 200 ORDER BY id").all();
    assert.deepEqual(
      rows.map((r) => ({ ...(r as object) })),
      [
        { username: 'desk', subject_id: id, detail: 'takeover', status: 200 },
        { username: 'desk', subject_id: id, detail: 'release', status: 200 },
      ],
    );
  } finally {
    await web.close();
  }
});
