import { test } from 'node:test';
import assert from 'node:assert/strict';
import { InvalidInputError, InvalidStateError, NotFoundError, SlotUnavailableError } from '../errors.js';
import { at, openTestSpa } from '../../test/helpers/spa.js';

const ADA = { phone: '(203) 555-0188', name: 'Ada Lovelace' };
const reason = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof SlotUnavailableError) return String(e.details.why);
    throw e;
  }
  assert.fail('expected the slot to be refused');
};

test('booking takes the slot: it is no longer offered and the client is stored in E.164', () => {
  const spa = openTestSpa();
  try {
    const start = at('2026-12-01T10:00');
    const appt = spa.bookings.book({ serviceId: 'botox', start, client: ADA, source: 'call' });
    assert.equal(appt.providerId, 'sophie-bennett');
    assert.equal(appt.status, 'booked');
    assert.equal(appt.blockStart, start - 5 * 60_000);
    assert.equal(appt.blockEnd, start + 40 * 60_000);
    assert.equal(spa.bookings.clientByPhone('+12035550188')?.name, 'Ada Lovelace');
    const offered = spa.bookings.availability({ serviceId: 'botox', from: at('2026-12-01T00:00'), to: at('2026-12-02T00:00') }).map((s) => s.start);
    assert.ok(!offered.includes(start));
    // The next botox needs 5 min prep after Ada's 10 min clean-up: 10:45 is the first free start.
    assert.ok(!offered.includes(at('2026-12-01T10:30')));
    assert.ok(offered.includes(at('2026-12-01T10:45')));
    assert.deepEqual(spa.bookings.history(appt.id).map((e) => e.kind), ['booked']);
  } finally {
    spa.close();
  }
});

test('a taken slot is refused with 409 and the other eligible provider is used when none was asked for', () => {
  const spa = openTestSpa();
  try {
    const start = at('2026-12-02T11:00'); // Wednesday: Maya and Jordan both do free consultations.
    const first = spa.bookings.book({ serviceId: 'free-consultation', providerId: 'jordan-ellis', start, client: ADA, source: 'staff' });
    const second = spa.bookings.book({ serviceId: 'free-consultation', start, client: { phone: '2035550199', name: 'Bo' }, source: 'call' });
    assert.notEqual(second.providerId, first.providerId);
    try {
      spa.bookings.book({ serviceId: 'free-consultation', providerId: 'jordan-ellis', start, client: { phone: '2035550100', name: 'Cy' }, source: 'web' });
      assert.fail('double booking must be refused');
    } catch (e) {
      assert.ok(e instanceof SlotUnavailableError);
      assert.equal(e.status, 409);
      assert.equal(e.details.why, 'taken');
    }
  } finally {
    spa.close();
  }
});

test('refusals say why: closed day, outside hours, too soon, wrong provider', () => {
  const spa = openTestSpa();
  try {
    const book = (serviceId: string, local: string, providerId?: string) => () =>
      spa.bookings.book({ serviceId, providerId: providerId ?? null, start: at(local), client: ADA, source: 'staff' });
    assert.equal(reason(book('botox', '2026-12-25T11:00')), 'closed');
    assert.equal(reason(book('botox', '2026-12-01T09:00')), 'outside-hours'); // Sophie starts at 10 on Tuesdays
    assert.equal(reason(book('botox', '2026-12-01T13:45')), 'outside-hours'); // lunch break
    assert.equal(reason(book('hydrafacial-signature', '2026-11-30T09:00')), 'too-soon'); // now is 08:00, notice 2 h
    assert.equal(reason(book('botox', '2026-12-03T12:00', 'maya-chen')), 'provider');
    assert.throws(book('no-such-service', '2026-12-01T11:00'), NotFoundError);
  } finally {
    spa.close();
  }
});

test('moving frees the old time, checks the new one and records the history', () => {
  const spa = openTestSpa();
  try {
    const a = spa.bookings.book({ serviceId: 'botox', start: at('2026-12-01T10:00'), client: ADA, source: 'call' });
    const b = spa.bookings.book({ serviceId: 'botox', start: at('2026-12-01T11:00'), client: { phone: '2035550199', name: 'Bo' }, source: 'call' });
    assert.equal(reason(() => spa.bookings.move(a.id, { start: at('2026-12-01T11:15'), source: 'staff' })), 'taken');
    assert.equal(spa.bookings.get(a.id).start, at('2026-12-01T10:00'), 'a refused move changes nothing');
    // Moving within its own old block is fine (it does not collide with itself).
    const moved = spa.bookings.move(a.id, { start: at('2026-12-01T10:15'), source: 'sms' });
    assert.equal(moved.start, at('2026-12-01T10:15'));
    const hist = spa.bookings.history(a.id);
    assert.deepEqual(hist.map((e) => [e.kind, e.fromStart, e.toStart]), [
      ['booked', null, at('2026-12-01T10:00')],
      ['rescheduled', at('2026-12-01T10:00'), at('2026-12-01T10:15')],
    ]);
    spa.bookings.cancel(b.id, { source: 'call', note: 'caller cancelled' });
    assert.equal(spa.bookings.move(a.id, { start: at('2026-12-01T11:00'), source: 'staff' }).start, at('2026-12-01T11:00'));
  } finally {
    spa.close();
  }
});

test('switching an appointment to another service checks the new service, keeps its id and records what it was', () => {
  const spa = openTestSpa();
  try {
    const peel = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-01T10:00'), client: ADA, source: 'call' });
    // Botox is not something the peel's provider does: refused with the provider named, nothing changed.
    assert.equal(reason(() => spa.bookings.move(peel.id, { start: peel.start, providerId: peel.providerId, serviceId: 'botox', source: 'call' })), 'provider');
    assert.equal(spa.bookings.get(peel.id).serviceId, 'chemical-peel');
    const switched = spa.bookings.move(peel.id, { start: peel.start, serviceId: 'hydrafacial-signature', source: 'call' });
    assert.equal(switched.id, peel.id);
    assert.equal(switched.serviceId, 'hydrafacial-signature');
    assert.equal(switched.providerId, peel.providerId, 'the provider stays when they do the new service');
    const signature = spa.catalogue.service('hydrafacial-signature');
    assert.equal(switched.end - switched.start, (signature?.durationMin ?? 0) * 60_000, "the new service's length");
    const last = spa.bookings.history(peel.id).at(-1);
    assert.deepEqual([last?.kind, last?.note], ['rescheduled', 'service chemical-peel -> hydrafacial-signature']);
    // Unsaid, a provider who does not do the new service gives way to one who does.
    const toBotox = spa.bookings.move(peel.id, { start: at('2026-12-01T11:00'), serviceId: 'botox', source: 'call' });
    assert.equal(toBotox.serviceId, 'botox');
    assert.notEqual(toBotox.providerId, peel.providerId);
  } finally {
    spa.close();
  }
});

test('cancelling frees the slot and cannot be done twice', () => {
  const spa = openTestSpa();
  try {
    const start = at('2026-12-01T10:00');
    const a = spa.bookings.book({ serviceId: 'botox', start, client: ADA, source: 'call' });
    assert.equal(spa.bookings.cancel(a.id, { source: 'call' }).status, 'cancelled');
    assert.throws(() => spa.bookings.cancel(a.id, { source: 'call' }), InvalidStateError);
    assert.throws(() => spa.bookings.move(a.id, { start: at('2026-12-01T11:00'), source: 'call' }), InvalidStateError);
    const again = spa.bookings.book({ serviceId: 'botox', start, client: { phone: '2035550199', name: 'Bo' }, source: 'call' });
    assert.equal(again.status, 'booked');
    assert.deepEqual(spa.bookings.history(a.id).map((e) => e.kind), ['booked', 'cancelled']);
  } finally {
    spa.close();
  }
});

test('a hold keeps a slot for its caller only, until it expires', () => {
  const spa = openTestSpa();
  try {
    const start = at('2026-12-01T10:00');
    const hold = spa.bookings.hold({ serviceId: 'botox', start, holder: 'call-A' });
    assert.equal(hold.expiresAt, spa.clock.now() + 300_000);
    const day = { serviceId: 'botox', from: at('2026-12-01T00:00'), to: at('2026-12-02T00:00') };
    assert.ok(!spa.bookings.availability(day).some((s) => s.start === start), 'others do not see the held slot');
    assert.ok(spa.bookings.availability({ ...day, holder: 'call-A' }).some((s) => s.start === start), 'the holder still sees it');
    assert.equal(reason(() => spa.bookings.book({ serviceId: 'botox', start, client: ADA, source: 'sms', holder: 'call-B' })), 'taken');
    const booked = spa.bookings.book({ serviceId: 'botox', start, client: ADA, source: 'call', holder: 'call-A' });
    assert.equal(booked.start, start);
    assert.equal(spa.db.prepare('SELECT COUNT(*) AS n FROM slot_holds').pluck().get(), 0, 'booking consumes the hold');

    const later = at('2026-12-01T15:00');
    spa.bookings.hold({ serviceId: 'botox', start: later, holder: 'call-C' });
    spa.clock.advance(301_000);
    const b = spa.bookings.book({ serviceId: 'botox', start: later, client: { phone: '2035550199', name: 'Bo' }, source: 'call', holder: 'call-D' });
    assert.equal(b.start, later, 'an expired hold no longer blocks anyone');
  } finally {
    spa.close();
  }
});

test('bad phone numbers are refused before anything is stored', () => {
  const spa = openTestSpa();
  try {
    for (const phone of ['', 'hello', '12', '+1 (203) 555-01 ext. abc', '9'.repeat(80)]) {
      assert.throws(
        () => spa.bookings.book({ serviceId: 'botox', start: at('2026-12-01T10:00'), client: { phone, name: 'X' }, source: 'web' }),
        InvalidInputError,
        phone,
      );
    }
    assert.equal(spa.db.prepare('SELECT COUNT(*) AS n FROM appointments').pluck().get(), 0);
    assert.equal(spa.db.prepare('SELECT COUNT(*) AS n FROM clients').pluck().get(), 0);
  } finally {
    spa.close();
  }
});

test('a client is new until a visit is completed', () => {
  const spa = openTestSpa();
  try {
    const a = spa.bookings.book({ serviceId: 'injectables-consult', start: at('2026-12-01T10:00'), client: ADA, source: 'call' });
    assert.equal(spa.bookings.clientByPhone(ADA.phone)?.isNew, true);
    spa.bookings.setStatus(a.id, 'completed', 'staff');
    assert.equal(spa.bookings.clientByPhone(ADA.phone)?.isNew, false);
  } finally {
    spa.close();
  }
});

test('searches see every change: own bookings, moves and cancels, another process, and raw SQL edits', () => {
  const spa = openTestSpa();
  const other = openTestSpa({ dbPath: spa.dbPath, seed: false }); // a second connection, as another process has
  try {
    const day = { serviceId: 'botox', from: at('2026-12-01T00:00'), to: at('2026-12-02T00:00') };
    const offered = (t: string): boolean => spa.bookings.availability(day).some((s) => s.start === at(t));
    assert.ok(offered('2026-12-01T10:00'));
    const a = spa.bookings.book({ serviceId: 'botox', start: at('2026-12-01T10:00'), client: ADA, source: 'call' });
    assert.ok(!offered('2026-12-01T10:00'), 'own booking');
    spa.bookings.move(a.id, { start: at('2026-12-01T11:00'), source: 'call' });
    assert.ok(offered('2026-12-01T10:00') && !offered('2026-12-01T11:00'), 'own move');
    spa.bookings.cancel(a.id, { source: 'call' });
    assert.ok(offered('2026-12-01T11:00'), 'own cancel');

    other.bookings.book({ serviceId: 'botox', start: at('2026-12-01T15:00'), client: ADA, source: 'sms' });
    assert.ok(!offered('2026-12-01T15:00'), 'a booking by another connection');
    spa.db.prepare(`UPDATE appointments SET status = 'cancelled' WHERE start = ?`).run(at('2026-12-01T15:00'));
    assert.ok(offered('2026-12-01T15:00'), 'a raw SQL edit');
  } finally {
    other.db.close();
    spa.close();
  }
});

test('catalogue changes reach searches at once (own, another connection, raw SQL); bookings leave the catalogue revision alone', () => {
  const spa = openTestSpa();
  const other = openTestSpa({ dbPath: spa.dbPath, seed: false });
  try {
    const day = { serviceId: 'botox', from: at('2026-12-01T00:00'), to: at('2026-12-02T00:00') };
    const offered = (t: string): boolean => spa.bookings.availability(day).some((s) => s.start === at(t));
    assert.ok(offered('2026-12-01T10:00'));
    const rev = spa.catalogue.revision();
    spa.bookings.book({ serviceId: 'botox', start: at('2026-12-01T16:00'), client: ADA, source: 'call' });
    assert.equal(spa.catalogue.revision(), rev, 'a booking is not a catalogue change');
    other.catalogue.addClosure({ startDate: '2026-12-01', endDate: '2026-12-01', reason: 'Staff training' });
    assert.ok(spa.catalogue.revision() > rev);
    assert.ok(!offered('2026-12-01T10:00'), 'a closure added by another connection');
    spa.db.prepare(`DELETE FROM closures WHERE reason = 'Staff training'`).run();
    assert.ok(offered('2026-12-01T10:00'), 'a raw SQL edit of the catalogue');
    spa.db.prepare(`UPDATE services SET duration_min = 600 WHERE id = 'botox'`).run();
    assert.ok(!offered('2026-12-01T10:00'), 'a service edited in SQL: ten hours no longer fit');
  } finally {
    other.db.close();
    spa.close();
  }
});

test('a booking never renames a client: the same person (any spelling) is reused, another name on the number is another client', () => {
  const spa = openTestSpa();
  try {
    const peel = (start: string, name: string, phone = ADA.phone) =>
      spa.bookings.book({ serviceId: 'chemical-peel', start: at(start), client: { phone, name }, source: 'call' });
    const a = peel('2026-12-01T10:00', 'Olivia Grant');
    const b = peel('2026-12-02T11:00', '  grant,  OLIVIA ');
    assert.equal(b.clientId, a.clientId, 'the same person, said differently');
    const c = peel('2026-12-03T12:00', 'Emma Grant');
    assert.notEqual(c.clientId, a.clientId, 'a family member sharing the phone gets her own record');
    assert.deepEqual(spa.bookings.clientsByPhone(ADA.phone).map((x) => x.name), ['Olivia Grant', 'Emma Grant']);
    assert.equal(spa.bookings.client(a.clientId)?.name, 'Olivia Grant', 'never renamed');
    assert.equal(spa.bookings.client(c.clientId)?.name, 'Emma Grant');
    assert.equal(spa.bookings.clientByPhone(ADA.phone)?.name, 'Olivia Grant', "the number's first client");
    assert.equal(spa.bookings.clientOnNumber(ADA.phone, 'emma grant')?.id, c.clientId);
    assert.equal(spa.bookings.clientOnNumber(ADA.phone, 'Jack Grant'), undefined);
    const all = { from: at('2026-11-30T00:00'), to: at('2027-01-01T00:00') };
    assert.deepEqual(spa.bookings.clientsNamedWithBooking('Grant Emma', all.from, all.to).map((x) => x.id), [c.clientId]);
    assert.deepEqual(spa.bookings.clientsNamedWithBooking('Olivia Grant', at('2026-12-02T00:00'), at('2026-12-03T00:00')).map((x) => x.id), [a.clientId]);
    assert.deepEqual(spa.bookings.clientsNamedWithBooking('Olivia Grant', at('2026-12-03T00:00'), at('2026-12-04T00:00')), [], 'her only appointments are on other days');
    spa.bookings.cancel(c.id, { source: 'staff' });
    assert.deepEqual(spa.bookings.clientsNamedWithBooking('Emma Grant', all.from, all.to), [], 'a cancelled appointment proves nothing');
  } finally {
    spa.close();
  }
});

test('each person on a shared number has their own visits: a returning parent does not make a new teenager returning', () => {
  const spa = openTestSpa();
  try {
    const first = spa.bookings.book({ serviceId: 'injectables-consult', start: at('2026-12-01T10:00'), client: { phone: ADA.phone, name: 'Olivia Grant' }, source: 'call' });
    spa.bookings.setStatus(first.id, 'completed', 'staff');
    spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: { phone: ADA.phone, name: 'Emma Grant' }, source: 'call' });
    assert.equal(spa.bookings.clientOnNumber(ADA.phone, 'Olivia Grant')?.isNew, false);
    assert.equal(spa.bookings.clientOnNumber(ADA.phone, 'Emma Grant')?.isNew, true);
  } finally {
    spa.close();
  }
});

test('a number on file under no name (a keypad booking) takes the name given next; a booking with no name uses the number\'s first client', () => {
  const spa = openTestSpa();
  try {
    const keypad = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-01T10:00'), client: { phone: ADA.phone, name: '' }, source: 'call' });
    const named = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-02T11:00'), client: ADA, source: 'call' });
    assert.equal(named.clientId, keypad.clientId);
    assert.equal(spa.bookings.client(keypad.clientId)?.name, 'Ada Lovelace');
    const nameless = spa.bookings.book({ serviceId: 'chemical-peel', start: at('2026-12-03T12:00'), client: { phone: ADA.phone }, source: 'call' });
    assert.equal(nameless.clientId, keypad.clientId);
    assert.equal(spa.bookings.clientsByPhone(ADA.phone).length, 1);
  } finally {
    spa.close();
  }
});
