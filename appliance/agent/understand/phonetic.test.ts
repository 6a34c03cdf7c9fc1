import assert from 'node:assert/strict';
import { test } from 'node:test';
import { demoSpa } from '../../booking/demo-spa.js';
import { soundDistance } from './phonetic.js';
import { findProvider } from './providers.js';
import { ServiceMatcher } from './services.js';

const spa = demoSpa();
const matcher = new ServiceMatcher(spa.services);
const byLetters = new ServiceMatcher(spa.services, { phonetic: false });

test('names that sound alike are near: equal main codes from four sounds, one sound off only in long names', () => {
  assert.equal(soundDistance('boatox', 'botox'), 0);
  assert.equal(soundDistance('bowtocks', 'botox'), 0);
  assert.equal(soundDistance('diesport', 'dysport'), 0);
  assert.equal(soundDistance('mikerowneedling', 'microneedling'), 0);
  assert.equal(soundDistance('hidrofacial', 'hydrafacial'), 0);
  assert.equal(soundDistance('pill', 'peel'), null, 'two sounds say too little');
  assert.equal(soundDistance('facefeel', 'facepeel'), null, 'one sound off in a short name');
  assert.equal(soundDistance('cancellation', 'consultation'), null, 'one sound off at six');
  assert.equal(soundDistance('byethx', 'botox'), null, 'only by the alternative code');
  assert.equal(soundDistance('support', 'dysport'), null);
  assert.equal(soundDistance('', 'botox'), null);
});

test('services the recogniser spelled by sound are found: "bow tocks", "bought ox", "mike row needling"', () => {
  for (const [heard, id] of [
    ['can i get bow tocks on friday', 'botox'],
    ['i would like some bought ox please', 'botox'],
    ['the boat talks', 'botox'],
    ['how much is mike row needling', 'microneedling'],
    ['i want the mike roe kneeling', 'microneedling'],
  ] as const) {
    assert.deepEqual(matcher.match(heard).ids, [id], heard);
    assert.deepEqual(byLetters.match(heard).ids, [], `${heard}: found by sound, not by letters`);
  }
});

test('the names the issue lists are found: "hydro facial", "micro kneeling", "boat ox", "die sport"', () => {
  assert.deepEqual(matcher.match('i want a hydro facial').ids, ['hydrafacial-signature', 'hydrafacial-deluxe']);
  assert.deepEqual(matcher.match('book me for micro kneeling').ids, ['microneedling']);
  assert.deepEqual(matcher.match('can i get boat ox friday').ids, ['botox']);
  assert.deepEqual(matcher.match('die sport please').ids, ['dysport']);
});

test('near misses that sound a little like a service never match it', () => {
  for (const heard of [
    'k bye thx',
    'i need to cancel late',
    'what is your cancellation policy',
    'i bought socks',
    'i bought a box',
    'what about talks',
    'the sport',
    'this sorted',
    'face feel',
    'what is your support number',
    'my report card',
    'a passport photo',
    'detox tea',
    'bottles of water',
    'i need a hydrant',
    'can i book an appointment',
    'please call me back',
  ]) {
    assert.deepEqual(matcher.match(heard).ids, [], heard);
  }
});

test('a service named by its letters is never joined or outranked by a sound-alike in the same sentence', () => {
  const m = matcher.match('the chemical peel not the bow tocks');
  assert.deepEqual(m.ids, ['chemical-peel']);
  assert.ok(!m.others.includes('botox'));
});

test('a provider heard as a spelling that sounds the same is found; a word that does not is not', () => {
  assert.equal(findProvider('can i see jorden on friday', spa.providers), 'jordan-ellis');
  assert.equal(findProvider('can i see jordyn on friday', spa.providers), 'jordan-ellis');
  assert.equal(findProvider('can i see the garden on friday', spa.providers), undefined);
  assert.equal(findProvider('is it ok if i bring my daughter', spa.providers), undefined);
});
