// The rules the receptionist understands callers by: table tests over normalisation, dates and
// times in the spa's zone, service matching, names, numbers and intents.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { demoSpa } from '../../booking/demo-spa.js';
import { normalizeUtterance } from './normalize.js';
import { extractName, extractPhone, understandRules } from './rules.js';
import { ServiceMatcher } from './services.js';
import { parseWhen } from './when.js';

const spa = demoSpa();
const services = new ServiceMatcher(spa.services);
const ZONE = 'America/New_York';
const MONDAY_10AM = Date.parse('2026-11-30T15:00:00Z');
const ctx = { now: MONDAY_10AM, zone: ZONE, services, providers: spa.providers };

describe('spoken numbers become digits', () => {
  for (const [said, canonical] of [
    ['Two thirty on Friday', '2:30 on friday'],
    ["three o'clock", '3:00'],
    ['ten a m', '10am'],
    ['the fourteenth', 'the 14th'],
    ['december twenty first', 'december 21st'],
    ['half past four', '4:30'],
    ['five five five one two three four', '5 5 5 1 2 3 4'],
    ['Friday at ten, please.', 'friday at 10, please.'],
    ['two oh three, five five five, oh one four two', '2 0 3, 5 5 5, 0 1 4 2'],
  ] as const) {
    test(`"${said}" -> "${canonical}"`, () => assert.equal(normalizeUtterance(said), canonical));
  }
});

describe('when: days forward from Monday 2026-11-30 10:00 in New York, times as spa hours', () => {
  const cases: [string, Record<string, unknown> | null][] = [
    ['next tuesday afternoon', { day: '2026-12-08', fromMin: 720, toMin: 1020 }],
    ['tomorrow after 3', { day: '2026-12-01', fromMin: 900, toMin: 1440 }],
    ['the 14th', { day: '2026-12-14' }],
    ['the 2nd', { day: '2026-12-02' }],
    ['friday at 2:30', { day: '2026-12-04', targetMin: 870 }],
    ['saturday at 10am', { day: '2026-12-05', targetMin: 600 }],
    ['as soon as possible', { asap: true }],
    ['next week', { day: '2026-12-07', days: 7 }],
    ['between 2 and 4 on thursday', { day: '2026-12-03', fromMin: 840, toMin: 960 }],
    ['friday... wait, saturday morning', { day: '2026-12-05', fromMin: 0, toMin: 720 }],
    ['how much is botox', null],
    ['may i book botox', null],
    ['it costs $700', null],
  ];
  for (const [text, want] of cases) {
    test(`"${text}"`, () => {
      const got = parseWhen(normalizeUtterance(text), MONDAY_10AM, ZONE);
      if (want === null) assert.equal(got, null);
      else for (const [k, v] of Object.entries(want)) assert.deepEqual((got as unknown as Record<string, unknown>)[k], v, `${k} of ${JSON.stringify(got)}`);
    });
  }
});

describe('services by name, alias, category and misrecognition', () => {
  const cases: [string, string[]][] = [
    // A bare "HydraFacial" (misheard or not) names both; the kind picks one.
    ['a hydro facial please', ['hydrafacial-deluxe', 'hydrafacial-signature']],
    ['the classic hydra facial', ['hydrafacial-signature']],
    ['bo talks', ['botox']],
    ['botx for my forehead', ['botox']],
    ['the deluxe hydrafacial', ['hydrafacial-deluxe']],
    ['laser hair removal on my underarms', ['laser-hair-small']],
    ['filler', ['cheek-filler', 'lip-filler']],
    ['lazer hair removal for legs', ['laser-hair-large']],
    ['i want to come in friday', []],
    // Ordinary words are no services: "later" is not "laser", "feel" not "peel", "skin" no category.
    ['can you call me later', []],
    ['can you help me file a claim', []],
    ['my face feels tight', []],
    ['my skin is so dry lately', []],
    // A category word counts for the services named with it: "laser" is hair removal, not IPL.
    ['laser please', ['laser-hair-large', 'laser-hair-small']],
    ['laser on my chin', ['laser-hair-small']],
    // Said of a service named by name, a category word is about that service, not its others.
    ['what is IPL, is laser?', ['ipl-photofacial']],
    ['is the photofacial a kind of laser', ['ipl-photofacial']],
    ['a consultation', ['free-consultation', 'injectables-consult']],
    ['the free consultation', ['free-consultation']],
    // A word only one service's name has is enough.
    ['the deluxe one', ['hydrafacial-deluxe']],
    // Spellings by sound and letters spelled aloud.
    ['die sport', ['dysport']],
    ['book the peal', ['chemical-peel']],
    ['lip filer', ['lip-filler']],
    ['the eye pee el thing', ['ipl-photofacial']],
    ['what is i p l', ['ipl-photofacial']],
    ['micro needling with the pee are pee', ['microneedling-prp']],
    // The one not ruled out; a body part said as a treatment; an area settles a family.
    ['dysport, not botox', ['dysport']],
    ['can i get my lips done', ['lip-filler']],
    ['my upper lip stings since the filler', ['lip-filler']],
    ['laser on my under arms', ['laser-hair-small']],
    // A name word cut short; a near word said inside a name; a tie settled by an alias word but not by "free".
    ['how long does a consult take', ['free-consultation', 'injectables-consult']],
    ['is the consultation free of charge', ['free-consultation', 'injectables-consult']],
    ['does chick filler hurt', ['cheek-filler']],
    ['i want a lip flit', ['botox']],
    ['the facial with the led light', ['hydrafacial-deluxe']],
    ['what counts as a small area for laser', ['laser-hair-small']],
    // A consultation about a service is the consultation, the one that service's new clients have
    // or else the general one; not a consultation had already.
    ['a consultation about laser hair removal please', ['free-consultation']],
    ['i would like a consult for dysport', ['injectables-consult']],
    ['can i get a consultation for microneedling', ['free-consultation']],
    ['a hydrafacial consultation', ['free-consultation']],
    ['consultation for microneedling with prp', ['injectables-consult']],
    ['i had a consultation for microneedling last week and want to book it', ['microneedling']],
  ];
  for (const [text, ids] of cases) test(`"${text}" -> ${ids.join(', ') || 'none'}`, () => assert.deepEqual(services.match(text).ids.sort(), ids));
  test('a second service named elsewhere in the sentence, its area settled too', () => {
    const m = services.match('a chemical peel and a quick laser session on my chin');
    assert.deepEqual(m.ids, ['chemical-peel']);
    assert.deepEqual(m.others, ['laser-hair-small']);
  });
  test('a category word joined to a service named by name is a second service, not said of the first', () => {
    const m = services.match('the photofacial and laser on my legs');
    assert.deepEqual([...m.ids, ...m.others].sort(), ['ipl-photofacial', 'laser-hair-large']);
  });
  test('no name said, what a treatment is priced in names the services priced so ("20 units", "a syringe"); "my unit number" does not', () => {
    assert.deepEqual(services.byMeasure('how much for like 20 units').ids.sort(), ['botox', 'dysport']);
    assert.deepEqual(services.byMeasure('how much is a syringe').ids.sort(), ['cheek-filler', 'lip-filler']);
    assert.deepEqual(services.byMeasure('what is the unit price').ids.sort(), ['botox', 'dysport']);
    assert.deepEqual(services.byMeasure('my unit number is 4').ids, []);
    assert.deepEqual(services.byMeasure('how much is a session').ids, []);
  });
  test('two hydrafacials compared are both named', () => {
    const m = services.match('how does the signature compare with the deluxe hydrafacial');
    assert.deepEqual([...m.ids, ...m.others].sort(), ['hydrafacial-deluxe', 'hydrafacial-signature']);
  });
});

describe('names and numbers', () => {
  test('a name after "my name is", and a spelled one', () => {
    assert.equal(extractName('my name is jane smith', false), 'Jane Smith');
    assert.equal(extractName("i'm calling about botox", false), undefined);
    assert.equal(extractName('j a n e, d o e', true), 'Jane Doe');
    assert.equal(extractName('evans laura davis', true), 'Laura Davis');
    assert.equal(extractName('martin evans grace hill', true), 'Grace Hill', '"my name is" misheard as two words');
  });
  test('asked for a name, a piece that starts by saying when names no one: "friday is better" is not "Better"', () => {
    assert.equal(extractName('friday is better', true), undefined);
    assert.equal(extractName('tomorrow morning works', true), undefined);
    assert.equal(extractName('um, jane smith', true), 'Jane Smith');
    assert.equal(extractName('tomorrow works, its jane doe', true), 'Jane Doe');
  });
  test('"Olivia Grant here" opening a call is a name; "someone here", "is anyone here", "my sister here for" are not', () => {
    assert.equal(extractName('olivia grant here, can you push my peel back 30 minutes', false), 'Olivia Grant');
    assert.equal(extractName('hi, maria lopez here', false), 'Maria Lopez');
    assert.equal(extractName('is anyone here', false), undefined);
    assert.equal(extractName('my sister here for a facial', false), undefined);
    assert.equal(extractName('nobody here answers the phone', false), undefined);
  });
  test('the request said again in answer to "your name?" is no name', () => {
    assert.equal(extractName('yes cancel my appt', true), undefined);
    assert.equal(extractName('i want to move my appointment', true), undefined);
    assert.equal(extractName('its for my consultation', true), undefined);
  });
  test('"I\'m" followed by no name gives none', () => {
    const said = (raw: string): string | undefined => extractName(normalizeUtterance(raw), false, { raw });
    assert.equal(said("Sorry, I'm away that week."), undefined, 'written in capitals, "away" has none');
    assert.equal(said("I'm really eager to start"), undefined);
    assert.equal(said('im organising a party on the weekend'), undefined, 'an activity, not a name');
    assert.equal(said("I'm Irving, calling about peels"), 'Irving', 'a name that ends in -ing');
    assert.equal(said('hello, this is Dr. Amara Okafor'), 'Amara Okafor', 'a title and its period');
  });
  test('names spelled with hyphens, spelled again after, with a surname particle, or in two parts', () => {
    assert.equal(extractName('t-o-b-i-a-s grant', true), 'Tobias Grant');
    assert.equal(extractName('its rhiannon, r h i a n n o n', false), 'Rhiannon');
    assert.equal(extractName('omar bin rashid', true), 'Omar Bin Rashid');
    assert.equal(extractName('the first name is nadia and the surname is quist', true), 'Nadia Quist');
    assert.equal(extractName('yes its ngozi adeyemi um i booked with jordan', false), 'Ngozi Adeyemi');
  });
  test('phone numbers to E.164; short digit runs are not numbers', () => {
    assert.equal(extractPhone('203 555 0199'), '+12035550199');
    assert.equal(extractPhone('(203) 555-0199'), '+12035550199');
    assert.equal(extractPhone('it is 555 12'), undefined);
    assert.equal(extractPhone('2 0 3, 5 5 5, 0 1 9 9'), '+12035550199', 'read out in groups with pauses');
  });
});

describe('providers and picks', () => {
  const provider = (text: string): string | undefined => understandRules(text, ctx).providerId;
  test('a provider named by a near spelling, split by a recogniser, or by title and surname with a period', () => {
    assert.equal(provider('can sophy do my lips'), 'sophie-bennett');
    assert.equal(provider('i want to see jordon for my legs'), 'jordan-ellis');
    assert.equal(provider('book me in with may a chen'), 'maya-chen');
    assert.equal(provider('is Ms. Bennett in on friday'), 'sophie-bennett');
    assert.equal(provider('may a friend come with me'), undefined, '"may a" is no name there');
  });
  test('of two providers, the one not ruled out; none when asked which', () => {
    assert.equal(provider('jordan please, not maya'), 'jordan-ellis');
    assert.equal(provider('is it sophie or maya who does peels'), undefined);
  });
  test('a caller who shares nothing with a provider keeps their name beside the provider', () => {
    const u = understandRules('hi its dana fox, moving my laser with jordan', ctx);
    assert.equal(u.providerId, 'jordan-ellis');
    assert.equal(u.name, 'Dana Fox');
  });
  test('an ordinal picks from a list only after one was offered', () => {
    const pick = (text: string, after?: 'choose' | 'service' | 'when' | 'open' | 'confirm'): number | undefined => understandRules(text, { ...ctx, after }).choice;
    assert.equal(pick('the middle one', 'choose'), 1);
    assert.equal(pick('later is better for me', 'choose'), -1);
    assert.equal(pick('option 3', 'service'), 2);
    assert.equal(pick('whatever your earliest is', 'when'), undefined);
    assert.equal(pick("whatever's earliest", 'choose'), 0);
    assert.equal(pick('whichever is earliest for you', 'choose'), 0);
    assert.equal(pick('just the last', 'choose'), -1);
    assert.equal(pick('it is my first time here', 'open'), undefined);
    assert.equal(pick('i will ask my partner first', 'confirm'), undefined);
    assert.equal(pick('the 3:15', 'choose'), undefined, 'a time, not "the 3"');
    assert.equal(pick('i would like to think it over first', 'service'), undefined);
  });
});

describe('intents', () => {
  const cases: [string, string[]][] = [
    ['How much is Botox and can I come Friday?', ['price', 'book']],
    ["what's your cancellation policy", []],
    ['I need to cancel my appointment', ['cancel']],
    ['can I move my appointment to thursday', ['reschedule']],
    ['when is my appointment', ['my-appointment']],
    ['can I speak to a real person', ['human']],
    ['my vision is blurry since my filler yesterday', ['urgent']],
    ['is swelling normal after filler?', []],
    ['what are your hours on saturday', ['hours']],
    ['is there parking', ['location']],
  ];
  for (const [text, intents] of cases) {
    test(`"${text}" -> ${intents.join(', ') || 'no task intent'}`, () => {
      const u = understandRules(text, ctx);
      for (const i of intents) assert.ok(u.intents.includes(i as never), `${i} in ${u.intents.join(',')}`);
      if (intents.length === 0) assert.ok(!u.intents.some((i) => i === 'cancel' || i === 'urgent'), u.intents.join(','));
    });
  }
  test('yes and no, with a correction', () => {
    assert.equal(understandRules('yes please', ctx).yes, true);
    // Texted and spoken yeses: "ya" to a read-back was asked again and again.
    for (const y of ['ya', 'yah', 'yess', 'mhm', 'uh huh', 'kk']) assert.equal(understandRules(y, ctx).yes, true, y);
    assert.equal(understandRules('yasmin lee', ctx).yes, false);
    const u = understandRules('no, wednesday', ctx);
    assert.equal(u.no, true);
    assert.equal(u.correction, true);
    assert.equal(u.when?.day, '2026-12-02');
  });
});
