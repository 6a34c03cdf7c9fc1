// Personal data in the appliance's log, end to end: a real phone call (the caller simulator speaks
// to the receptionist over SIP/RTP: pocketsphinx + flite) and a chat turn, with every log line
// captured at debug level. At the default settings no phone number, name or word the caller said
// may appear in any line; with the support switch (SPA_LOG_PERSONAL=1) they appear, under `pii` only.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createLogger } from '../../appliance/log.js';
import { openingHoursClock, startAppliance } from '../helpers/appliance.js';
import { placeCall } from '../sim/caller.js';
import { scriptSchema } from '../sim/script.js';

const CALLER = '+12035550101';
const CHATTER = '+12035550177';
const PHONE_PATTERNS = [/203\D{0,2}555\D{0,2}0101/, /203\D{0,2}555\D{0,2}0177/];
const NAMES = ['jane', 'smith', 'rosa', 'delgado'];

interface Run {
  lines: string[];
  health: { log: { personalData: boolean } };
  turns: { caller: string; reply: string }[];
}

async function callAndChat(env: Record<string, string>): Promise<Run> {
  const lines: string[] = [];
  const box = await startAppliance({ SPA_RING_TIMEOUT_S: '0', SPA_LOG_LEVEL: 'debug', ...env }, undefined, undefined, {
    clock: openingHoursClock(),
    logDestination: { write: (chunk) => void lines.push(...chunk.split('\n').filter((l) => l !== '')) },
  });
  try {
    await box.appliance.knowledgeReady();
    const health = (await (await fetch(`${box.url}/api/health`)).json()) as Run['health'];
    const result = await placeCall({
      target: box.sipTarget,
      codec: 'L16',
      log: createLogger({ level: 'silent' }),
      script: scriptSchema.parse({
        from: CALLER,
        turns: [{ say: "I'd like to book a chemical peel on Saturday morning" }, { say: 'the first one' }, { say: 'my name is jane smith' }, { hangup: true }],
      }),
    });
    assert.equal(result.connected, true);
    const chat = await box.api<{ reply: string }>('/api/agent/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: CHATTER, text: 'Hi, this is Rosa Delgado, can I book a facial?' }),
    });
    assert.ok(chat.reply, 'the chat was answered');
    const { calls } = await box.api<{ calls: { id: number }[] }>('/api/calls');
    const detail = await box.api<{ call: { turns: { input: string; caller: string; reply: string }[] } }>(`/api/calls/${calls[0]?.id ?? 0}`);
    // The greeting is the box's own words; every later turn holds what the caller said and the reply to it.
    const turns = detail.call.turns.filter((t) => t.input !== 'greeting');
    assert.ok(turns.length >= 3, `three caller turns were heard: ${JSON.stringify(turns)}`);
    return { lines, health, turns };
  } finally {
    await box.stop();
  }
}

/** Words of 4 letters or more that the caller said (as the recogniser heard them). */
function callerWords(turns: Run['turns']): string[] {
  return [...new Set(turns.flatMap((t) => t.caller.toLowerCase().match(/[a-z']{4,}/g) ?? []))];
}

function personalDataIn(text: string, run: Run): string[] {
  const found: string[] = [];
  for (const p of PHONE_PATTERNS) if (p.test(text)) found.push(`phone ${p.source}`);
  for (const w of [...NAMES, ...callerWords(run.turns)]) if (new RegExp(`\\b${w}\\b`, 'i').test(text)) found.push(`word "${w}"`);
  for (const t of run.turns) if (text.includes(t.reply)) found.push(`reply "${t.reply}"`);
  return found;
}

test('at the default settings no phone number, name or transcript word of a call or a chat appears in any log line, even at debug', async () => {
  const run = await callAndChat({});
  assert.equal(run.health.log.personalData, false, 'health says the switch is off');
  assert.ok(run.lines.length > 10, 'the run was logged');
  assert.ok(run.lines.some((l) => l.includes('"msg":"caller said"')), 'the caller turns were logged, without their text');
  for (const line of run.lines) assert.deepEqual(personalDataIn(line, run), [], line);
});

test('with SPA_LOG_PERSONAL=1 the caller number and the transcript are logged for support, under pii only, and health says so', async () => {
  const run = await callAndChat({ SPA_LOG_PERSONAL: '1' });
  assert.equal(run.health.log.personalData, true, 'health says the switch is on');
  const parsed = run.lines.map((l) => JSON.parse(l) as { msg: string; pii?: Record<string, unknown> });
  const said = parsed.filter((l) => l.msg === 'caller said').map((l) => l.pii?.text);
  const replies = parsed.filter((l) => l.msg === 'reply').map((l) => l.pii?.text);
  for (const t of run.turns) {
    assert.ok(said.includes(t.caller), `"${t.caller}" is logged under pii`);
    assert.ok(replies.includes(t.reply), `"${t.reply}" is logged under pii`);
  }
  assert.ok(said.some((t) => typeof t === 'string' && /jane smith/.test(t)), 'the name the caller gave is there');
  assert.ok(parsed.some((l) => l.pii?.caller === CALLER), 'the calling number is there');
  // Outside `pii`, the lines are as clean as with the switch off.
  for (const l of parsed) {
    const { pii: _personal, ...rest } = l;
    assert.deepEqual(personalDataIn(JSON.stringify(rest), run), [], JSON.stringify(l));
  }
});
