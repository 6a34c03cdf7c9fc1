import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createLogger } from './log.js';

function capture(personalData?: boolean): { log: ReturnType<typeof createLogger>; lines: () => Record<string, unknown>[]; text: () => string } {
  const chunks: string[] = [];
  const log = createLogger({ level: 'trace', ...(personalData === undefined ? {} : { personalData }), destination: { write: (s: string) => chunks.push(s) } });
  return { log, lines: () => chunks.join('').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>), text: () => chunks.join('') };
}

test('by default the pii field is removed from every line, from child bindings too, at every level', () => {
  const c = capture();
  const call = c.log.child({ callId: 7, pii: { caller: '+15551234567' } });
  call.info({ words: 3, pii: { text: 'book a facial' } }, 'caller turn');
  call.trace({ pii: { text: 'my name is Ada Lovelace' } }, 'caller said');
  c.log.warn({ detail: { pii: { from: 'sip:+15557654321@pbx' } } }, 'nested');
  const text = c.text();
  for (const secret of ['+15551234567', 'book a facial', 'Ada Lovelace', '+15557654321']) assert.ok(!text.includes(secret), `${secret} is not logged`);
  const [first] = c.lines();
  assert.equal(first?.callId, 7, 'the rest of the line stays');
  assert.equal(first?.words, 3);
  assert.equal(first?.msg, 'caller turn');
});

test('by default fields that can only hold personal data are removed even outside pii', () => {
  const c = capture();
  c.log.info({ phone: '+15551234567', callerName: 'Ada Lovelace', transcript: 'hello', call: { callerPhone: '+15557654321', displayName: 'Ada' }, outcome: 'missed' }, 'forgot pii');
  const text = c.text();
  for (const secret of ['+15551234567', 'Ada', 'hello', '+15557654321']) assert.ok(!text.includes(secret), `${secret} is not logged`);
  assert.equal(c.lines()[0]?.outcome, 'missed');
});

test('with the support switch on, personal data is logged under pii', () => {
  const c = capture(true);
  c.log.child({ pii: { caller: '+15551234567' } }).info({ pii: { text: 'book a facial' } }, 'caller turn');
  const line = c.text();
  assert.match(line, /"pii":\{"caller":"\+15551234567"\}/);
  assert.match(line, /"pii":\{"text":"book a facial"\}/);
});
