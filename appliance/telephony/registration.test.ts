import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backoffMs, refreshDelayMs, registrarUri } from './registration.js';

test('registrar addresses in the forms installers write become SIP URIs', () => {
  assert.equal(registrarUri('192.168.1.10').toString(), 'sip:192.168.1.10');
  assert.equal(registrarUri('pbx.local:5080').toString(), 'sip:pbx.local:5080');
  assert.equal(registrarUri('sip:pbx.local;transport=tcp').toString(), 'sip:pbx.local;transport=tcp');
  assert.throws(() => registrarUri('http://[nonsense'), /not a registrar/);
});

test('registrations are refreshed a margin before they run out', () => {
  assert.equal(refreshDelayMs(600), 540_000);
  assert.equal(refreshDelayMs(3600), 3_540_000);
  assert.equal(refreshDelayMs(60), 54_000);
  assert.ok(refreshDelayMs(2) >= 1000);
});

test('retries back off from 2 s to at most 5 min, with jitter', () => {
  const mid = () => 0.5;
  assert.deepEqual([1, 2, 3, 4].map((n) => backoffMs(n, mid)), [2000, 4000, 8000, 16000]);
  assert.equal(backoffMs(20, mid), 300_000);
  assert.ok(backoffMs(3, () => 0) >= 6400 && backoffMs(3, () => 0.999) <= 9600);
});
