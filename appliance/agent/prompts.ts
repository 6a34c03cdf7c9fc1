// The receptionist's fixed spoken prompts, one constant each: the dialog says them (dialog.ts,
// booking-flow.ts, manage-flow.ts, dialog-turn.ts) and Receptionist.prompts() lists them for the
// voice module to render ahead of the first call, so a call never waits for their synthesis.
// receptionist.test.ts drives conversations and checks each is said verbatim.

/** The end of the greeting, and the question after a silence with nothing pending. */
export const HOW_CAN_I_HELP = 'How can I help you today?';
/** Before the question repeated after a silence. */
export const STILL_THERE = 'Are you still there?';
export const ANYTHING_ELSE = 'Is there anything else I can help with?';
export const WHICH_TREATMENT = 'Which treatment would you like to book?';
/** After the caller chose a time, when the name is not known yet. */
export const ASK_NAME = 'Great. May I have your first and last name?';
export const CONFIRM_CALLER_NUMBER = 'And is the number you are calling from the best one to reach you?';
/**
 * After the greeting on a narrowband (G.711) call: misheard speech there can be taken for another
 * request ("a person, please" answered with the address), counting no miss, so the keys would come
 * too late; the way to a person is said at once, as phone menus do.
 */
export const FRONT_DESK_KEY = 'For the front desk, press 0.';
