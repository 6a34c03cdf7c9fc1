// Asking to make an appointment another treatment: "can I switch my peel to a hydrafacial", "do the
// deluxe instead", "upgrade it to the deluxe one", "change it to botox". Which services are meant is
// the service matcher's; this says only whether the words ask to swap one for another. Pure.

const SWITCH = /\b(?:switch(?:ing|ed)?|swap(?:ping|ped)?|trade|upgrad(?:e|ing)|instead|rather (?:do|have|get|try)|change (?:it|that|this|my \w+(?: \w+)?) (?:to|into|for)|chang(?:e|ing) (?:the )?(?:service|treatment))\b/;
/** Swapping days or times, not treatments: "switch it to thursday". */
const ABOUT_TIME = /\b(?:to|for) (?:a )?(?:different|another|other) (?:day|time|date)\b/;

/** Whether the words ask to make an appointment another treatment (given a service is named besides it). */
export function asksSwitch(text: string): boolean {
  const t = text.toLowerCase().replace(/[^a-z0-9' ]+/g, ' ').replace(/\s+/g, ' ');
  return SWITCH.test(t) && !ABOUT_TIME.test(t);
}
