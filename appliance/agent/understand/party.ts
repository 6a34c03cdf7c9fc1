// How many people a booking request is for, when the caller says it is for more than themselves:
// "for 3 people", "my sister and I", "me and my mom", "the two of us", "a bridal party". One
// appointment is booked per call; a group is set up by staff, who can put the times side by side.
// Pure.

const NUMBER: Record<string, number> = { two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10, couple: 2 };
const PEOPLE = String.raw`(?:people|persons|ppl|of us|ladies|girls|guys|guests|friends|bridesmaids)`;
const KIN = String.raw`(?:sister|sis|mom|mum|mother|daughter|friend|bestie|best friend|bff|husband|hubby|wife|partner|boyfriend|girlfriend|fiance|fiancee|son|aunt|cousin|niece|mother in law|mil|coworker|colleague)s?`;

/** The number of people asked for when more than one (0 when a group of unknown size), else 1. */
export function partySize(text: string): number {
  const t = text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ');
  const counted = new RegExp(String.raw`\b(?:for|book|booking|with|of|there are|there's|there will be|we are|we're|it's|its) (?:the )?(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|a couple of) ${PEOPLE}\b|\bthe (two|three|four|five|six) of us\b|\bparty of (\d{1,2}|two|three|four|five|six|seven|eight|nine|ten)\b`).exec(t);
  if (counted) {
    const word = (counted[1] ?? counted[2] ?? counted[3] ?? '').replace(/^a couple of$/, 'couple');
    const n = NUMBER[word] ?? Number(word);
    if (n >= 2 && n <= 30) return n;
  }
  if (new RegExp(String.raw`\b(?:my|our) ${KIN} and (?:i|me|myself)\b|\b(?:me|i|myself) and my ${KIN}\b|\b(?:we|us) both\b|\bboth of us\b`).test(t)) return 2;
  if (/\b(?:bridal|bachelorette|wedding|birthday|spa) (?:party|group)\b|\ba group (?:of us|booking|appointment)\b|\bgroup booking\b/.test(t)) return 0;
  return 1;
}
