import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { demoSpa } from './demo-spa.js';
import type { WallSpan, WeeklySpan } from './types.js';

const spa = demoSpa();
const { profile, services, providers, knowledge } = spa;

const HHMM = /^(?:[01]\d|2[0-3]):[0-5]\d$|^24:00$/;

function minutes(hhmm: string): number {
  const [h, m] = hhmm.split(':').map(Number);
  return (h ?? NaN) * 60 + (m ?? NaN);
}

function contains(outer: WallSpan, inner: WallSpan): boolean {
  return minutes(outer.start) <= minutes(inner.start) && minutes(inner.end) <= minutes(outer.end);
}

function onDay(spans: WeeklySpan[], weekday: number): WeeklySpan[] {
  return spans.filter((s) => s.weekday === weekday);
}

function duplicates(values: string[]): string[] {
  return values.filter((v, i) => values.indexOf(v) !== i);
}

function allSpans(): { label: string; span: WeeklySpan }[] {
  return [
    ...profile.hours.map((span) => ({ label: 'spa hours', span })),
    ...providers.flatMap((p) => [
      ...p.hours.map((span) => ({ label: `${p.id} hours`, span })),
      ...p.breaks.map((span) => ({ label: `${p.id} break`, span })),
    ]),
  ];
}

function dollars(cents: number): string {
  return cents % 100 === 0 ? `$${cents / 100}` : `$${(cents / 100).toFixed(2)}`;
}

void describe('demo spa: shape and counts', () => {
  void test('has about a dozen services (10-16) and exactly 3 providers', () => {
    assert.ok(services.length >= 10 && services.length <= 16, `service count ${services.length}`);
    assert.equal(providers.length, 3);
  });

  void test('has between 18 and 25 knowledge entries', () => {
    assert.ok(knowledge.length >= 18 && knowledge.length <= 25, `knowledge count ${knowledge.length}`);
  });

  void test('every call returns fresh objects, so mutating one result does not leak into the next', () => {
    const a = demoSpa();
    a.services[0]?.aliases.push('mutated');
    a.profile.hours.length = 0;
    const b = demoSpa();
    assert.deepEqual(b, spa);
    assert.notEqual(a.services, b.services);
  });

  void test('all services and providers are active', () => {
    assert.deepEqual(services.filter((s) => !s.active).map((s) => s.id), []);
    assert.deepEqual(providers.filter((p) => !p.active).map((p) => p.id), []);
  });
});

void describe('demo spa: profile', () => {
  void test('phone is a US E.164 number in the fictional 555-01xx range', () => {
    assert.match(profile.phone, /^\+1[2-9]\d{2}55501\d{2}$/);
  });

  void test('timeZone is America/New_York and a zone Intl accepts', () => {
    assert.equal(profile.timeZone, 'America/New_York');
    assert.doesNotThrow(() => new Intl.DateTimeFormat('en-US', { timeZone: profile.timeZone }));
  });

  void test('name and address are non-empty', () => {
    assert.ok(profile.name.trim().length > 0);
    assert.ok(profile.address.trim().length > 0);
  });

  void test('spa is open Monday to Saturday and closed on Sunday', () => {
    for (const weekday of [1, 2, 3, 4, 5, 6]) {
      assert.ok(onDay(profile.hours, weekday).length > 0, `open on weekday ${weekday}`);
    }
    assert.deepEqual(onDay(profile.hours, 7), []);
  });

  void test('closures are real calendar dates, start <= end, each with a reason', () => {
    assert.ok(profile.closures.length >= 2);
    for (const c of profile.closures) {
      for (const date of [c.startDate, c.endDate]) {
        assert.match(date, /^\d{4}-\d{2}-\d{2}$/);
        assert.equal(new Date(`${date}T00:00:00Z`).toISOString().slice(0, 10), date, `${date} is a real date`);
      }
      assert.ok(c.startDate <= c.endDate, `${c.reason}: start <= end`);
      assert.ok(c.reason.trim().length > 0);
    }
  });
});

void describe('demo spa: wall-clock spans', () => {
  void test('all HH:MM strings are valid and every span starts before it ends', () => {
    for (const { label, span } of allSpans()) {
      assert.match(span.start, HHMM, `${label} start`);
      assert.match(span.end, HHMM, `${label} end`);
      assert.ok(minutes(span.start) < minutes(span.end), `${label} ${span.start}-${span.end}`);
      assert.ok(Number.isInteger(span.weekday) && span.weekday >= 1 && span.weekday <= 7, `${label} weekday`);
    }
  });

  void test('spans of the same kind never overlap on one weekday', () => {
    const groups = [
      { label: 'spa hours', spans: profile.hours },
      ...providers.flatMap((p) => [
        { label: `${p.id} hours`, spans: p.hours },
        { label: `${p.id} breaks`, spans: p.breaks },
      ]),
    ];
    for (const { label, spans } of groups) {
      for (let weekday = 1; weekday <= 7; weekday++) {
        const day = onDay(spans, weekday).sort((x, y) => minutes(x.start) - minutes(y.start));
        for (let i = 1; i < day.length; i++) {
          assert.ok(minutes(day[i - 1]!.end) <= minutes(day[i]!.start), `${label} overlap on weekday ${weekday}`);
        }
      }
    }
  });

  void test("every provider's hours fall within the spa's opening hours for that weekday", () => {
    for (const p of providers) {
      for (const h of p.hours) {
        const open = onDay(profile.hours, h.weekday);
        assert.ok(
          open.some((o) => contains(o, h)),
          `${p.id} works ${h.start}-${h.end} on weekday ${h.weekday} outside opening hours`,
        );
      }
    }
  });

  void test("every provider's breaks fall within that provider's hours on the same weekday", () => {
    for (const p of providers) {
      for (const b of p.breaks) {
        assert.ok(
          onDay(p.hours, b.weekday).some((h) => contains(h, b)),
          `${p.id} break ${b.start}-${b.end} on weekday ${b.weekday} outside working hours`,
        );
      }
    }
  });

  void test('every provider has a lunch break (30-60 min) on each working day and no provider works every day', () => {
    for (const p of providers) {
      const workdays = new Set(p.hours.map((h) => h.weekday));
      assert.ok(workdays.size >= 1 && workdays.size < 6, `${p.id} works ${workdays.size} days`);
      for (const weekday of workdays) {
        const breaks = onDay(p.breaks, weekday);
        assert.ok(breaks.length > 0, `${p.id} has no break on weekday ${weekday}`);
        for (const b of breaks) {
          const len = minutes(b.end) - minutes(b.start);
          assert.ok(len >= 30 && len <= 60, `${p.id} break length ${len}`);
        }
      }
    }
  });

  void test('every day the spa is open, at least one provider works', () => {
    for (const weekday of new Set(profile.hours.map((h) => h.weekday))) {
      assert.ok(
        providers.some((p) => onDay(p.hours, weekday).length > 0),
        `nobody works on weekday ${weekday}`,
      );
    }
  });
});

void describe('demo spa: ids and references', () => {
  void test('service ids, provider ids and knowledge ids are unique kebab-case slugs', () => {
    for (const ids of [services.map((s) => s.id), providers.map((p) => p.id), knowledge.map((k) => k.id)]) {
      assert.deepEqual(duplicates(ids), []);
      for (const id of ids) assert.match(id, /^[a-z0-9]+(?:-[a-z0-9]+)*$/);
    }
  });

  void test("every service's providerIds are non-empty, exist, and each such provider has working hours", () => {
    const byId = new Map(providers.map((p) => [p.id, p]));
    for (const s of services) {
      assert.ok(s.providerIds.length > 0, `${s.id} has no providers`);
      assert.deepEqual(duplicates(s.providerIds), [], `${s.id} lists a provider twice`);
      for (const pid of s.providerIds) {
        const p = byId.get(pid);
        assert.ok(p, `${s.id} names unknown provider ${pid}`);
        assert.ok(p.hours.length > 0, `${pid} performs ${s.id} but has no hours`);
      }
    }
  });

  void test('every provider performs at least one service', () => {
    for (const p of providers) {
      assert.ok(services.some((s) => s.providerIds.includes(p.id)), `${p.id} performs nothing`);
    }
  });

  void test("each service (with its buffers) fits in at least one of its providers' working spans", () => {
    for (const s of services) {
      const block = s.bufferBeforeMin + s.durationMin + s.bufferAfterMin;
      const longest = Math.max(
        ...providers
          .filter((p) => s.providerIds.includes(p.id))
          .flatMap((p) => p.hours.map((h) => minutes(h.end) - minutes(h.start))),
      );
      assert.ok(block <= longest, `${s.id} needs ${block} min, longest span ${longest}`);
    }
  });

  void test('every consultFirst service names an existing consultation that is not itself consultFirst and shares a provider', () => {
    const byId = new Map(services.map((s) => [s.id, s]));
    for (const s of services.filter((x) => x.consultFirst)) {
      assert.ok(s.consultServiceId, `${s.id} has no consultServiceId`);
      const consult = byId.get(s.consultServiceId);
      assert.ok(consult, `${s.id} points at unknown ${s.consultServiceId}`);
      assert.equal(consult.consultFirst, false, `${consult.id} is itself consultFirst`);
      assert.equal(consult.category, 'consultation');
      assert.ok(
        consult.providerIds.some((pid) => s.providerIds.includes(pid)),
        `${consult.id} shares no provider with ${s.id}`,
      );
    }
  });

  void test('services without consultFirst have a null consultServiceId', () => {
    for (const s of services.filter((x) => !x.consultFirst)) {
      assert.equal(s.consultServiceId, null, s.id);
    }
  });

  void test('all neuromodulator and filler services require a consultation first', () => {
    const injectables = services.filter((s) => s.category === 'neuromodulator' || s.category === 'filler');
    assert.ok(injectables.length >= 4);
    for (const s of injectables) assert.equal(s.consultFirst, true, s.id);
  });
});

void describe('demo spa: services', () => {
  void test('durations and buffers are positive multiples of 5 minutes', () => {
    for (const s of services) {
      for (const [field, value] of [
        ['durationMin', s.durationMin],
        ['bufferBeforeMin', s.bufferBeforeMin],
        ['bufferAfterMin', s.bufferAfterMin],
      ] as const) {
        assert.ok(Number.isInteger(value) && value > 0 && value % 5 === 0, `${s.id} ${field} = ${value}`);
      }
    }
  });

  void test('name, category and description are non-empty', () => {
    for (const s of services) {
      assert.ok(s.name.trim().length > 0, s.id);
      assert.ok(s.category.trim().length > 0, s.id);
      assert.ok(s.description.trim().length > 0, s.id);
    }
  });

  void test('each service has at least one alias; aliases are lowercase, trimmed and unique within the service', () => {
    for (const s of services) {
      assert.ok(s.aliases.length > 0, `${s.id} has no aliases`);
      assert.deepEqual(duplicates(s.aliases), [], `${s.id} duplicate aliases`);
      for (const a of s.aliases) {
        assert.equal(a, a.trim().toLowerCase(), `${s.id} alias "${a}"`);
        assert.ok(a.length > 0);
      }
    }
  });

  void test('an alias shared by several services is only shared within one category (so the caller can be asked which)', () => {
    const categories = new Map<string, Set<string>>();
    for (const s of services) {
      for (const a of s.aliases) {
        const set = categories.get(a) ?? new Set<string>();
        set.add(s.category);
        categories.set(a, set);
      }
    }
    for (const [alias, cats] of categories) {
      assert.equal(cats.size, 1, `alias "${alias}" spans categories ${[...cats].join(', ')}`);
    }
  });

  void test('"lip flip" is a neuromodulator alias and never a filler alias', () => {
    const owners = services.filter((s) => s.aliases.includes('lip flip'));
    assert.ok(owners.length > 0);
    for (const s of owners) assert.equal(s.category, 'neuromodulator', s.id);
  });

  void test('the usual spoken names resolve to a service', () => {
    const all = new Set(services.flatMap((s) => s.aliases));
    for (const said of ['botox', 'tox', 'wrinkle relaxer', 'bo talks', 'dysport', 'lip filler', 'hydrafacial', 'hydro facial', 'hydra facial', 'microneedling', 'chemical peel', 'laser hair', 'ipl', 'consultation', 'good faith exam']) {
      assert.ok(all.has(said), `nobody answers to "${said}"`);
    }
  });

  void test('prices: priceText is non-empty; priceCents is null or whole non-negative cents stated in priceText', () => {
    for (const s of services) {
      assert.ok(s.priceText.trim().length > 0, `${s.id} has no priceText`);
      if (s.priceCents === null) continue;
      assert.ok(Number.isInteger(s.priceCents) && s.priceCents >= 0, `${s.id} priceCents ${s.priceCents}`);
      if (s.priceCents === 0) assert.match(s.priceText, /free|complimentary/i, s.id);
      else assert.ok(s.priceText.includes(dollars(s.priceCents)), `${s.id} priceText "${s.priceText}" lacks ${dollars(s.priceCents)}`);
    }
  });

  void test('neuromodulators are priced per unit (priceCents null, priceText says per unit)', () => {
    for (const s of services.filter((x) => x.category === 'neuromodulator')) {
      assert.equal(s.priceCents, null, s.id);
      assert.match(s.priceText, /per unit/, s.id);
    }
  });

  void test('deposits are whole non-negative cents, no more than a fixed price, and free services take none', () => {
    for (const s of services) {
      assert.ok(Number.isInteger(s.depositCents) && s.depositCents >= 0, s.id);
      if (s.priceCents !== null) assert.ok(s.depositCents <= s.priceCents, `${s.id} deposit exceeds price`);
      if (s.priceCents === 0) assert.equal(s.depositCents, 0, `${s.id} is free but takes a deposit`);
    }
  });

  void test('the deposit-policy knowledge entry states every deposit amount the services take', () => {
    const entry = knowledge.find((k) => k.id === 'deposit-policy');
    assert.ok(entry);
    for (const s of services.filter((x) => x.depositCents > 0)) {
      assert.ok(entry.body.includes(dollars(s.depositCents)), `${s.id} deposit ${dollars(s.depositCents)} not stated`);
    }
  });
});

void describe('demo spa: knowledge base', () => {
  const TOPICS = new Set(['policy', 'preparation', 'aftercare', 'location', 'hours', 'payment', 'general']);

  void test('topics come from the known set; titles, bodies and tags are non-empty; tags are lowercase', () => {
    for (const k of knowledge) {
      assert.ok(TOPICS.has(k.topic), `${k.id} topic ${k.topic}`);
      assert.ok(k.title.trim().length > 0, `${k.id} title`);
      assert.ok(k.body.trim().length > 0, `${k.id} body`);
      assert.ok(k.tags.length > 0, `${k.id} tags`);
      assert.deepEqual(duplicates(k.tags), [], `${k.id} duplicate tags`);
      for (const t of k.tags) assert.equal(t, t.trim().toLowerCase(), `${k.id} tag "${t}"`);
    }
  });

  void test('each knowledge body is 1 to 4 sentences, short enough to say on the phone', () => {
    for (const k of knowledge) {
      const sentences = k.body.split(/[.!?](?=\s|$)/).filter((x) => x.trim().length > 0);
      assert.ok(sentences.length >= 1 && sentences.length <= 4, `${k.id} has ${sentences.length} sentences`);
    }
  });

  void test('covers the policies and care topics callers ask about', () => {
    const ids = new Set(knowledge.map((k) => k.id));
    for (const id of [
      'hours',
      'parking-directions',
      'first-visit',
      'cancellation-policy',
      'deposit-policy',
      'late-arrival',
      'age-policy',
      'pregnancy',
      'injectables-preparation',
      'botox-aftercare',
      'filler-aftercare',
      'filler-warning-signs',
      'laser-hair-preparation',
      'hydrafacial-care',
      'microneedling-aftercare',
      'chemical-peel-aftercare',
      'payment-methods',
      'financing',
      'gift-cards',
      'memberships',
    ]) {
      assert.ok(ids.has(id), `missing knowledge entry ${id}`);
    }
  });

  void test('the filler warning-signs entry tells callers to call 911 for vision changes', () => {
    const entry = knowledge.find((k) => k.id === 'filler-warning-signs');
    assert.ok(entry);
    assert.match(entry.body, /vision/);
    assert.match(entry.body, /911/);
  });

  void test('the location entry repeats the profile street address', () => {
    const entry = knowledge.find((k) => k.id === 'parking-directions');
    assert.ok(entry);
    const street = profile.address.split(',')[0] ?? '';
    assert.ok(street.length > 0 && entry.body.includes(street), `"${street}" not in location entry`);
  });
});
