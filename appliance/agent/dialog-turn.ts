// One turn of the dialog under construction: what is said, the question asked next and what the
// call does after (hang up, transfer). Shared by the dialog policy and its booking and
// appointment flows.
import type { CodeCheck } from './identity-code.js';
import type { AppointmentSource } from '../booking/types.js';
import type { AlertKind } from './conversations.js';
import type { KnowledgeIndex } from './knowledge.js';
import type { Phrasing } from './phrasing.js';
import type { AgentTools } from './tools.js';
import type { AgentAction, DialogState, Pending, Understanding } from './types.js';
import { ANYTHING_ELSE } from './prompts.js';

export interface DialogContext {
  tools: AgentTools;
  knowledge: KnowledgeIndex;
  phr: Phrasing;
  spaName: string;
  conversationId: string;
  source: AppointmentSource;
  /** A staff destination exists for live transfer (voice only). */
  canTransfer: boolean;
  /**
   * Leaves an alert for staff; returns its id. The contact is the conversation's number and the
   * name given, unless `contact` names others (a call back to the number on file).
   */
  alert(kind: AlertKind, text: string, contact?: { phone: string | null; name: string }): number;
  /** One-time codes texted to the caller (identity-code.ts); absent when no text can be sent (no modem, not a call). */
  codes?: { ready(): boolean; send(phone: string): boolean; withhold(): void; check(digits: string): CodeCheck };
}

/** How much of the previous reply the caller heard before speaking over it (voice only). */
export interface HeardReply {
  interrupted: boolean;
  heardText: string;
}

/** The two knowledge entries a question was torn between, and the question, while the caller picks one. */
export interface TopicChoice {
  ids: string[];
  question: string;
}

/** 'unclear': speech the recogniser heard but could not take for any answer the question allows. */
export type DialogInput = { kind: 'words'; u: Understanding; heard?: HeardReply } | { kind: 'silence' } | { kind: 'unclear' };


const EXPECT: Record<Pending, AgentAction['expect']> = {
  service: 'service',
  'which-service': 'service',
  when: 'when',
  choose: 'choice',
  name: 'name',
  phone: 'digits',
  'confirm-phone': 'yes-no',
  confirm: 'yes-no',
  'which-appointment': 'choice',
  'confirm-cancel': 'yes-no',
  'appointment-day': 'when',
  code: 'code',
  'offer-callback': 'yes-no',
  message: 'open',
  'anything-else': 'yes-no',
  check: 'check',
  'urgent-check': 'yes-no',
};


export class Turn {
  readonly said: string[] = [];
  prompt = '';
  hangup = false;
  /** AgentAction.offerKeys. */
  offerKeys = false;
  transfer = false;

  /** The caller cut the previous reply off before its question was heard. */
  cutOffBeforeQuestion = false;

  /** The caller's words answered neither the question asked nor anything else, though the dialog moved on. */
  unanswered = false;

  constructor(
    readonly s: DialogState & { lastPrompt?: string; priceAsk?: boolean; durationAsk?: boolean; repeats?: number; clarified?: boolean; topicChoice?: TopicChoice; lastTopic?: { id: string; turn: number }; lastServices?: { ids: string[]; turn: number }; groupNoted?: boolean; saysReturning?: boolean },
    readonly ctx: DialogContext,
  ) {}

  ask(pending: Pending | null, prompt: string): void {
    this.s.pending = pending;
    this.prompt = prompt;
  }

  action(): AgentAction {
    const reply = [...this.said, this.prompt].filter(Boolean).join(' ');
    if (this.prompt) this.s.lastPrompt = this.prompt;
    const a: AgentAction = { reply, expect: this.s.pending ? EXPECT[this.s.pending] : 'open' };
    if (this.hangup) a.hangup = true;
    if (this.transfer) a.transfer = true;
    if (this.offerKeys) a.offerKeys = true;
    return a;
  }
}

export function spoken(t: Turn): boolean {
  return t.ctx.phr.spoken;
}


/** Lets go of the slot held for this conversation. */
export function releaseHold(t: Turn): void {
  const task = t.s.task;
  if (task && (task.kind === 'book' || task.kind === 'reschedule') && task.holdId) {
    t.ctx.tools.release(t.ctx.conversationId);
    delete task.holdId;
  }
}


/** A yes to a soft question ("anything else?", "that one?"): the rules' yes, or the LLM's leaning. Never for a confirmation. */
export function agrees(u: Understanding): boolean {
  return u.yes || (!u.no && u.leaning === 'yes');
}

/** A no to a soft question, as agrees(). */
export function declines(u: Understanding): boolean {
  return u.no || (!u.yes && u.leaning === 'no');
}

export function anythingElse(t: Turn): void {
  t.ask('anything-else', spoken(t) ? ANYTHING_ELSE : 'Anything else?');
}
