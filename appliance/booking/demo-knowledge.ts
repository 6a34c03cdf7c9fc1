// The demo spa's knowledge base: what the receptionist may say about policies, preparation,
// aftercare, location and payment. Conservative and general; the spa's clinicians review it.
import type { KnowledgeEntry } from './types.js';
import trainedExamples from './demo-knowledge-examples.json' with { type: 'json' };

/**
 * The demo spa's entries, each with its example questions: the ones written here and the
 * questions of the understanding corpus's train split that the entry answers (written by
 * `npm run nlu -- train` to demo-knowledge-examples.json; never a dev or test line).
 */
export function demoKnowledge(): KnowledgeEntry[] {
  const fromCorpus = trainedExamples as Record<string, string[]>;
  return entries().map((e) => ({ ...e, examples: [...(e.examples ?? []), ...(fromCorpus[e.id] ?? [])] }));
}

function entries(): KnowledgeEntry[] {
  return [
    {
      id: 'hours',
      topic: 'hours',
      title: 'Opening hours',
      body:
        'We are open Monday through Friday from 9 to 7, with late hours until 8 on Thursdays, and Saturdays from 9 to 4. ' +
        'We are closed on Sundays and on major holidays such as Thanksgiving, Christmas and New Year’s Day.',
      tags: ['hours', 'open', 'opening hours', 'closed', 'sunday', 'saturday', 'weekend', 'evening', 'late', 'holiday'],
      examples: ["what are your hours", "when do you open", "what time do you close tonight", "are you open on weekends", "are you open on Christmas"],
    },
    {
      id: 'parking-directions',
      topic: 'location',
      title: 'Address, parking and directions',
      body:
        'We are at 350 Harbor View Drive, Suite 210, in Stamford, Connecticut, on the second floor. ' +
        'There is free parking in the garage under the building, and we validate your ticket at checkout. ' +
        'The elevator is just inside the main lobby, and the suite is wheelchair accessible.',
      tags: ['address', 'location', 'where', 'directions', 'parking', 'garage', 'elevator', 'wheelchair', 'accessible'],
      examples: ["where are you located", "what's your address", "is there parking", "do you validate parking", "is the building wheelchair accessible", "which floor are you on"],
    },
    {
      id: 'first-visit',
      topic: 'general',
      title: 'Your first visit',
      body:
        'Please arrive 10 minutes early so you have time to fill out your intake and consent forms. ' +
        'Bring a photo ID and a list of any medications and supplements you take. ' +
        'If you can, come with clean skin and no makeup on the area being treated.',
      tags: ['first visit', 'first time', 'new client', 'new patient', 'forms', 'paperwork', 'arrive early', 'what to bring', 'id'],
      examples: ["what should I bring to my first appointment", "how early should I arrive", "is there paperwork to fill out", "can I wear makeup to my appointment", "it's my first time, what do I need to know"],
    },
    {
      id: 'cancellation-policy',
      topic: 'policy',
      title: 'Cancellation and rescheduling',
      body:
        'We ask for at least 24 hours’ notice to cancel or reschedule. ' +
        'If you cancel with less notice or miss your appointment, your deposit is forfeited, or for treatments without a deposit there is a $50 late cancellation fee.',
      tags: ['cancel', 'cancellation', 'reschedule', 'change appointment', 'no show', 'missed appointment', 'fee', 'notice'],
      examples: ["what is your cancellation policy", "is there a fee if I cancel", "how much notice do you need to reschedule", "what happens if I miss my appointment", "do you charge for no shows"],
    },
    {
      id: 'deposit-policy',
      topic: 'policy',
      title: 'Deposits',
      body:
        'Some treatments need a deposit to hold the appointment: $50 for Botox, Dysport, microneedling and IPL, and $100 for filler and microneedling with PRP. ' +
        'The deposit goes toward the cost of your treatment. ' +
        'It is refunded if you cancel at least 24 hours ahead.',
      tags: ['deposit', 'down payment', 'hold appointment', 'refund', 'refundable', 'booking fee'],
      examples: ["do I need to pay a deposit", "how much is the deposit", "is the deposit refundable", "does the deposit go toward the treatment", "why do you take a deposit"],
    },
    {
      id: 'late-arrival',
      topic: 'policy',
      title: 'Running late',
      body:
        'If you are running late, please call us so we can plan around it. ' +
        'If you arrive more than 15 minutes late, we may need to shorten your treatment or reschedule you, and a reschedule counts as a late cancellation.',
      tags: ['late', 'running late', 'traffic', 'delayed', 'late arrival'],
      examples: ["what if I'm running late", "I might be a few minutes late, is that ok", "how late can I be", "what happens if I show up late"],
    },
    {
      id: 'age-policy',
      topic: 'policy',
      title: 'Age requirements',
      body:
        'Clients need to be 18 or older for most treatments. ' +
        'Teens aged 16 and 17 can have facials, peels and laser hair removal with a parent or guardian who comes along and signs the consent form. ' +
        'Injectables are only offered to clients 18 and older.',
      tags: ['age', 'minimum age', 'teen', 'teenager', 'minor', 'under 18', 'daughter', 'son', 'parent', 'guardian'],
      examples: ["how old do you have to be", "can my teenage daughter get a facial", "do you treat minors", "is there an age limit for botox", "can a 16 year old get laser hair removal"],
    },
    {
      id: 'pregnancy',
      topic: 'policy',
      title: 'Pregnancy and breastfeeding',
      body:
        'We do not offer Botox, Dysport, filler or PRP to anyone who is pregnant or breastfeeding. ' +
        'Many other treatments are also postponed during pregnancy, so please let us know when you book and our provider will go over which options are appropriate for you.',
      tags: ['pregnant', 'pregnancy', 'breastfeeding', 'nursing', 'expecting', 'trying to conceive', 'baby'],
      examples: ["can I get botox while pregnant", "is it safe when breastfeeding", "I'm expecting, can I still get a facial", "can I get filler while nursing"],
    },
    {
      id: 'good-faith-exam',
      topic: 'general',
      title: 'Consultations and the good-faith exam',
      body:
        'Consultations are free. ' +
        'Before your first Botox, Dysport, filler or PRP treatment, you will have a 30-minute good-faith exam with our nurse practitioner, who reviews your health history and goals. ' +
        'For facials, peels and laser, a consultation is optional but always welcome.',
      tags: ['consultation', 'consult', 'good faith exam', 'good-faith exam', 'new client', 'exam'],
      examples: ["what is a good faith exam", "why do I need a consultation first", "is the consultation free", "do I have to see the nurse before botox"],
    },
    {
      id: 'injectables-preparation',
      topic: 'preparation',
      title: 'Preparing for Botox, Dysport or filler',
      body:
        'To lower the chance of bruising, avoid alcohol for 24 hours before your appointment. ' +
        'If your doctor agrees, pause over-the-counter blood thinners such as ibuprofen, aspirin, fish oil and vitamin E for about a week before, but never stop a prescribed medication without talking to your doctor. ' +
        'If you have an important event, book at least two weeks ahead of it, and let us know if you get cold sores before lip filler.',
      tags: ['prepare', 'preparation', 'before', 'botox', 'dysport', 'filler', 'lip filler', 'bruising', 'alcohol', 'blood thinners', 'ibuprofen', 'aspirin', 'fish oil', 'event', 'wedding'],
      examples: ["how do I prepare for botox", "should I stop taking ibuprofen before filler", "can I drink alcohol before my injections", "how can I avoid bruising", "how far before my wedding should I get filler"],
    },
    {
      id: 'botox-aftercare',
      topic: 'aftercare',
      title: 'After Botox or Dysport',
      body:
        'Stay upright for 4 hours and do not rub or massage the treated area. ' +
        'Skip strenuous exercise, saunas and hot yoga for 24 hours. ' +
        'Results usually start to show within a few days and take about two weeks to fully settle, so call us after two weeks if you have any concerns.',
      tags: ['aftercare', 'after', 'botox', 'dysport', 'tox', 'lie down', 'exercise', 'workout', 'gym', 'results', 'when will it work', 'touch up'],
      examples: ["can I work out after botox", "when can I go to the gym after botox", "can I lie down after botox", "when will my botox kick in", "do you do touch ups"],
    },
    {
      id: 'filler-aftercare',
      topic: 'aftercare',
      title: 'After filler',
      body:
        'Some swelling, tenderness and bruising are normal for a few days, and lips can look their most swollen the morning after. ' +
        'A cold compress wrapped in a cloth helps, and it is best to avoid strenuous exercise, alcohol and heat for 24 hours. ' +
        'Please do not press on or massage the area unless our nurse practitioner tells you to.',
      tags: ['aftercare', 'after', 'filler', 'lip filler', 'cheek filler', 'swelling', 'swollen', 'bruise', 'bruising', 'lumps', 'ice'],
      examples: ["how long will my lips be swollen", "is bruising normal after filler", "can I put ice on my lips after filler", "what should I avoid after filler", "my lips feel lumpy a few days after filler, is that normal"],
    },
    {
      id: 'filler-warning-signs',
      topic: 'aftercare',
      title: 'Urgent warning signs after filler',
      body:
        'If after filler you have severe or worsening pain, or skin near the treated area turns white, blue, gray or blotchy, call us right away, and if you cannot reach our nurse practitioner, go to the nearest emergency room. ' +
        'If you have any change in your vision, trouble speaking, or weakness on one side, call 911 immediately.',
      tags: ['emergency', 'urgent', 'filler', 'severe pain', 'pain', 'white skin', 'pale', 'blue', 'blotchy', 'vision', 'blurry vision', 'blindness', 'numbness', 'weakness', '911'],
      examples: ["what are the warning signs after filler", "when should I worry after filler", "what side effects are dangerous after filler", "what should I do if something looks wrong after filler"],
    },
    {
      id: 'laser-hair-preparation',
      topic: 'preparation',
      title: 'Preparing for laser hair removal',
      body:
        'Shave the area the day before or the morning of your appointment, but do not wax, pluck or thread for four weeks before. ' +
        'Avoid sun, tanning beds and self-tanner for two weeks before, and come with clean skin, with no lotion or deodorant on the area. ' +
        'Let us know about any new medications, especially ones that make you sensitive to the sun.',
      tags: ['laser', 'laser hair removal', 'prepare', 'preparation', 'before', 'shave', 'shaving', 'wax', 'waxing', 'tan', 'tanning', 'sun'],
      examples: ["should I shave before laser", "can I wax before laser hair removal", "can I get laser if I'm tan", "how do I prepare for laser hair removal"],
    },
    {
      id: 'laser-hair-aftercare',
      topic: 'aftercare',
      title: 'After laser hair removal',
      body:
        'Some redness and small bumps for a day or two are normal. ' +
        'Avoid sun, hot tubs and heavy workouts for 24 to 48 hours, and wear sunscreen of SPF 30 or higher on treated areas. ' +
        'Treated hair usually sheds over the next one to three weeks.',
      tags: ['laser', 'laser hair removal', 'aftercare', 'after', 'redness', 'bumps', 'shedding'],
      examples: ["is it normal to be red after laser", "when does the hair fall out after laser", "what should I do after laser hair removal"],
    },
    {
      id: 'hydrafacial-care',
      topic: 'aftercare',
      title: 'Before and after a HydraFacial',
      body:
        'Stop using retinol or retinoid products two days before your HydraFacial, and avoid facial waxing for a week before. ' +
        'There is no downtime, although your skin may look a little pink for an hour or so. ' +
        'It is best to skip makeup for the rest of the day and wear sunscreen.',
      tags: ['hydrafacial', 'hydra facial', 'facial', 'prepare', 'before', 'after', 'aftercare', 'makeup', 'retinol', 'downtime'],
      examples: ["is there downtime after a hydrafacial", "can I wear makeup after a hydrafacial", "should I stop retinol before a facial", "what should I do before my hydrafacial"],
    },
    {
      id: 'microneedling-aftercare',
      topic: 'aftercare',
      title: 'Before and after microneedling',
      body:
        'Stop retinoids and exfoliating acids five days before, and let us know if you have an active cold sore or breakout. ' +
        'Afterwards, expect redness like a mild sunburn for one to three days. ' +
        'For the first 24 hours use only a gentle cleanser and the products we give you, with no makeup, workouts or swimming, and wear sunscreen every day.',
      tags: ['microneedling', 'micro needling', 'prp', 'vampire facial', 'aftercare', 'after', 'before', 'redness', 'makeup', 'downtime'],
      examples: ["how long will I be red after microneedling", "when can I wear makeup after microneedling", "what is the downtime for microneedling", "what should I avoid after microneedling"],
    },
    {
      id: 'chemical-peel-aftercare',
      topic: 'aftercare',
      title: 'After a chemical peel',
      body:
        'Your skin may feel tight and then flake or peel for three to seven days, so please do not pick or pull at it. ' +
        'Moisturize gently, wear sunscreen of SPF 30 or higher and avoid direct sun. ' +
        'Skip retinoids and exfoliants for about a week, and avoid heavy sweating for 48 hours.',
      tags: ['chemical peel', 'peel', 'aftercare', 'after', 'peeling', 'flaking', 'dry skin', 'sun', 'downtime'],
      examples: ["how long does peeling last after a chemical peel", "can I go in the sun after a peel", "what should I put on my skin after a peel", "is flaking normal after a peel"],
    },
    {
      id: 'ipl-care',
      topic: 'aftercare',
      title: 'Before and after IPL',
      body:
        'Avoid sun, tanning and self-tanner for two weeks before your IPL, because we cannot treat tanned skin. ' +
        'Afterwards, brown spots often darken and look like coffee grounds for about a week before they flake off. ' +
        'Wear sunscreen of SPF 30 or higher every day between sessions.',
      tags: ['ipl', 'photofacial', 'photo facial', 'sun spots', 'prepare', 'before', 'after', 'aftercare', 'darker spots', 'tan'],
      examples: ["do sun spots get darker after ipl", "how do I prepare for ipl", "can I get ipl with a tan", "what happens after a photofacial"],
    },
    {
      id: 'payment-methods',
      topic: 'payment',
      title: 'Payment methods',
      body:
        'We accept all major credit and debit cards, Apple Pay, Google Pay and cash. ' +
        'Payment is due at the time of service. ' +
        'Because our treatments are cosmetic, they are not covered by health insurance and generally cannot be paid with HSA or FSA funds.',
      tags: ['pay', 'payment', 'credit card', 'debit card', 'cash', 'apple pay', 'insurance', 'hsa', 'fsa', 'cost'],
      examples: ["what forms of payment do you take", "do you take credit cards", "do you accept insurance", "can I use my hsa card", "do you take apple pay", "when do I pay"],
    },
    {
      id: 'financing',
      topic: 'payment',
      title: 'Financing',
      body:
        'We offer financing through Cherry and CareCredit, so you can pay for treatments in monthly installments. ' +
        'Applying takes a few minutes and approval depends on the lender.',
      tags: ['financing', 'payment plan', 'monthly payments', 'installments', 'cherry', 'care credit', 'carecredit', 'afford'],
      examples: ["do you offer financing", "can I make monthly payments", "do you have payment plans", "do you take care credit"],
    },
    {
      id: 'gift-cards',
      topic: 'payment',
      title: 'Gift cards',
      body:
        'Gift cards are available in any amount, at the front desk or by calling us. ' +
        'They can be used for any treatment or skincare product, and they never expire.',
      tags: ['gift card', 'gift certificate', 'gift', 'present', 'voucher', 'birthday', 'holiday'],
      examples: ["do you sell gift cards", "can I buy a gift certificate for my mom", "do gift cards expire", "can I get a gift card online"],
    },
    {
      id: 'memberships',
      topic: 'general',
      title: 'Glow membership',
      body:
        'Our Glow membership is $149 a month and includes one Signature HydraFacial or chemical peel each month, plus 10 percent off other treatments and skincare products. ' +
        'After the first three months, you can cancel with 30 days’ notice.',
      tags: ['membership', 'member', 'monthly', 'subscription', 'discount', 'glow', 'savings'],
      examples: ["do you have a membership", "what does the membership include", "is there a monthly plan with discounts", "how much is the membership"],
    },
    {
      id: 'our-team',
      topic: 'general',
      title: 'Our team',
      body:
        'Sophie Bennett is our nurse practitioner and does all of our injectables and PRP treatments. ' +
        'Maya Chen is our licensed aesthetician for HydraFacials, peels and microneedling, and Jordan Ellis is our certified laser technician for laser hair removal and IPL.',
      tags: ['team', 'staff', 'provider', 'injector', 'nurse', 'nurse practitioner', 'aesthetician', 'esthetician', 'laser technician', 'who'],
      examples: ["who does the injections", "who will do my treatment", "is the injector a nurse", "who are your providers", "how experienced is your staff"],
    },
  ];
}

/** The demo spa: fresh objects on every call. */
