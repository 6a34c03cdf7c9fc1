// The Live page's API: calls in progress with their running transcript over server-sent events
// (on the fake clock), the stream closed when the session ends, and staff's end / transfer buttons.
import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { CallLog } from '../../telephony/call-log.js';
import { openTestWeb } from '../../../test/helpers/web.js';
import { LIVE_POLL_MS } from './live.js';

const caller = { phone: '+12035550177', raw: 'sip:+12035550177@pbx', displayName: 'Ada Lovelace', withheld: false, source: 'From' as const };
const turn = (callerText: string, replyText: string) => ({
  inputKind: 'speech' as const,
  callerText,
  replyText,
  interrupted: false,
  endOfSpeech: null,
  endpoint: null,
  asrFinal: null,
  replyChosen: null,
  firstAudio: null,
});

/** Reads server-sent events from a stream, one `{event, data}` at a time. */
function eventReader(body: ReadableStream<Uint8Array>) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  return async (): Promise<{ event: string; data: unknown } | null> => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (block.startsWith(':')) continue;
        const event = /^event: (.*)$/m.exec(block)?.[1] ?? 'message';
        const data = /^data: (.*)$/m.exec(block)?.[1] ?? 'null';
        return { event, data: JSON.parse(data) };
      }
      const { value, done } = await reader.read();
      if (done) return null;
      buffer += decoder.decode(value, { stream: true });
    }
  };
}

test('the live stream needs a session, shows a call and its turns as they come, drops it when it ends, and stops when the person signs out', async () => {
  const web = await openTestWeb();
  try {
    await web.app.listen({ host: '127.0.0.1', port: 0 });
    const url = `http://127.0.0.1:${(web.app.server.address() as AddressInfo).port}`;
    assert.equal((await fetch(`${url}/api/live/events`)).status, 401);
    assert.equal((await fetch(`${url}/api/live`)).status, 401);
    const desk = await web.addUser('desk', 'frontdesk');
    const calls = new CallLog({ db: web.spa.db });
    const id = calls.invited({ sipCallId: 'live-1@pbx', caller, called: 'spa', sourceAddress: '127.0.0.1', at: web.spa.clock.now() });
    calls.answered(id, web.spa.clock.now() + 2000, 'PCMU');
    calls.addTurn(id, { ...turn('', 'Thank you for calling Lumière Med Spa.'), inputKind: 'greeting' });

    // Every role may open the stream (the least is front desk).
    for (const cookie of [await web.login(), (await web.addUser('mara', 'manager')).cookie]) {
      const other = await fetch(`${url}/api/live/events`, { headers: { cookie } });
      assert.equal(other.status, 200);
      await other.body?.cancel();
    }
    const res = await fetch(`${url}/api/live/events`, { headers: { cookie: desk.cookie } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/event-stream/);
    assert.ok(res.body);
    const next = eventReader(res.body);
    type Calls = { calls: { id: number; state: string; caller: { name: string }; turns: { caller: string; reply: string }[] }[] };
    const first = (await next()) as { event: string; data: Calls };
    assert.equal(first.event, 'calls');
    assert.deepEqual(first.data.calls.map((c) => [c.id, c.state, c.caller.name, c.turns.length]), [[id, 'answered', 'Ada Lovelace', 1]]);

    calls.addTurn(id, turn('what time do you close today', 'Today we are open until 7 pm.'));
    web.spa.clock.advance(LIVE_POLL_MS);
    const second = (await next()) as { data: Calls };
    assert.deepEqual(second.data.calls[0]?.turns.at(-1), { input: 'speech', caller: 'what time do you close today', reply: 'Today we are open until 7 pm.' });

    calls.ended(id, web.spa.clock.now(), 'ai-handled', 'caller hung up');
    web.spa.clock.advance(LIVE_POLL_MS);
    assert.deepEqual(((await next()) as { data: Calls }).data.calls, []);

    // Signing out (in another tab) closes the stream at the next look.
    await web.app.inject({ method: 'DELETE', url: '/api/session', headers: { cookie: desk.cookie } });
    web.spa.clock.advance(LIVE_POLL_MS);
    assert.equal((await next())?.event, 'signed-out');
    assert.equal(await next(), null);
    const audited = web.spa.db.prepare("SELECT username, subject_kind FROM audit_log WHERE action = 'live.view'").all();
    assert.deepEqual(
      audited.map((r) => ({ ...(r as object) })),
      ['owner', 'mara', 'desk'].map((username) => ({ username, subject_kind: 'stream' })),
    );
  } finally {
    await web.close();
  }
});

test("staff's end and transfer buttons reach the call, answer 404 for a call not in progress and 409 for a transfer that failed, and are audited", async () => {
  const done: string[] = [];
  let transferWorks = false;
  const web = await openTestWeb({
    callControl: {
      end: (id) => {
        done.push(`end ${id}`);
        return id === 1;
      },
      transfer: (id) => {
        done.push(`transfer ${id}`);
        return Promise.resolve(transferWorks);
      },
    },
  });
  try {
    const calls = new CallLog({ db: web.spa.db });
    const id = calls.invited({ sipCallId: 'live-2@pbx', caller, called: 'spa', sourceAddress: '127.0.0.1', at: web.spa.clock.now() });
    assert.equal(id, 1);
    calls.answered(id, web.spa.clock.now(), 'PCMU');
    const desk = await web.addUser('desk', 'frontdesk');
    const post = (path: string, cookie: string | null = desk.cookie) => web.app.inject({ method: 'POST', url: path, ...(cookie ? { headers: { cookie } } : {}) });
    assert.equal((await post('/api/live/1/end', null)).statusCode, 401);
    assert.equal((await post('/api/live/abc/end')).statusCode, 400);
    assert.equal((await post('/api/live/1/transfer')).statusCode, 409);
    transferWorks = true;
    assert.equal((await post('/api/live/1/transfer')).statusCode, 200);
    assert.equal((await post('/api/live/2/transfer')).statusCode, 404);
    assert.equal((await post('/api/live/1/end')).statusCode, 200);
    assert.equal((await post('/api/live/2/end')).statusCode, 404);
    assert.deepEqual(done, ['transfer 1', 'transfer 1', 'end 1', 'end 2']);
    const rows = web.spa.db.prepare("SELECT subject_id, status, detail FROM audit_log WHERE action = 'call.control' ORDER BY id").all();
    assert.deepEqual(
      rows.map((r) => ({ ...(r as object) })),
      [
        { subject_id: 'abc', status: 400, detail: '' },
        { subject_id: '1', status: 409, detail: 'transfer' },
        { subject_id: '1', status: 200, detail: 'transfer' },
        { subject_id: '2', status: 404, detail: 'transfer' },
        { subject_id: '1', status: 200, detail: 'end' },
        { subject_id: '2', status: 404, detail: 'end' },
      ],
    );
  } finally {
    await web.close();
  }
});
