// What callers of a spa say in an open turn, as templates the caller corpus is generated from
// (caller-corpus.ts fills them from the spa's catalogue). Written for this project from how
// people book by phone, not from the understanding corpus's dev or test texts.
//
// Syntax: [a|b|c] one of, (a|b) optional one of (half the time), {slot} a value from the catalogue
// or the fixed lists below. Weights say how often a frame is drawn.

export interface Frame {
  weight: number;
  text: string;
}

/** Said before the request, sometimes. */
export const OPENERS = ['hi', 'hello', 'hi there', 'hey', 'yeah hi', 'um', 'uh', 'so', 'yes', 'yeah', 'okay', 'oh hi', 'good morning', 'good afternoon',
  'hi um', 'hello yes', 'yes hello', 'well', 'so um', 'hi yes', 'hey there', 'um hi', 'uh yeah', 'right', 'sorry', 'hi good morning'];

/** Said after it, sometimes. */
export const CLOSERS = ['please', 'thanks', 'thank you', 'if possible', 'if you can', 'if you have anything', 'or whenever', 'thank you so much',
  'if that works', 'or anytime really', 'is that possible', 'if you have time', 'please and thank you'];

export const FRAMES: Frame[] = [
  // booking
  { weight: 10, text: "[i'd|i would] like to [book|schedule|make an appointment for|get|come in for|set up] {svcA} (for {when})" },
  { weight: 8, text: '[can|could] i [book|schedule|get|get in for|come in for] {svcA} ({when})' },
  { weight: 6, text: "i [want|wanna|need|was hoping] to [book|get|schedule|do|try] {svcA} ({when})" },
  { weight: 6, text: "i'm [looking to|hoping to|trying to|calling to] [book|get|schedule] {svcA} ({when})" },
  { weight: 5, text: '[do you have|have you got|is there] anything [available|open|free] {when} (for {svcA})' },
  { weight: 4, text: '[do you have|have you got] [any|an] [openings|availability|appointments] {when} (for {svcA})' },
  { weight: 3, text: "[i'd|i would] like to [book|make|schedule] an appointment (for {svcA}) ({when})" },
  { weight: 3, text: 'i [need|want|would like] [an|to make an] appointment (for {svcA}) ({when})' },
  { weight: 3, text: 'can i come in {when} (for {svcA})' },
  { weight: 3, text: '[book me|put me down|sign me up|get me in] for {svcA} ({when})' },
  { weight: 3, text: 'is {prov} [available|free|in|working] {when}' },
  { weight: 3, text: "[can|could] i [book|see|get in with] {prov} (for {svcA}) ({when})" },
  { weight: 2, text: "i'd like to see {prov} (for {svcA}) ({when})" },
  { weight: 2, text: 'does {prov} do {svc}' },
  { weight: 2, text: 'who [does|do you have for] {svc}' },
  { weight: 3, text: "what's your [first|next|earliest] [available|opening] (for {svcA}) ({day})" },
  { weight: 2, text: '[when|what time] [can|could] i [come in|get in|get {svcA}]' },
  { weight: 2, text: 'how soon can i [come in|get in|get {svcA}]' },
  { weight: 2, text: "i'm a new [client|patient] and i [want|would like|wanted] {svcA}" },
  { weight: 2, text: "[it's|this is] my first time (and) i [want|wanted|would like] to [try|get|book] {svcA}" },
  { weight: 2, text: '[my friend|my sister|my mom|my daughter] and i [want|would like] to [book|get|come in for] {svcA} {when}' },
  { weight: 2, text: "i [have|got] a gift card [and i want|for] {svcA}" },
  // times and days said on their own or with a little around them
  { weight: 6, text: '{when}' },
  { weight: 3, text: '[how about|what about|maybe|do you have|is there anything] {when}' },
  { weight: 2, text: '{day} [works|would work|is good|is better|is fine] (for me)' },
  { weight: 2, text: "[i can do|i could do|i'm free|i'm available] {when}" },
  { weight: 2, text: "[no|actually|sorry] [i meant|make that|i said|i'd rather] {when}" },
  { weight: 1, text: '[anytime|any time] {day}' },
  { weight: 1, text: '[as soon as possible|the earliest you have|the first available|whenever you have]' },
  // changing and checking appointments
  { weight: 4, text: 'i [need|want|have] to [cancel|reschedule|move|change] my (next) appointment ({when})' },
  { weight: 3, text: '[can|could] i [move|change|reschedule] my {svc} (appointment) [to|for] {when}' },
  { weight: 2, text: "[i can't|i won't be able to] make [it|my appointment] {day} (can i [move|change] it)" },
  { weight: 2, text: '[please|can you] cancel my {svc} (appointment) ({day})' },
  { weight: 2, text: '[when|what time] is my (next) appointment' },
  { weight: 2, text: 'i [have|had|booked] an appointment [on|for] {day} (and i) [need to|want to|have to] [cancel|change|move] it' },
  { weight: 2, text: "i'm [calling|just calling] to [confirm|check] my appointment ({day})" },
  { weight: 1, text: "i'm running [late|a little late|about ten minutes late|fifteen minutes late]" },
  // prices, durations, the treatments
  { weight: 5, text: 'how much [is|does|are] {svcA} (cost)' },
  { weight: 3, text: "what's the [price|cost] [of|for] {svcA}" },
  { weight: 2, text: 'what do you charge for {svcA}' },
  { weight: 2, text: 'how much [is it|does it cost] for {svcA}' },
  { weight: 2, text: 'how long [does|is] {svcA} (take|last)' },
  { weight: 2, text: 'what is {svcA}' },
  { weight: 1, text: 'does {svcA} hurt' },
  { weight: 1, text: 'is there [any] downtime [after|with] {svcA}' },
  { weight: 1, text: "what's the difference between {svcA} and {svcA}" },
  { weight: 1, text: 'do you [do|offer|have] {svc}' },
  { weight: 1, text: 'how many units of botox [do i need|does it take|is normal]' },
  { weight: 1, text: '[do you have|are there] any [specials|deals|packages|discounts] (on {svc})' },
  // the spa
  { weight: 3, text: '[what are|what time are] your hours ({day})' },
  { weight: 3, text: '[what time|when] do you [open|close] ({day})' },
  { weight: 2, text: 'are you open {day}' },
  { weight: 2, text: '[where are you|where are you located|what is your address|how do i get there]' },
  { weight: 2, text: 'is there parking' },
  { weight: 2, text: '[do you take|can i pay with|do you accept] [credit cards|cash|apple pay|care credit|insurance|a gift card|venmo]' },
  { weight: 1, text: 'do you [do|offer] [financing|payment plans|memberships|gift cards]' },
  { weight: 2, text: 'i have a question about {topic}' },
  { weight: 1, text: '[can you tell me|i wanted to ask] about {topic}' },
  // people, names, numbers
  { weight: 3, text: '[can i|could i|i want to|i need to] [speak|talk] to [a person|someone|a real person|the front desk|{prov}|a manager]' },
  { weight: 2, text: "[my name is|it's|this is|the name is] {name}" },
  { weight: 1, text: "[my number is|my phone number is|you can reach me at|it's] {phone}" },
  { weight: 1, text: 'i [was|am] a client of {prov}' },
  // short answers an open question also gets
  { weight: 3, text: '[yes|yeah|yes please|sure|okay|that works|sounds good|perfect|great]' },
  { weight: 2, text: "[no|no thanks|no thank you|that's all|that's it|nothing else|no that's everything]" },
  { weight: 2, text: "[thank you|thanks|thanks so much|thank you bye|okay bye|goodbye|bye|have a good day]" },
  { weight: 1, text: "[i'm not sure|i don't know|let me think|hold on|one second|sorry what|can you repeat that|what was that]" },
  { weight: 1, text: "[i have a question|i had a quick question|i'm calling about|i'm calling because] (about) ({svcA})" },
  { weight: 1, text: '[my|the] {part} [is|has been] [swollen|red|bruised|itchy|sore] (after) ({svcA})' },
];

/** Caller names for "my name is ..." (first names, then surnames). */
export const FIRST_NAMES = ['jane', 'john', 'emma', 'olivia', 'sophia', 'mia', 'ava', 'amy', 'anna', 'sarah', 'laura', 'maria', 'lisa', 'kate',
  'grace', 'lily', 'rose', 'karen', 'linda', 'susan', 'nancy', 'jessica', 'emily', 'michael', 'david', 'james', 'robert', 'mark', 'paul',
  'jennifer', 'ashley', 'megan', 'rachel', 'nicole', 'samantha', 'hannah', 'chloe', 'natalie', 'victoria', 'daniel', 'chris', 'kevin'];
export const LAST_NAMES = ['smith', 'brown', 'johnson', 'williams', 'jones', 'miller', 'davis', 'garcia', 'wilson', 'moore', 'taylor', 'anderson',
  'thomas', 'jackson', 'white', 'harris', 'martin', 'thompson', 'young', 'allen', 'king', 'wright', 'scott', 'green', 'baker', 'adams',
  'nelson', 'hill', 'campbell', 'mitchell', 'roberts', 'carter', 'phillips', 'evans', 'turner', 'parker', 'collins', 'edwards', 'lee', 'kim'];

/** Body areas callers name with a treatment or a symptom. */
export const BODY_PARTS = ['lip', 'lips', 'face', 'forehead', 'cheek', 'cheeks', 'eye', 'skin', 'chin', 'legs', 'underarms', 'back'];
