import { test } from 'node:test';
import assert from 'node:assert/strict';
import { callerIdentity, parseNameAddr } from './caller-id.js';

test('P-Asserted-Identity wins over Remote-Party-ID and From', () => {
  const id = callerIdentity({
    pAssertedIdentity: ['"Jane Roe" <sip:+12035550188@carrier.example>'],
    remotePartyId: ['<sip:2035550111@pbx>;party=calling'],
    from: '"Front Desk" <sip:201@pbx.local>;tag=abc',
  });
  assert.deepEqual(id, { phone: '+12035550188', raw: '+12035550188', displayName: 'Jane Roe', source: 'P-Asserted-Identity', withheld: false });
});

test('Remote-Party-ID, then From, in national or tel: forms, become E.164', () => {
  assert.equal(callerIdentity({ remotePartyId: ['"X" <sip:(203) 555-0188@pbx>;party=calling'], from: '<sip:201@pbx>' }).phone, '+12035550188');
  assert.equal(callerIdentity({ from: '<tel:+1-203-555-0188>;tag=1' }).phone, '+12035550188');
  assert.equal(callerIdentity({ from: 'sip:12035550188@10.0.0.5;tag=9' }).phone, '+12035550188');
});

test('extensions and anonymous callers keep no phone number', () => {
  const ext = callerIdentity({ from: '"Room 2" <sip:201@pbx.local>;tag=1' });
  assert.equal(ext.phone, null);
  assert.equal(ext.raw, '201');
  const anon = callerIdentity({ from: '"Anonymous" <sip:anonymous@anonymous.invalid>;tag=1' });
  assert.equal(anon.phone, null);
  assert.equal(anon.withheld, true);
  assert.equal(callerIdentity({ from: '<sip:+12035550188@x>;tag=1', privacy: 'id' }).withheld, true);
  assert.equal(callerIdentity({ remotePartyId: ['<sip:2035550188@x>;privacy=full'] }).phone, null);
});

test('garbage headers never throw and yield no identity', () => {
  for (const v of ['', '<', '<sip:', '"unterminated <sip:1@x', 'mailto:a@b', '<sip:a b c@x>', 'x'.repeat(5000), '\u0000\u0001']) {
    assert.doesNotThrow(() => callerIdentity({ from: v, pAssertedIdentity: [v], remotePartyId: [v] }));
    assert.equal(callerIdentity({ from: v }).phone, null);
  }
  assert.equal(parseNameAddr('<sip:host.only>')?.user, '');
});
