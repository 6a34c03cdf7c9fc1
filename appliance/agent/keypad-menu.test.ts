// The receptionist by keypad (8 kHz calls without a Whisper model): booking through menus built
// from the catalogue, hours and address, call-back requests, and patience with wrong keys.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { at, openTestSpa, type TestSpa } from '../../test/helpers/spa.js';
import type { Receptionist } from './receptionist.js';
import { testReceptionist } from '../../test/helpers/agent.js';

function make(spa: TestSpa, transferTo: string | null = null): Receptionist {
  return testReceptionist(spa, { transferTo, recordingNotice: '' });
}

describe('keypad receptionist', () => {
  test('books a chemical peel by keys: menu -> category -> service -> first time -> confirm', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const { conversation, action } = r.startKeypadCall({ callId: null, callerPhone: '+12035550188' });
      assert.match(action.reply, /To book an appointment, press 1\./);
      assert.doesNotMatch(action.reply, /How can I help/);
      const cats = r.keypad(conversation, '1');
      // Categories are listed with their first services' names.
      const skin = /For ([^.]*Chemical Peel[^.]*), press (\d)\./.exec(cats.reply);
      assert.ok(skin, cats.reply);
      const svcMenu = r.keypad(conversation, skin[2] ?? '');
      const peel = /For Chemical Peel, press (\d)\./.exec(svcMenu.reply);
      assert.ok(peel, svcMenu.reply);
      const times = r.keypad(conversation, peel[1] ?? '');
      assert.match(times.reply, /, press 1\..*For later times, press 9\./);
      const confirm = r.keypad(conversation, '1');
      assert.match(confirm.reply, /To book Chemical Peel with Maya Chen on .* press 1\./);
      const done = r.keypad(conversation, '1');
      assert.match(done.reply, /all set/);
      const booked = spa.bookings.list(at('2026-11-30T00:00'), at('2027-01-01T00:00'));
      assert.equal(booked.length, 1);
      assert.equal(booked[0]?.serviceId, 'chemical-peel');
      assert.equal(booked[0]?.source, 'call');
      assert.equal(spa.bookings.client(booked[0]?.clientId ?? 0)?.phone, '+12035550188');
      // The first offer was the earliest free slot.
      const earliest = spa.bookings.availability({ serviceId: 'chemical-peel', from: spa.clock.now(), to: at('2026-12-31T00:00'), limit: 1 });
      assert.ok((earliest[0]?.start ?? Infinity) > (booked[0]?.start ?? 0));
    } finally {
      spa.close();
    }
  });

  test('a new Botox client by keypad is booked into the consultation; 9 hears later times', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const { conversation } = r.startKeypadCall({ callId: null, callerPhone: '+12035550188' });
      const cats = r.keypad(conversation, '1');
      const tox = /For (Botox[^.]*), press (\d)\./.exec(cats.reply);
      assert.ok(tox, cats.reply);
      const svc = r.keypad(conversation, tox[2] ?? '');
      const botox = /For Botox, press (\d)\./.exec(svc.reply);
      assert.ok(botox, svc.reply);
      const first = r.keypad(conversation, botox[1] ?? '');
      assert.match(first.reply, /free consultation/);
      const later = r.keypad(conversation, '9');
      assert.notEqual(later.reply, first.reply);
      r.keypad(conversation, '2');
      r.keypad(conversation, '1');
      const booked = spa.bookings.list(at('2026-11-30T00:00'), at('2027-01-01T00:00'));
      assert.equal(booked[0]?.serviceId, 'injectables-consult');
      assert.match(booked[0]?.notes ?? '', /Botox/);
    } finally {
      spa.close();
    }
  });

  test('2 reads hours and address; 3 asks for a call back (a staff alert); 0 transfers when open', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa, '201');
      const { conversation } = r.startKeypadCall({ callId: null, callerPhone: '+12035550188' });
      assert.match(r.keypad(conversation, '2').reply, /Monday through Friday.*Harbor View Drive/s);
      assert.match(r.keypad(conversation, '3').reply, /call you back/);
      assert.equal(r.alerts()[0]?.kind, 'message');
      assert.equal(r.keypad(conversation, '0').transfer, true);
    } finally {
      spa.close();
    }
  });

  test('wrong keys and silence are repeated twice, then a polite goodbye', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const { conversation } = r.startKeypadCall({ callId: null, callerPhone: null });
      assert.match(r.keypad(conversation, '7').reply, /not one of the choices.*press 1/);
      assert.match(r.keypad(conversation, null).reply, /didn't hear a key/);
      const bye = r.keypad(conversation, '8');
      assert.equal(bye.hangup, true);
      assert.match(bye.reply, /Goodbye/);
    } finally {
      spa.close();
    }
  });

  test('with a withheld number, booking by keypad is refused and staff are told', () => {
    const spa = openTestSpa({ now: at('2026-11-30T10:00') });
    try {
      const r = make(spa);
      const { conversation } = r.startKeypadCall({ callId: null, callerPhone: null });
      assert.match(r.keypad(conversation, '1').reply, /can't see the number/);
      assert.equal(spa.bookings.list(at('2026-11-30T00:00'), at('2027-01-01T00:00')).length, 0);
    } finally {
      spa.close();
    }
  });
});
