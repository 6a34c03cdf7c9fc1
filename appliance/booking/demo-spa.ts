// A complete, realistic demo med spa: profile, services, providers and knowledge base.
// Used to seed a fresh appliance, by the demo mode and by tests. Pure data: every call
// returns fresh objects, so callers may mutate what they get.
//
// The address is invented and the phone number is in the 555-01xx range reserved for fiction.
// Prices are typical for a US med spa in 2026. Care instructions are deliberately
// conservative and general; the spa's own clinicians are expected to review them.

import { demoKnowledge } from './demo-knowledge.js';
import type { KnowledgeEntry, Provider, Service, SpaProfile, WeeklySpan } from './types.js';

export interface DemoSpa {
  profile: SpaProfile;
  services: Service[];
  providers: Provider[];
  knowledge: KnowledgeEntry[];
}

/** Provider ids, shared by the provider list and the services' providerIds. */
const NP = 'sophie-bennett';
const AESTHETICIAN = 'maya-chen';
const LASER_TECH = 'jordan-ellis';

/** The consultation new injectable (and PRP) clients must have first. */
const GOOD_FAITH_EXAM = 'injectables-consult';

function span(weekday: WeeklySpan['weekday'], start: string, end: string): WeeklySpan {
  return { weekday, start, end };
}

function profile(): SpaProfile {
  return {
    name: 'Lumière Med Spa',
    address: '350 Harbor View Drive, Suite 210, Stamford, CT 06902',
    phone: '+12035550142',
    timeZone: 'America/New_York',
    hours: [
      span(1, '09:00', '19:00'),
      span(2, '09:00', '19:00'),
      span(3, '09:00', '19:00'),
      span(4, '09:00', '20:00'),
      span(5, '09:00', '19:00'),
      span(6, '09:00', '16:00'),
    ],
    closures: [
      { startDate: '2026-11-26', endDate: '2026-11-26', reason: 'Thanksgiving Day' },
      { startDate: '2026-12-25', endDate: '2026-12-25', reason: 'Christmas Day' },
      { startDate: '2027-01-01', endDate: '2027-01-01', reason: "New Year's Day" },
      { startDate: '2027-05-31', endDate: '2027-05-31', reason: 'Memorial Day' },
    ],
  };
}

function providers(): Provider[] {
  return [
    {
      id: NP,
      name: 'Sophie Bennett',
      title: 'Nurse Practitioner, Aesthetic Injector',
      hours: [
        span(2, '10:00', '19:00'),
        span(3, '09:00', '17:00'),
        span(4, '11:00', '20:00'),
        span(5, '09:00', '17:00'),
        span(6, '09:00', '15:00'),
      ],
      breaks: [
        span(2, '13:30', '14:15'),
        span(3, '12:30', '13:15'),
        span(4, '15:00', '15:45'),
        span(5, '12:30', '13:15'),
        span(6, '12:00', '12:30'),
      ],
      active: true,
    },
    {
      id: AESTHETICIAN,
      name: 'Maya Chen',
      title: 'Licensed Aesthetician',
      hours: [
        span(1, '09:00', '17:00'),
        span(2, '09:00', '17:00'),
        span(3, '11:00', '19:00'),
        span(4, '12:00', '20:00'),
        span(6, '09:00', '16:00'),
      ],
      breaks: [
        span(1, '12:30', '13:15'),
        span(2, '12:30', '13:15'),
        span(3, '14:30', '15:15'),
        span(4, '15:30', '16:15'),
        span(6, '12:30', '13:00'),
      ],
      active: true,
    },
    {
      id: LASER_TECH,
      name: 'Jordan Ellis',
      title: 'Certified Laser Technician',
      hours: [
        span(1, '11:00', '19:00'),
        span(3, '09:00', '17:00'),
        span(4, '12:00', '20:00'),
        span(5, '10:00', '19:00'),
        span(6, '09:00', '16:00'),
      ],
      breaks: [
        span(1, '14:30', '15:15'),
        span(3, '12:30', '13:15'),
        span(4, '15:30', '16:15'),
        span(5, '13:30', '14:15'),
        span(6, '12:00', '12:30'),
      ],
      active: true,
    },
  ];
}

function services(): Service[] {
  return [
    {
      id: 'botox',
      name: 'Botox',
      aliases: [
        'botox',
        'bo talks',
        'bow tox',
        'botax',
        'tox',
        'baby botox',
        'wrinkle relaxer',
        'wrinkle injections',
        'forehead lines',
        'frown lines',
        'crows feet',
        "crow's feet",
        'elevens',
        'lip flip',
        'neurotoxin',
        'neuromodulator',
      ],
      category: 'neuromodulator',
      description:
        'Botox relaxes the muscles that cause expression lines, such as frown lines, forehead lines and crow’s feet. ' +
        'A lip flip is also done with Botox, using just a few units.',
      durationMin: 30,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: null,
      priceText: '$13 per unit; most treatments use 20 to 40 units, so roughly $260 to $520, and a lip flip is usually 4 to 6 units',
      depositCents: 5000,
      consultFirst: true,
      consultServiceId: GOOD_FAITH_EXAM,
      providerIds: [NP],
      active: true,
    },
    {
      id: 'dysport',
      name: 'Dysport',
      aliases: ['dysport', 'dis port', 'this port', 'disport', 'dys port', 'dice port'],
      category: 'neuromodulator',
      description:
        'Dysport is a wrinkle relaxer similar to Botox, often used for frown lines and forehead lines. ' +
        'It is dosed in more, smaller units than Botox, so the unit price is lower.',
      durationMin: 30,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: null,
      priceText: '$4.50 per unit; most treatments use 60 to 120 units, so roughly $270 to $540',
      depositCents: 5000,
      consultFirst: true,
      consultServiceId: GOOD_FAITH_EXAM,
      providerIds: [NP],
      active: true,
    },
    {
      id: 'lip-filler',
      name: 'Lip Filler',
      aliases: [
        'lip filler',
        'lip fillers',
        'lip injections',
        'lip augmentation',
        'lip plumping',
        'fuller lips',
        'lip filter',
        'juvederm lips',
        'filler',
      ],
      category: 'filler',
      description:
        'A hyaluronic acid filler that adds volume and shape to the lips, with a numbing cream first for comfort. ' +
        'Most clients need one syringe.',
      durationMin: 45,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 70000,
      priceText: '$700 per syringe, and most lips need one syringe',
      depositCents: 10000,
      consultFirst: true,
      consultServiceId: GOOD_FAITH_EXAM,
      providerIds: [NP],
      active: true,
    },
    {
      id: 'cheek-filler',
      name: 'Cheek Filler',
      aliases: [
        'cheek filler',
        'cheek fillers',
        'cheek injections',
        'cheek augmentation',
        'check filler',
        'voluma',
        'mid face filler',
        'filler',
      ],
      category: 'filler',
      description:
        'A hyaluronic acid filler placed in the cheeks to restore volume and lift. ' +
        'Most clients use one to two syringes.',
      durationMin: 60,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 80000,
      priceText: '$800 per syringe, and most cheek treatments use one to two syringes',
      depositCents: 10000,
      consultFirst: true,
      consultServiceId: GOOD_FAITH_EXAM,
      providerIds: [NP],
      active: true,
    },
    {
      id: 'hydrafacial-signature',
      name: 'Signature HydraFacial',
      // A bare "HydraFacial" names both HydraFacials (like "filler"): the receptionist asks which.
      aliases: [
        'hydrafacial',
        'hydra facial',
        'hydro facial',
        'hydrofacial',
        'high dra facial',
        'signature hydrafacial',
        'signature hydra facial',
        'classic hydrafacial',
        'regular hydrafacial',
        'basic hydrafacial',
        'facial',
      ],
      category: 'facial',
      description:
        'Our classic HydraFacial: it cleanses, exfoliates, extracts and hydrates the skin in one treatment, with no downtime.',
      durationMin: 45,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 19900,
      priceText: '$199',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [AESTHETICIAN],
      active: true,
    },
    {
      id: 'hydrafacial-deluxe',
      name: 'Deluxe HydraFacial',
      aliases: [
        'hydrafacial',
        'hydra facial',
        'hydro facial',
        'hydrofacial',
        'high dra facial',
        'deluxe hydrafacial',
        'deluxe hydra facial',
        'deluxe hydro facial',
        'hydrafacial deluxe',
        'hydra facial deluxe',
        'hydrafacial with booster',
        'hydrafacial with led',
        'facial',
      ],
      category: 'facial',
      description:
        'Everything in the Signature HydraFacial, plus a booster serum chosen for your skin and LED light therapy.',
      durationMin: 60,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 27900,
      priceText: '$279',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [AESTHETICIAN],
      active: true,
    },
    {
      id: 'microneedling',
      name: 'Microneedling',
      aliases: [
        'microneedling',
        'micro needling',
        'micro kneeling',
        'micro needle',
        'skin pen',
        'skinpen',
        'collagen induction',
      ],
      category: 'skin',
      description:
        'Microneedling uses tiny needles to stimulate collagen, to help with texture, fine lines and acne scars. ' +
        'We apply numbing cream first, and most people see the best results with a series of treatments.',
      durationMin: 75,
      bufferBeforeMin: 5,
      bufferAfterMin: 15,
      priceCents: 35000,
      priceText: '$350 per session',
      depositCents: 5000,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [AESTHETICIAN],
      active: true,
    },
    {
      id: 'microneedling-prp',
      name: 'Microneedling with PRP',
      aliases: [
        'microneedling with prp',
        'micro needling with prp',
        'prp microneedling',
        'prp',
        'p r p',
        'vampire facial',
        'microneedling with platelets',
      ],
      category: 'skin',
      description:
        'Microneedling combined with platelet-rich plasma prepared from a small sample of your own blood, which is applied to the skin during treatment. ' +
        'It is done by our nurse practitioner.',
      durationMin: 90,
      bufferBeforeMin: 10,
      bufferAfterMin: 15,
      priceCents: 65000,
      priceText: '$650 per session',
      depositCents: 10000,
      consultFirst: true,
      consultServiceId: GOOD_FAITH_EXAM,
      providerIds: [NP],
      active: true,
    },
    {
      id: 'chemical-peel',
      name: 'Chemical Peel',
      aliases: ['chemical peel', 'chemical peal', 'peel', 'face peel', 'facial peel', 'skin peel', 'acid peel'],
      category: 'skin',
      description:
        'A light to medium peel that exfoliates the outer layers of skin to brighten tone and smooth texture. ' +
        'Expect a few days of flaking afterwards.',
      durationMin: 45,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 17500,
      priceText: '$175',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [AESTHETICIAN],
      active: true,
    },
    {
      id: 'laser-hair-small',
      name: 'Laser Hair Removal, Small Area',
      aliases: [
        'laser hair removal',
        'laser hair',
        'lazer hair removal',
        'laser hair removal small area',
        'underarm laser',
        'underarms',
        'upper lip laser',
        'chin laser',
        'bikini line laser',
      ],
      category: 'laser',
      description:
        'Laser hair removal for a small area such as the upper lip, chin, underarms or bikini line. ' +
        'Most people need a series of about six sessions, four to six weeks apart.',
      durationMin: 15,
      bufferBeforeMin: 5,
      bufferAfterMin: 5,
      priceCents: 9900,
      priceText: '$99 per session',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [LASER_TECH],
      active: true,
    },
    {
      id: 'laser-hair-large',
      name: 'Laser Hair Removal, Large Area',
      aliases: [
        'laser hair removal',
        'laser hair',
        'lazer hair removal',
        'laser hair removal large area',
        'full leg laser',
        'leg laser',
        'back laser',
        'chest laser',
      ],
      category: 'laser',
      description:
        'Laser hair removal for a large area such as the full legs, back or chest. ' +
        'Most people need a series of about six sessions, four to six weeks apart.',
      durationMin: 60,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 34900,
      priceText: '$349 per session',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [LASER_TECH],
      active: true,
    },
    {
      id: 'ipl-photofacial',
      name: 'IPL Photofacial',
      aliases: [
        'ipl',
        'i p l',
        'ipl photofacial',
        'photofacial',
        'photo facial',
        'fotofacial',
        'sun spots',
        'sun damage treatment',
        'redness treatment',
      ],
      category: 'laser',
      description:
        'Intense pulsed light that targets sun spots, brown spots and redness to even out skin tone. ' +
        'Most people do a series of three sessions about a month apart.',
      durationMin: 45,
      bufferBeforeMin: 5,
      bufferAfterMin: 10,
      priceCents: 35000,
      priceText: '$350 per session',
      depositCents: 5000,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [LASER_TECH],
      active: true,
    },
    {
      id: 'free-consultation',
      name: 'Complimentary Consultation',
      aliases: [
        'consultation',
        'consult',
        'free consultation',
        'free consult',
        'complimentary consultation',
        'skin consultation',
        'laser consultation',
        'treatment plan',
      ],
      category: 'consultation',
      description:
        'A free 30-minute visit to talk about your goals and put together a treatment plan for facials, skin or laser treatments.',
      durationMin: 30,
      bufferBeforeMin: 5,
      bufferAfterMin: 5,
      priceCents: 0,
      priceText: 'free',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [NP, AESTHETICIAN, LASER_TECH],
      active: true,
    },
    {
      id: GOOD_FAITH_EXAM,
      name: 'Injectables Consultation (Good-Faith Exam)',
      aliases: [
        'injectables consultation',
        'injectable consultation',
        'good faith exam',
        'good-faith exam',
        'botox consultation',
        'botox consult',
        'filler consultation',
        'filler consult',
        'injector consultation',
        'prp consultation',
      ],
      category: 'consultation',
      description:
        'A free visit with our nurse practitioner, who reviews your health history and goals before your first Botox, Dysport, filler or PRP treatment. ' +
        'New injectable clients need this exam first.',
      durationMin: 30,
      bufferBeforeMin: 5,
      bufferAfterMin: 5,
      priceCents: 0,
      priceText: 'free',
      depositCents: 0,
      consultFirst: false,
      consultServiceId: null,
      providerIds: [NP],
      active: true,
    },
  ];
}

export function demoSpa(): DemoSpa {
  return { profile: profile(), services: services(), providers: providers(), knowledge: demoKnowledge() };
}
