// The owner's catalogue edits (knowledge, services, providers) and live settings: validated,
// audited, refused to other roles, and used by the receptionist on its next turn.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openTestWeb } from '../../../test/helpers/web.js';
import { at } from '../../../test/helpers/spa.js';

const WIFI = {
  topic: 'visit',
  title: 'Guest Wi-Fi',
  body: 'Guests can use our Wi-Fi: the network is Lumiere Guest and the password is glow2026.',
  tags: ['wifi', 'internet'],
  examples: ['do you have wifi', 'what is the wifi password', 'can I get on the internet while I wait', 'do you have  wifi '],
};

test('a knowledge entry the owner adds is answered from by the chat on the next turn, an edit replaces the answer, and a deleted one is no longer said', async () => {
  const web = await openTestWeb({ now: at('2026-11-30T10:00') });
  try {
    const cookie = await web.login();
    const ask = async () =>
      (await web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie }, payload: { text: 'Do you have wifi I can use?' } })).json<{ reply: string }>().reply;
    assert.doesNotMatch(await ask(), /glow2026/);
    const made = await web.app.inject({ method: 'POST', url: '/api/knowledge', headers: { cookie }, payload: WIFI });
    assert.equal(made.statusCode, 201);
    const entry = made.json<{ entry: { id: string; examples: string[] } }>().entry;
    assert.equal(entry.id, 'guest-wi-fi');
    assert.deepEqual(entry.examples, ['do you have wifi', 'what is the wifi password', 'can I get on the internet while I wait'], 'tidied and deduplicated');
    assert.match(await ask(), /password is glow2026/);
    // A second entry with the same title gets its own id.
    const again = await web.app.inject({ method: 'POST', url: '/api/knowledge', headers: { cookie }, payload: { ...WIFI, body: 'Other text.' } });
    assert.equal(again.json<{ entry: { id: string } }>().entry.id, 'guest-wi-fi-2');
    const edited = await web.app.inject({ method: 'PUT', url: '/api/knowledge/guest-wi-fi', headers: { cookie }, payload: { ...WIFI, body: 'Guests can use our Wi-Fi: the network is Lumiere Guest and the password is spa2027.' } });
    assert.equal(edited.statusCode, 200);
    assert.equal((await web.app.inject({ method: 'DELETE', url: '/api/knowledge/guest-wi-fi-2', headers: { cookie } })).statusCode, 200);
    assert.match(await ask(), /password is spa2027/);
    assert.equal((await web.app.inject({ method: 'DELETE', url: '/api/knowledge/guest-wi-fi', headers: { cookie } })).statusCode, 200);
    assert.doesNotMatch(await ask(), /glow2026|spa2027/);
    assert.equal((await web.app.inject({ method: 'DELETE', url: '/api/knowledge/guest-wi-fi', headers: { cookie } })).statusCode, 404);
    const audited = web.spa.db.prepare("SELECT action, subject_id FROM audit_log WHERE action LIKE 'knowledge.%' ORDER BY id").all() as { action: string; subject_id: string }[];
    assert.deepEqual(
      audited.map((a) => `${a.action} ${a.subject_id}`),
      ['knowledge.change guest-wi-fi', 'knowledge.change guest-wi-fi-2', 'knowledge.change guest-wi-fi', 'knowledge.delete guest-wi-fi-2', 'knowledge.delete guest-wi-fi', 'knowledge.delete guest-wi-fi'],
    );
  } finally {
    await web.close();
  }
});

test('catalogue edits are refused to managers and front desk, and bad input is refused naming each field', async () => {
  const web = await openTestWeb();
  try {
    const manager = await web.addUser('max', 'manager');
    const desk = await web.addUser('dana', 'frontdesk');
    for (const who of [manager, desk]) {
      assert.equal((await web.app.inject({ method: 'POST', url: '/api/knowledge', headers: { cookie: who.cookie }, payload: WIFI })).statusCode, 403);
      assert.equal((await web.app.inject({ method: 'PUT', url: '/api/services/botox', headers: { cookie: who.cookie }, payload: {} })).statusCode, 403);
      assert.equal((await web.app.inject({ method: 'PUT', url: '/api/providers/maya-chen', headers: { cookie: who.cookie }, payload: {} })).statusCode, 403);
      assert.equal((await web.app.inject({ method: 'POST', url: '/api/services', headers: { cookie: who.cookie }, payload: {} })).statusCode, 403);
      assert.equal((await web.app.inject({ method: 'POST', url: '/api/providers', headers: { cookie: who.cookie }, payload: {} })).statusCode, 403);
      assert.equal((await web.app.inject({ method: 'DELETE', url: '/api/services/botox', headers: { cookie: who.cookie } })).statusCode, 403);
      assert.equal((await web.app.inject({ method: 'DELETE', url: '/api/providers/maya-chen', headers: { cookie: who.cookie } })).statusCode, 403);
    }
    assert.ok(web.spa.catalogue.service('botox')?.active, 'nothing removed');
    const cookie = await web.login();
    const bad = await web.app.inject({ method: 'POST', url: '/api/knowledge', headers: { cookie }, payload: { topic: '', title: 'x', body: 'ok body', examples: ['hi'] } });
    assert.equal(bad.statusCode, 400);
    assert.deepEqual(Object.keys(bad.json<{ error: { fields: Record<string, string> } }>().error.fields).sort(), ['examples.0', 'title', 'topic']);
    const noPrice = await web.app.inject({
      method: 'PUT',
      url: '/api/services/botox',
      headers: { cookie },
      payload: { name: 'Botox', durationMin: 30, priceCents: null, priceText: '', providerIds: ['nobody'] },
    });
    assert.equal(noPrice.statusCode, 400);
    assert.deepEqual(Object.keys(noPrice.json<{ error: { fields: Record<string, string> } }>().error.fields), ['providerIds']);
    const noPriceAtAll = await web.app.inject({ method: 'PUT', url: '/api/services/botox', headers: { cookie }, payload: { name: 'Botox', durationMin: 30, priceCents: null, priceText: '' } });
    assert.deepEqual(Object.keys(noPriceAtAll.json<{ error: { fields: Record<string, string> } }>().error.fields), ['priceCents']);
    const hours = await web.app.inject({ method: 'PUT', url: '/api/providers/maya-chen', headers: { cookie }, payload: { name: 'Maya Chen', hours: [{ weekday: 2, start: '17:00', end: '09:00' }] } });
    assert.equal(hours.statusCode, 400);
    assert.equal((await web.app.inject({ method: 'PUT', url: '/api/providers/nobody', headers: { cookie }, payload: { name: 'X', hours: [] } })).statusCode, 404);
    assert.equal((await web.app.inject({ method: 'PUT', url: '/api/services/nothing', headers: { cookie }, payload: { name: 'X', durationMin: 30, priceCents: 100 } })).statusCode, 404);
  } finally {
    await web.close();
  }
});

test("a service's new price is what the catalogue says at once, and a provider's new hours decide the slots offered", async () => {
  const web = await openTestWeb();
  try {
    const cookie = await web.login();
    const all = (await web.app.inject({ url: '/api/services/all', headers: { cookie } })).json<{ services: { id: string; name: string; durationMin: number; bufferBeforeMin: number; bufferAfterMin: number; priceText: string; depositCents: number; active: boolean; providerIds: string[]; aliases: string[] }[] }>().services;
    const hydra = all.find((s) => s.id === 'hydrafacial-signature');
    assert.ok(hydra);
    const put = await web.app.inject({
      method: 'PUT',
      url: '/api/services/hydrafacial-signature',
      headers: { cookie },
      payload: { name: hydra.name, durationMin: hydra.durationMin, bufferBeforeMin: hydra.bufferBeforeMin, bufferAfterMin: hydra.bufferAfterMin, priceCents: 21_900, priceText: '$219', depositCents: 0, active: true, providerIds: hydra.providerIds, aliases: hydra.aliases },
    });
    assert.equal(put.statusCode, 200);
    const listed = (await web.app.inject({ url: '/api/services', headers: { cookie } })).json<{ services: { id: string; priceCents: number }[] }>().services;
    assert.equal(listed.find((s) => s.id === 'hydrafacial-signature')?.priceCents, 21_900);
    // A change that leaves fields out (the wizard's short form) keeps them as they were.
    const before = web.spa.catalogue.service('botox');
    assert.ok(before && before.aliases.length > 0 && before.providerIds.length > 0);
    assert.equal((await web.app.inject({ method: 'PUT', url: '/api/services/botox', headers: { cookie }, payload: { name: 'Botox', durationMin: 20, priceCents: null, priceText: '$13 a unit' } })).statusCode, 200);
    const after = web.spa.catalogue.service('botox');
    assert.deepEqual([after?.durationMin, after?.priceText, after?.aliases, after?.providerIds, after?.category, after?.consultFirst], [20, '$13 a unit', before.aliases, before.providerIds, before.category, before.consultFirst]);
    // Renamed to another active service's name: refused, naming the field, and nothing changed.
    const clash = await web.app.inject({ method: 'PUT', url: '/api/services/botox', headers: { cookie }, payload: { name: hydra.name.toUpperCase(), durationMin: 20, priceCents: null, priceText: '$13 a unit' } });
    assert.equal(clash.statusCode, 400);
    assert.ok('name' in (clash.json<{ error: { fields?: Record<string, string> } }>().error.fields ?? {}), clash.body);
    assert.equal(web.spa.catalogue.service('botox')?.name, 'Botox');

    const slots = async () =>
      (await web.app.inject({ url: '/api/availability?service=hydrafacial-signature&provider=maya-chen&from=2026-12-01&days=1', headers: { cookie } })).json<{ slots: { start: string }[] }>().slots;
    assert.ok((await slots()).length > 0, 'Maya works Tuesdays');
    const maya = await web.app.inject({ method: 'PUT', url: '/api/providers/maya-chen', headers: { cookie }, payload: { name: 'Maya Chen', title: 'Licensed Aesthetician', hours: [{ weekday: 1, start: '09:00', end: '17:00' }] } });
    assert.equal(maya.statusCode, 200);
    assert.deepEqual(await slots(), [], 'no longer on Tuesdays');
  } finally {
    await web.close();
  }
});

test('the greeting, disclosure, transfer target and LLM budget apply at once; other settings say a restart is needed', async () => {
  const web = await openTestWeb({ now: at('2026-11-30T10:00') });
  try {
    const cookie = await web.login();
    const patch = async (body: Record<string, unknown>) => (await web.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie }, payload: body })).json<{ restartRequired: boolean }>();
    assert.equal((await patch({ agent: { greeting: 'Hello from {spa}.', disclosure: 'I am an AI assistant.' }, telephony: { transferTo: '201', ringTimeoutS: 15 } })).restartRequired, false);
    assert.equal((await patch({ booking: { horizonDays: 30 } })).restartRequired, true);
    assert.equal((await patch({ agent: { llmBudgetMs: 900 } })).restartRequired, false, 'read by the understander on every turn');
    assert.equal((await patch({ agent: { mode: 'echo' } })).restartRequired, true);
    const bad = await web.app.inject({ method: 'PATCH', url: '/api/settings', headers: { cookie }, payload: { telephony: { ringTimeoutS: 999 } } });
    assert.equal(bad.statusCode, 400);
  } finally {
    await web.close();
  }
});
