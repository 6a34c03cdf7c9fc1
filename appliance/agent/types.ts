// The receptionist's shapes: what a caller's words were understood to mean, and the dialog state
// kept between turns. The state is plain JSON so a conversation survives in SQLite between SMS
// messages, chat requests and restarts.
import type { Shift } from './understand/shift.js';

/** Where the conversation happens; replies are written for it. */
export type Channel = 'voice' | 'sms' | 'chat';

export const INTENTS = [
  'book',
  'reschedule',
  'cancel',
  'my-appointment',
  'price',
  'duration',
  'question',
  'hours',
  'location',
  'payment',
  'human',
  'urgent',
  'complaint',
  'off-topic',
  'goodbye',
  'thanks',
  'greeting',
] as const;
export type Intent = (typeof INTENTS)[number];

/** A caller's "when": a local day and/or a window of minutes of the day, in the spa's zone. */
export type DayPart = 'morning' | 'afternoon' | 'evening';

export interface WhenSpec {
  /** 'YYYY-MM-DD' in the spa's zone; absent: any day (from today on). */
  day?: string;
  /** Several days ("next week"): search from `day` for this many days. */
  days?: number;
  /** Days named as alternatives ("Monday or Wednesday"): of the span, only these. */
  anyOf?: string[];
  /** Minutes after local midnight; the window the caller will take. */
  fromMin?: number;
  toMin?: number;
  /** The time they asked for, when they named one ("at 2:30"). */
  targetMin?: number;
  /** The window is a clock time the caller named ("after 3"), not a part of the day's. */
  clock?: boolean;
  /** The part of the day they asked for ("Friday afternoon", "mornings"), with or without a time. */
  part?: DayPart;
  /** "as soon as possible", "first available". */
  asap?: boolean;
  /** The words it came from, for the log and the summary. */
  text: string;
}

/** What one utterance says, as far as the understanding can tell. Every field is optional. */
export interface Understanding {
  intents: Intent[];
  /** A clear yes or no by the rules' reading: the only one a confirmation (book, move, cancel) takes. */
  yes: boolean;
  no: boolean;
  /**
   * The optional LLM's reading of yes or no where the rules heard neither. Softer questions
   * ("anything else?", "is this number best?") may take it; a confirmation never does.
   */
  leaning?: 'yes' | 'no';
  /** Service ids matched, best first; several when the words fit more than one ("filler"). */
  services: string[];
  /** Other services named in the same sentence ("how much are Dysport and a peel"). */
  otherServices?: string[];
  /** The words that matched a service. */
  serviceWords?: string;
  providerId?: string;
  /** "anyone", "whoever is free". */
  anyProvider?: boolean;
  when?: WhenSpec;
  /** `when` was filled by the LLM, not read by the rules: never a fact that identifies a caller. */
  whenFromLlm?: boolean;
  name?: string;
  phone?: string;
  /** Which offered slot: index into the offers. */
  choice?: number;
  /** "no, Wednesday", "actually make it filler": the new value replaces the old. */
  correction: boolean;
  /** It asks something (question mark or question words). */
  question: boolean;
  /**
   * Each question of several asked in one turn ("how much is botox, and where are you?"), with the
   * words that ask it, when the turn has more than one: the answers look each up in its own words.
   */
  asks?: { intent: Intent; text: string }[];
  /** Caller text, cleaned. */
  text: string;
  /**
   * The learned model's reading (nlu/), when it ran: every intent it kept, the answer kinds too
   * (yes, no, maybe, correction, inform), its confidence in the first, and whether that is too low
   * to act on.
   */
  nlu?: { intents: string[]; confidence: number; unsure: boolean; ranked: string[] };
  /**
   * How sure the recogniser was of the words each critical slot came from (0..1, slot-confidence.ts);
   * absent on text turns and turns without word confidences: their slots are taken as said.
   */
  slotConfidence?: SlotConfidence;
  /** The recogniser's mean confidence in the turn's words (spoken turns that have them; slot-confidence.ts). */
  wordConfidence?: number;
}

/** The critical slots the receptionist may check with the caller before using them. */
export type CheckSlot = 'service' | 'when' | 'provider' | 'name';

export type SlotConfidence = Partial<Record<CheckSlot, number>>;

/** A slot put to the caller. */
export interface Offer {
  start: number;
  providerId: string;
}

export type Pending =
  | 'service'
  | 'which-service'
  | 'when'
  | 'choose'
  | 'name'
  | 'phone'
  | 'confirm-phone'
  | 'confirm'
  | 'which-appointment'
  | 'confirm-cancel'
  /** Who is calling, before an appointment is read out or changed: the day of their appointment. */
  | 'appointment-day'
  /** Who is calling: the code just texted to the number they call from (identity-code.ts). */
  | 'code'
  /** They could not be identified: a call back or a text to the number on file? */
  | 'offer-callback'
  | 'message'
  | 'anything-else'
  /** A slot heard with low confidence is checked ("Was that lip filler?"): BookTask.checking says which. */
  | 'check'
  /** An urgent symptom in words the recogniser doubted: is it one? (urgent.ts) */
  | 'urgent-check';

export interface BookTask {
  kind: 'book' | 'reschedule';
  /** Reschedule: the appointment being moved. */
  appointmentId?: number;
  serviceId?: string;
  /** The service asked for when a consultation was booked instead. */
  requestedServiceId?: string;
  /** Candidate services when the words fit several ("filler"). */
  choices?: string[];
  providerId?: string;
  when?: WhenSpec;
  offers?: Offer[];
  chosen?: Offer;
  holdId?: string;
  /** Reschedule: the appointments found so far, once the caller is identified. */
  candidates?: number[];
  /** Reschedule: a move counted from the appointment ("an hour later"), until it is found. */
  shift?: Shift;
  /** Reschedule: services named in words of switching ("my peel to a hydrafacial"), until it is found. */
  switchTo?: string[];
  /** Reschedule: the service the appointment was, when the caller makes it serviceId instead. */
  switchedFrom?: string;
  /** Slots heard with low confidence, to be checked with the caller before they are used. */
  doubt?: CheckSlot[];
  /** The slot being checked now (pending 'check'). */
  checking?: CheckSlot;
}

export interface ManageTask {
  kind: 'cancel' | 'lookup';
  appointmentId?: number;
  candidates?: number[];
}

export interface MessageTask {
  kind: 'message';
  reason: 'handoff' | 'question' | 'caller';
}

export type Task = BookTask | ManageTask | MessageTask;

/** Things that happened, for the summary and the bench. */
export type Outcome =
  | { kind: 'booked'; appointmentId: number }
  | { kind: 'rescheduled'; appointmentId: number }
  | { kind: 'cancelled'; appointmentId: number }
  | { kind: 'answered'; topic: string }
  | { kind: 'message'; alertId: number }
  | { kind: 'unknown-question'; alertId: number }
  | { kind: 'urgent'; alertId: number }
  | { kind: 'transfer' };

/** Who the caller proved to be before any appointment was read out, moved or cancelled. */
export interface CallerIdentity {
  /** The client they proved to be; absent until then. */
  clientId?: number;
  /** The name they proved it with (a new name said later asks again). */
  name?: string;
  /**
   * How: the calling number is the client's and the name matches; or the name and the day of an
   * appointment; or the calling number is the client's and the code texted to it was typed back.
   */
  via?: 'number-and-name' | 'name-and-day' | 'number-and-code';
  /**
   * The code step was taken (once per conversation): the client on file a code was texted for, or
   * null when none went (the caller was asked just the same, identity-code.ts).
   */
  codeFor?: number | null;
  /** Name and day answers that matched nobody. At two, no more questions: a call back is offered. */
  wrong: number;
  /** The first name alone was given and the last name asked for. */
  askedLastName?: boolean;
  /** Answers to the name question with no name in them; at two, a call back is offered. */
  unheardNames?: number;
  /** An answer to the day question that named no day was let go once. */
  unclear?: boolean;
  /** The name of each name-and-day answer that matched nobody (guesses are also limited per name across conversations). */
  tried?: string[];
  /** No more attempts in this conversation. */
  refused?: boolean;
  /** What the caller wanted when it was refused, for the staff call back. */
  wanted?: 'cancel' | 'reschedule' | 'lookup';
}

export interface DialogState {
  channel: Channel;
  /** Caller ID or SMS sender, E.164; null when withheld or unknown. */
  callerPhone: string | null;
  /** The number we will use: caller ID once confirmed, or one the caller gave. */
  phone: string | null;
  phoneConfirmed: boolean;
  /** The name the caller gave in this conversation (never one read from the client file). */
  name: string | null;
  task: Task | null;
  pending: Pending | null;
  /** Consecutive turns the agent did not understand or heard nothing. */
  misses: number;
  turns: number;
  outcomes: Outcome[];
  /** Caller identity for appointments; absent until an appointment is asked about. */
  identity?: CallerIdentity;
  /** What the caller wanted, in their words' intents (for the summary). */
  wanted: Intent[];
  done: boolean;
  /** Slots already checked with the caller in this conversation: never asked about twice. */
  checked?: CheckSlot[];
  /** A call over the phone band (G.711), where the recogniser mishears about half of what is said. */
  narrowband?: boolean;
  /** What was heard as an urgent symptom while the caller is asked whether it is one (urgent.ts). */
  urgentHeard?: string;
}

export function newDialogState(channel: Channel, callerPhone: string | null): DialogState {
  return {
    channel,
    callerPhone,
    phone: channel === 'sms' ? callerPhone : null,
    phoneConfirmed: channel === 'sms' && callerPhone !== null,
    name: null,
    task: null,
    pending: null,
    misses: 0,
    turns: 0,
    outcomes: [],
    wanted: [],
    done: false,
  };
}

/** What the agent does after a turn. */
export interface AgentAction {
  reply: string;
  /** What the next caller turn is expected to be (shapes the ASR grammar and the end-of-turn wait). */
  expect: 'open' | 'yes-no' | 'check' | 'service' | 'when' | 'name' | 'digits' | 'code' | 'choice';
  hangup?: boolean;
  transfer?: boolean;
  /** The caller's words did not move the dialog on (not understood, or no answer to the question): it asks again. */
  again?: boolean;
  /** The question offers its keys at once, before speech has failed (an urgent check on a narrowband call). */
  offerKeys?: boolean;
}
