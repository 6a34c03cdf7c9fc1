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
      examples: ["what are your hours", "when do you open", "what time do you close tonight", "are you open on weekends", "are you open on Christmas", "u guys open sat?", "how late are you open on thursdays", "is anyone there after work like 6ish", "are you closed new years day", "what days are you open", "can I come in on a sunday", "what time do you guys shut", "um are you open tomorrow morning or"],
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
      examples: ["where are you located", "what's your address", "is there parking", "do you validate parking", "is the building wheelchair accessible", "which floor are you on", "is there somewhere to park nearby", "is the garage free or do I have to pay", "what floor is the suite on", "my mom uses a wheelchair, can she get up to you", "whats the address again", "how do I find you, I'm coming from the train", "do you validate", "is there an elevator in the building"],
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
      examples: ["what should I bring to my first appointment", "how early should I arrive", "is there paperwork to fill out", "can I wear makeup to my appointment", "it's my first time, what do I need to know", "first time coming in, anything I should know", "do I need to bring ID", "should I come early to fill stuff out", "do I need a list of my meds", "can I come with makeup on", "never been to a med spa before, what happens when I get there", "what do I need to have with me tomorrow", "new client here, is there paperwork"],
    },
    {
      id: 'cancellation-policy',
      topic: 'policy',
      title: 'Cancellation and rescheduling',
      body:
        'We ask for at least 24 hours’ notice to cancel or reschedule. ' +
        'If you cancel with less notice or miss your appointment, your deposit is forfeited, or for treatments without a deposit there is a $50 late cancellation fee.',
      tags: ['cancel', 'cancellation', 'reschedule', 'change appointment', 'no show', 'missed appointment', 'fee', 'notice'],
      examples: ["what is your cancellation policy", "is there a fee if I cancel", "how much notice do you need to reschedule", "what happens if I miss my appointment", "do you charge for no shows", "if something comes up and I can't make it do I lose money", "whats the fee for cancelling last minute", "will I get charged if I cancel the day before", "do you charge if I don't show up", "how many hours notice to move my appt", "is there a penalty for rescheduling", "what's the rule on cancelling", "my kid got sick, do I still pay a fee if I call the morning of"],
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
      examples: ["do I need to pay a deposit", "how much is the deposit", "is the deposit refundable", "does the deposit go toward the treatment", "why do you take a deposit", "do you need money down to book filler", "do i get my deposit back if i cancel", "how much do I have to put down for botox", "is the deposit taken off the price", "why do I have to pay to hold a spot", "is there a booking fee", "do all treatments need a deposit", "is the 50 dollars refundable"],
    },
    {
      id: 'late-arrival',
      topic: 'policy',
      title: 'Running late',
      body:
        'If you are running late, please call us so we can plan around it. ' +
        'If you arrive more than 15 minutes late, we may need to shorten your treatment or reschedule you, and a reschedule counts as a late cancellation.',
      tags: ['late', 'running late', 'traffic', 'delayed', 'late arrival'],
      examples: ["what if I'm running late", "I might be a few minutes late, is that ok", "how late can I be", "what happens if I show up late", "stuck in traffic gonna be 10 min late", "what happens if I'm like 20 minutes late", "is there a grace period if I'm late", "running behind, should I still come", "will you still see me if I'm late", "do I lose my appointment if I'm late", "how late is too late", "my bus is delayed, is that ok"],
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
      examples: ["how old do you have to be", "can my teenage daughter get a facial", "do you treat minors", "is there an age limit for botox", "can a 16 year old get laser hair removal", "my son is 17 can he get laser", "can I bring my 16 yo for a facial", "is there a minimum age for filler", "do you have to be 18 for botox", "does a parent have to sign for a teen", "can a high schooler get a peel", "I'm 17, can I book a hydrafacial by myself", "how young is too young for treatments"],
    },
    {
      id: 'pregnancy',
      topic: 'policy',
      title: 'Pregnancy and breastfeeding',
      body:
        'We do not offer Botox, Dysport, filler or PRP to anyone who is pregnant or breastfeeding. ' +
        'Many other treatments are also postponed during pregnancy, so please let us know when you book and our provider will go over which options are appropriate for you.',
      tags: ['pregnant', 'pregnancy', 'breastfeeding', 'nursing', 'expecting', 'trying to conceive', 'baby'],
      examples: ["can I get botox while pregnant", "is it safe when breastfeeding", "I'm expecting, can I still get a facial", "can I get filler while nursing", "im pregnant is botox ok", "can I do filler if I'm breastfeeding", "we're trying for a baby, should I hold off", "is a facial safe in the first trimester", "just had a baby and I'm nursing, can I get tox", "what treatments can I do while pregnant", "expecting in may, can I still come for a peel", "is prp ok when you're nursing"],
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
      examples: ["what is a good faith exam", "why do I need a consultation first", "is the consultation free", "do I have to see the nurse before botox", "do I have to do a consult before filler", "do you charge for the consultation", "what's the nurse exam about", "can I just get botox without a consultation", "is a consult required for a facial", "how long is the good faith thing", "who does the exam before injections", "can I come in and just talk to someone first, is that free"],
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
      examples: ["how do I prepare for botox", "should I stop taking ibuprofen before filler", "can I drink alcohol before my injections", "how can I avoid bruising", "how far before my wedding should I get filler", "anything I should avoid before botox", "can I have wine the night before filler", "I take aspirin every day, do I stop before my injections", "how do I keep from bruising from filler", "I have a wedding in 3 weeks, when should I do botox", "I get cold sores, does that matter for lip filler", "should I stop my vitamins before tox", "prep for lip filler?"],
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
      examples: ["can I work out after botox", "when can I go to the gym after botox", "can I lie down after botox", "when will my botox kick in", "do you do touch ups", "is it ok to hit the gym after botox", "can I lay down after my tox", "how soon can I exercise after dysport", "when will I see results from botox", "can I rub my forehead after botox", "can I go to hot yoga the day of my botox", "its been 3 days and my botox isnt working yet", "can I go in the sauna after dysport"],
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
      examples: ["how long will my lips be swollen", "is bruising normal after filler", "can I put ice on my lips after filler", "what should I avoid after filler", "my lips feel lumpy a few days after filler, is that normal", "my lips are super swollen the day after filler is that normal", "can I work out after lip filler", "can I have a drink after filler", "how long does the bruising last after cheek filler", "should I ice my lips", "can I massage the lumps after filler", "what to do after lip filler", "is it normal that my lips feel tender after filler"],
    },
    {
      id: 'filler-warning-signs',
      topic: 'aftercare',
      title: 'Urgent warning signs after filler',
      body:
        'If after filler you have severe or worsening pain, or skin near the treated area turns white, blue, gray or blotchy, call us right away, and if you cannot reach our nurse practitioner, go to the nearest emergency room. ' +
        'If you have any change in your vision, trouble speaking, or weakness on one side, call 911 immediately.',
      tags: ['emergency', 'urgent', 'filler', 'severe pain', 'pain', 'white skin', 'pale', 'blue', 'blotchy', 'vision', 'blurry vision', 'blindness', 'numbness', 'weakness', '911'],
      examples: ["what are the warning signs after filler", "when should I worry after filler", "what side effects are dangerous after filler", "what should I do if something looks wrong after filler", "what signs mean something is wrong after filler", "when is pain after filler not normal", "what should make me call you after filler", "what are the symptoms of a filler complication", "what does a blocked vessel look like after filler", "when do I go to the ER after filler", "is it serious if my skin changes color after filler", "which filler side effects are an emergency"],
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
      examples: ["should I shave before laser", "can I wax before laser hair removal", "can I get laser if I'm tan", "how do I prepare for laser hair removal", "do I shave before laser or not", "can I pluck before laser", "I just got back from the beach, can I still do laser", "can I wear deodorant to my underarm laser", "how long before laser do I have to stop waxing", "I use self tanner, is that a problem for laser hair removal", "prep for laser hair removal?", "should I put lotion on before laser"],
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
      examples: ["is it normal to be red after laser", "when does the hair fall out after laser", "what should I do after laser hair removal", "can I go to the gym after laser hair removal", "my legs are bumpy after laser is that ok", "when will the hair fall out", "can I sit in a jacuzzi after laser hair removal", "do I need sunscreen after laser", "how long will it be red after laser hair removal", "is it ok to work out the day after laser", "the hair is still there a week after laser, is that normal"],
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
      examples: ["is there downtime after a hydrafacial", "can I wear makeup after a hydrafacial", "should I stop retinol before a facial", "what should I do before my hydrafacial", "can I put makeup on after my hydrafacial", "do I stop retinol before a hydrafacial", "will my face be red after a hydrafacial", "can I go back to work after a hydrafacial", "how long before a hydrafacial should I not wax", "any downtime with the hydrafacial", "what do I do after a hydra facial", "I have a party tonight, can I get a hydrafacial this morning"],
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
      examples: ["how long will I be red after microneedling", "when can I wear makeup after microneedling", "what is the downtime for microneedling", "what should I avoid after microneedling", "how long will my face be red after microneedling", "can I work out after microneedling", "can I swim the day after microneedling", "what can I put on my face after microneedling", "do I stop retinol before microneedling", "I have a breakout, can I still do microneedling", "can I wear makeup the day after the vampire facial", "how long is recovery from microneedling with prp"],
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
      examples: ["how long does peeling last after a chemical peel", "can I go in the sun after a peel", "what should I put on my skin after a peel", "is flaking normal after a peel", "my skin is flaking after my peel can I pick it", "how many days will I peel", "can I use retinol after a chemical peel", "can I go running after a peel", "is it ok to go outside after a peel", "what moisturizer after a peel", "my face feels tight after the peel is that normal", "when can I exfoliate after a peel"],
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
      examples: ["do sun spots get darker after ipl", "how do I prepare for ipl", "can I get ipl with a tan", "what happens after a photofacial", "my spots got darker after ipl is that normal", "can I get ipl if I have a tan", "what do I do before my photofacial", "how long do the coffee ground spots last after ipl", "do I need sunscreen between ipl sessions", "I was in Mexico last week, can I still do ipl", "what should I expect after a photo facial", "when do the dark spots flake off"],
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
      examples: ["what forms of payment do you take", "do you take credit cards", "do you accept insurance", "can I use my hsa card", "do you take apple pay", "when do I pay", "do you take cash", "can I pay with my phone", "does insurance cover any of this", "can I use my fsa money", "do I pay before or after", "do you take amex", "can I pay with a debit card", "is botox covered by insurance"],
    },
    {
      id: 'financing',
      topic: 'payment',
      title: 'Financing',
      body:
        'We offer financing through Cherry and CareCredit, so you can pay for treatments in monthly installments. ' +
        'Applying takes a few minutes and approval depends on the lender.',
      tags: ['financing', 'payment plan', 'monthly payments', 'installments', 'cherry', 'care credit', 'carecredit', 'afford'],
      examples: ["do you offer financing", "can I make monthly payments", "do you have payment plans", "do you take care credit", "can I split the cost into payments", "do you do cherry", "is there a way to pay over time", "I can't afford it all at once, any options", "do you have financing for filler", "how do I apply for financing", "do you take carecredit", "can I pay monthly for laser"],
    },
    {
      id: 'gift-cards',
      topic: 'payment',
      title: 'Gift cards',
      body:
        'Gift cards are available in any amount, at the front desk or by calling us. ' +
        'They can be used for any treatment or skincare product, and they never expire. ' +
        'To check the balance on a gift card, call us or ask at the front desk with the card number.',
      tags: ['gift card', 'gift certificate', 'gift', 'present', 'voucher', 'birthday', 'holiday'],
      examples: ["do you sell gift cards", "can I buy a gift certificate for my mom", "do gift cards expire", "can I get a gift card online", "can I buy a gift card for my sister's birthday", "do your gift certificates expire", "can a gift card be used for products", "how do I get a gift card", "I have a gift card, can I use it for botox", "can I buy a gift card over the phone", "do you sell vouchers", "what amounts do gift cards come in", "how do I check the balance on my gift card"],
    },
    {
      id: 'memberships',
      topic: 'general',
      title: 'Glow membership',
      body:
        'Our Glow membership is $149 a month and includes one Signature HydraFacial or chemical peel each month, plus 10 percent off other treatments and skincare products. ' +
        'After the first three months, you can cancel with 30 days’ notice.',
      tags: ['membership', 'member', 'monthly', 'subscription', 'discount', 'glow', 'savings'],
      examples: ["do you have a membership", "what does the membership include", "is there a monthly plan with discounts", "how much is the membership", "do you have a monthly membership", "what do members get", "how do I cancel my membership", "is there a discount if I come every month", "how much is the glow plan", "does the membership include a facial", "do members get a discount on products", "can I join the membership"],
    },
    {
      id: 'our-team',
      topic: 'general',
      title: 'Our team',
      body:
        'Sophie Bennett is our nurse practitioner and does all of our injectables and PRP treatments. ' +
        'Maya Chen is our licensed aesthetician for HydraFacials, peels and microneedling, and Jordan Ellis is our certified laser technician for laser hair removal and IPL.',
      tags: ['team', 'staff', 'provider', 'injector', 'nurse', 'nurse practitioner', 'aesthetician', 'esthetician', 'laser technician', 'who'],
      examples: ["who does the injections", "who will do my treatment", "is the injector a nurse", "who are your providers", "how experienced is your staff", "who's doing my botox", "is your injector a nurse or a doctor", "who does laser hair removal there", "is the person doing my facial licensed", "who's the laser tech", "are your staff certified", "how many providers do you have", "who would I see for a peel"],
    },
  ];
}

/** The demo spa: fresh objects on every call. */
