// The receptionist: one agent for voice calls, SMS and the web chat. It keeps each conversation's
// dialog state in SQLite, understands each turn (rules, optionally an LLM), lets the dialog policy
// decide, and writes the summary when the conversation ends.
import type { Logger } from '../log.js';
import type { Bookings } from '../booking/bookings.js';
import type { Clock } from '../shared/clock.js';
import type { Catalogue } from '../booking/catalogue.js';
import { toE164 } from '../shared/phone.js';
import { InvalidInputError, NotFoundError } from '../errors.js';
import type { Db } from '../store/db.js';
import { Conversations, type AlertKind } from './conversations.js';
import { dialogTurn, type DialogContext, type DialogInput } from './dialog.js';
import { Turn, type HeardReply } from './dialog-turn.js';
import { IdentityCodes, type SendText } from './identity-code.js';
import { fallbackMenu, type KeyMenu } from './keypad-fallback.js';
import { keypadAction, keypadGreeting, keypadTurn } from './keypad-menu.js';
import { KnowledgeIndex } from './knowledge.js';
import { Phrasing } from './phrasing.js';
import { ANYTHING_ELSE, ASK_NAME, CONFIRM_CALLER_NUMBER, FRONT_DESK_KEY, HOW_CAN_I_HELP, STILL_THERE, WHICH_TREATMENT } from './prompts.js';
import { summarize } from './summary.js';
import { AgentTools } from './tools.js';
import { newDialogState, type AgentAction, type Channel, type DialogState, type Intent, type Pending, type Understanding } from './types.js';
import { takesReheard } from './reheard.js';
import type { Understander } from './understand/index.js';
import { defaultUnderstander } from './nlu/understander.js';
import type { UtteranceContext } from './nlu/corpus.js';
import { ServiceMatcher } from './understand/services.js';
import { meanConfidence, slotConfidence, type HeardWord } from './slot-confidence.js';

export interface AgentSettings {
  disclosure: string;
  recordingNotice: string;
  greeting: string;
}

export interface ReceptionistDeps {
  db: Db;
  clock: Clock;
  log: Logger;
  catalogue: Catalogue;
  bookings: Bookings;
  settings: () => { agent: AgentSettings; record: boolean; transferTo: string | null; horizonDays: number };
  understander?: Understander;
}

export interface ChatTurn {
  conversation: string;
  reply: string;
  done: boolean;
  /** Staff have taken the thread over: the message is kept for them and the receptionist stays quiet. */
  heldBy?: string;
}

/** Intents whose answers come from the knowledge base (question-flow.ts reads it only for these). */
const KNOWLEDGE_INTENTS: ReadonlySet<Intent> = new Set<Intent>(['question', 'hours', 'location', 'payment']);

/** Whether a turn may read the knowledge base's answers, and so needs its model. */
function asksKnowledge(input: DialogInput): boolean {
  return input.kind === 'words' && (input.u.question || input.u.intents.some((i) => KNOWLEDGE_INTENTS.has(i)));
}

/** What the receptionist had just asked, as the understanding model knows it. */
export function contextOf(state: DialogState): UtteranceContext {
  switch (state.pending) {
    case null:
    case 'message':
      return 'open';
    case 'service':
    case 'which-service':
      return 'service';
    case 'when':
    case 'appointment-day':
      return 'when';
    case 'choose':
    case 'which-appointment':
      return 'choose';
    case 'name':
      return 'name';
    case 'phone':
    case 'code':
      return 'phone';
    case 'confirm':
    case 'confirm-phone':
    case 'confirm-cancel':
    case 'offer-callback':
    case 'check':
    case 'urgent-check':
      return 'confirm';
    case 'anything-else':
      return 'anything-else';
  }
}

/** An SMS thread stays one conversation while it is active within this window. */
const SMS_THREAD_MS = 24 * 3_600_000;

export class Receptionist {
  private readonly alertListeners = new Set<(alert: { id: number; kind: AlertKind; phone: string | null }) => void>();
  private conversations: Conversations | null = null;
  /** Codes texted to callers, once the SMS module gave a way to send them (useTexts). */
  private codes: IdentityCodes | null = null;
  private tools: AgentTools | null = null;
  private indexCache: { revision: number; knowledge: KnowledgeIndex; services: ServiceMatcher } | null = null;
  private chosen: Understander | null;

  constructor(private readonly deps: ReceptionistDeps) {
    this.chosen = deps.understander ?? null;
  }

  /** The understanding in use: the one given, else the committed model (the rules if it cannot load). */
  get understander(): Understander {
    if (!this.chosen) {
      const d = defaultUnderstander();
      if (d.error) this.deps.log.error({ err: d.error }, 'understanding model could not be loaded; the receptionist understands by the rules alone');
      this.chosen = d.understander;
    }
    return this.chosen;
  }

  private get store(): Conversations {
    this.conversations ??= new Conversations({ db: this.deps.db });
    return this.conversations;
  }

  private get agentTools(): AgentTools {
    this.tools ??= new AgentTools({ db: this.deps.db, bookings: this.deps.bookings, catalogue: this.deps.catalogue, clock: this.deps.clock, horizonDays: this.deps.settings().horizonDays });
    return this.tools;
  }

  /**
   * Knowledge and service matching, rebuilt when the catalogue changes. A new knowledge index starts
   * fitting its classifier in a worker thread at once, and answers with the previous index's
   * classifier until it is ready.
   */
  private indexes(): { knowledge: KnowledgeIndex; services: ServiceMatcher } {
    const revision = this.deps.catalogue.revision();
    if (this.indexCache?.revision !== revision) {
      const services = this.deps.catalogue.services();
      const matcher = new ServiceMatcher(services);
      const knowledge = new KnowledgeIndex(this.deps.catalogue.knowledge(), services, { services: matcher, providers: this.deps.catalogue.providers() });
      if (this.indexCache) knowledge.answerFrom(this.indexCache.knowledge);
      knowledge.prepare().catch((err: unknown) => this.deps.log.error({ err }, 'the knowledge classifier could not be fitted off the main thread; it will be fitted on it'));
      this.indexCache = { revision, knowledge, services: matcher };
    }
    return this.indexCache;
  }

  /**
   * Rebuilds the indexes if the catalogue changed and resolves when the knowledge classifier is
   * fitted (the agent module calls it at start and when the catalogue's revision moves).
   */
  async refresh(): Promise<void> {
    await this.indexes()
      .knowledge.prepare()
      .catch(() => undefined);
  }

  /** Swaps the understanding (e.g. rules + a local LLM once one has loaded); returns the one it replaces. */
  useUnderstander(u: Understander): Understander {
    const previous = this.understander;
    this.chosen = u;
    return previous;
  }

  get understanderName(): string {
    return this.understander.name;
  }

  /** The opening words of a call: greeting, AI disclosure, recording notice. */
  greetingText(): string {
    const s = this.deps.settings();
    const spa = this.deps.catalogue.profile().name;
    const parts = [s.agent.greeting.replaceAll('{spa}', spa), s.agent.disclosure];
    if (s.record) parts.push(s.agent.recordingNotice);
    parts.push(HOW_CAN_I_HELP);
    return parts.filter((p) => p.trim()).join(' ');
  }

  /**
   * What it says on most calls, word for word, for the voice to render before the first call: the
   * greeting, the reprompt after a silence, and the common questions of a booking.
   */
  prompts(): string[] {
    return [this.greetingText(), STILL_THERE, HOW_CAN_I_HELP, ANYTHING_ELSE, WHICH_TREATMENT, ASK_NAME, CONFIRM_CALLER_NUMBER, FRONT_DESK_KEY];
  }

  /**
   * Starts a voice conversation for an answered call (`narrowband`: a G.711 call, whose greeting
   * also gives the front desk's key); returns its id and the greeting.
   */
  startCall(call: { callId: number | null; callerPhone: string | null; narrowband?: boolean }): { conversation: string; action: AgentAction } {
    const state = newDialogState('voice', call.callerPhone);
    if (call.narrowband) state.narrowband = true;
    const rec = this.store.create({ channel: 'voice', phone: call.callerPhone, callId: call.callId, state, at: this.deps.clock.now() });
    const reply = call.narrowband ? `${this.greetingText()} ${FRONT_DESK_KEY}` : this.greetingText();
    (state as DialogState & { lastPrompt?: string }).lastPrompt = HOW_CAN_I_HELP;
    this.store.saveTurn(rec.id, { callerText: null, reply, state, at: this.deps.clock.now() });
    return { conversation: rec.id, action: { reply, expect: 'open' } };
  }

  /**
   * One caller turn in an existing conversation. `text` null = the caller said nothing. `words`: the
   * recogniser's words with their confidences (a spoken turn), from which each critical slot gets
   * its confidence (slot-confidence.ts); without them (texts) slots are taken as said.
   */
  async turn(conversationId: string, text: string | null, heard?: HeardReply, words?: readonly HeardWord[]): Promise<AgentAction> {
    return this.take(conversationId, text, { heard, words });
  }

  /**
   * A turn the question's grammar rejected, as the open model heard it again (`text`, `words`):
   * taken as what the caller said when it is a question, request or correction that fits
   * (reheard.ts: never a yes), otherwise not understood, as a rejected turn.
   */
  async reheard(conversationId: string, text: string, heard?: HeardReply, words?: readonly HeardWord[]): Promise<AgentAction> {
    return this.take(conversationId, text, { heard, words, only: (u, pending) => takesReheard(u, pending, words ?? []) });
  }

  private async take(conversationId: string, text: string | null, opts: { heard?: HeardReply | undefined; words?: readonly HeardWord[] | undefined; only?: (u: Understanding, pending: Pending | null) => boolean }): Promise<AgentAction> {
    const { heard, words, only } = opts;
    const rec = this.store.get(conversationId);
    if (!rec) throw new NotFoundError('conversation', conversationId);
    const state = rec.state;
    if (state.done) return { reply: '', expect: 'open', hangup: true };
    const input = await this.input(state, text);
    if (only && (input.kind !== 'words' || !only(input.u, state.pending))) return this.notUnderstood(conversationId);
    if (input.kind === 'words' && heard) input.heard = heard;
    if (input.kind === 'words' && words && words.length > 0) {
      const tools = this.agentTools;
      const c = slotConfidence(input.u, words, { service: (id) => tools.service(id), providerName: (id) => tools.providerName(id) });
      if (c) input.u.slotConfidence = c;
      const mean = meanConfidence(words);
      if (mean !== null) input.u.wordConfidence = mean;
    }
    // The knowledge model being fitted (in a worker: the event loop stays free) is waited for by
    // text when it is not ready (just after boot, or after an edit: staff try their edit in the chat
    // at once; a text reply can take seconds). A caller is not held in silence: on a call the model
    // from before an edit answers until the new one is ready, and just after boot, when there is
    // none, only a turn that asks the knowledge base waits for it (a booking goes on at once).
    const { knowledge } = this.indexes();
    const waits = rec.channel === 'voice' ? !knowledge.canAnswer && asksKnowledge(input) : !knowledge.fitted;
    if (waits) await knowledge.prepare().catch(() => undefined);
    const action = this.decide(rec.id, rec.channel, state, input);
    this.store.saveTurn(rec.id, { callerText: text ?? '', reply: action.reply, state, at: this.deps.clock.now() });
    if (state.done) this.finish(rec.id);
    return action;
  }

  /** A caller turn the recogniser heard but could not take for an answer (rejected): asked again. */
  notUnderstood(conversationId: string): AgentAction {
    const rec = this.store.get(conversationId);
    if (!rec) throw new NotFoundError('conversation', conversationId);
    const state = rec.state;
    if (state.done) return { reply: '', expect: 'open', hangup: true };
    const action = this.decide(rec.id, rec.channel, state, { kind: 'unclear' });
    this.store.saveTurn(rec.id, { callerText: '', reply: action.reply, state, at: this.deps.clock.now() });
    if (state.done) this.finish(rec.id);
    return action;
  }

  /** The web "try it" chat and POST /api/agent/chat (and SMS, with channel 'sms'). */
  async chat(req: { conversation?: string | undefined; from?: string | null | undefined; text: string; channel?: 'chat' | 'sms' }): Promise<ChatTurn> {
    const channel: Channel = req.channel ?? 'chat';
    let from: string | null = null;
    if (req.from !== undefined && req.from !== null && req.from !== '') {
      from = toE164(req.from);
      if (!from) throw new InvalidInputError('from is not a phone number', { from: 'a phone number such as +15551234567' });
    }
    let id = req.conversation;
    if (id !== undefined) {
      const rec = this.store.get(id);
      if (!rec || rec.channel !== channel) throw new NotFoundError('conversation', id);
      if (rec.state.done) id = undefined;
    } else if (channel === 'sms' && from) {
      id = this.store.latestOpen('sms', from, this.deps.clock.now() - SMS_THREAD_MS)?.id;
    }
    if (id === undefined) {
      const state = newDialogState(channel, from);
      if (channel === 'chat' && from) {
        state.phone = from;
        state.phoneConfirmed = true;
      }
      id = this.store.create({ channel, phone: from, state, at: this.deps.clock.now() }).id;
    }
    const text = req.text.trim();
    const held = this.store.get(id);
    if (held?.heldBy) {
      if (text !== '') this.store.saveTurn(id, { callerText: text, reply: '', state: held.state, at: this.deps.clock.now() });
      return { conversation: id, reply: '', done: false, heldBy: held.heldBy };
    }
    const action = await this.turn(id, text === '' ? null : text);
    const after = this.store.get(id);
    return { conversation: id, reply: action.reply, done: after?.done ?? true };
  }

  private async input(state: DialogState, text: string | null): Promise<DialogInput> {
    if (text === null || text.trim() === '') return { kind: 'silence' };
    const { services } = this.indexes();
    const tools = this.agentTools;
    const u: Understanding = await this.understander.understand(text, {
      now: tools.now(),
      zone: tools.zone(),
      services,
      providers: this.deps.catalogue.providers(),
      expectingName: state.pending === 'name',
      after: contextOf(state),
    });
    return { kind: 'words', u };
  }

  private context(conversationId: string, channel: Channel, state: DialogState): DialogContext {
    const tools = this.agentTools;
    const settings = this.deps.settings();
    const ctx: DialogContext = {
      tools,
      knowledge: this.indexes().knowledge,
      phr: new Phrasing(channel, tools.zone(), tools.now()),
      spaName: this.deps.catalogue.profile().name,
      conversationId,
      source: channel === 'voice' ? 'call' : channel === 'sms' ? 'sms' : 'web',
      canTransfer: channel === 'voice' && settings.transferTo !== null,
      alert: (kind: AlertKind, text: string, contact?: { phone: string | null; name: string }) => this.alert(conversationId, state, kind, text, contact),
    };
    const codes = this.codes;
    if (codes && channel === 'voice') {
      const spaName = this.deps.catalogue.profile().name;
      ctx.codes = {
        ready: () => codes.ready(),
        send: (phone) => codes.send(conversationId, phone, spaName),
        withhold: () => codes.withhold(conversationId),
        check: (digits) => codes.check(conversationId, digits),
      };
    }
    return ctx;
  }

  private decide(conversationId: string, channel: Channel, state: DialogState, input: DialogInput): AgentAction {
    return dialogTurn(state, input, this.context(conversationId, channel, state));
  }

  /** Starts a keypad-only call (the recogniser cannot hear it): greeting plus the main menu. */
  startKeypadCall(call: { callId: number | null; callerPhone: string | null }): { conversation: string; action: AgentAction } {
    const state = newDialogState('voice', call.callerPhone);
    const rec = this.store.create({ channel: 'voice', phone: call.callerPhone, callId: call.callId, state, at: this.deps.clock.now() });
    const reply = keypadGreeting(this.greetingText());
    this.store.saveTurn(rec.id, { callerText: null, reply, state, at: this.deps.clock.now() });
    return { conversation: rec.id, action: { reply, expect: 'digits' } };
  }

  /**
   * The keys for the question just asked on a spoken call (which treatment, which day, how can I
   * help), for a caller whose speech is not getting through; null when it has none.
   */
  keyMenu(conversationId: string): KeyMenu | null {
    const rec = this.store.get(conversationId);
    if (!rec || rec.state.done) return null;
    const tools = this.agentTools;
    const phr = new Phrasing('voice', tools.zone(), tools.now());
    return fallbackMenu(rec.state, tools, (items) => phr.list(items));
  }

  /**
   * The services a "Would that be Signature HydraFacial or Deluxe HydraFacial?" offers now, their
   * name and aliases each (the grammar of the answer); [] when none.
   */
  offeredServices(conversationId: string): string[][] {
    const rec = this.store.get(conversationId);
    const task = rec?.state.task;
    if (!rec || rec.state.done || rec.state.pending !== 'which-service' || !task || !('choices' in task) || !task.choices) return [];
    return task.choices.flatMap((id) => {
      const svc = this.agentTools.service(id);
      return svc ? [[svc.name, ...svc.aliases]] : [];
    });
  }

  /**
   * The times offered to choose from now, as the box says them ("six fifteen"), each with its day
   * ("thursday") when they are on several days; [] when none.
   */
  offeredTimes(conversationId: string): { time: string; day?: string }[] {
    const rec = this.store.get(conversationId);
    const task = rec?.state.task;
    if (!rec || rec.state.done || rec.state.pending !== 'choose' || !task || !('offers' in task) || !task.offers) return [];
    const tools = this.agentTools;
    const phr = new Phrasing('voice', tools.zone(), tools.now());
    const days = new Set(task.offers.map((o) => phr.day(o.start)));
    return task.offers.map((o) => (days.size > 1 ? { time: phr.time(o.start), day: phr.day(o.start).toLowerCase() } : { time: phr.time(o.start) }));
  }

  /** One key on a keypad-only call; null = no key before the wait ran out. */
  keypad(conversationId: string, key: string | null): AgentAction {
    const rec = this.store.get(conversationId);
    if (!rec) throw new NotFoundError('conversation', conversationId);
    if (rec.state.done) return { reply: '', expect: 'digits', hangup: true };
    const ctx = this.context(rec.id, 'voice', rec.state);
    const t = new Turn(rec.state, ctx);
    keypadTurn(rec.state, key, t, ctx, this.deps.catalogue.services());
    const action = keypadAction(t);
    this.store.saveTurn(rec.id, { callerText: key === null ? '' : `pressed ${key}`, reply: action.reply, state: rec.state, at: this.deps.clock.now() });
    if (rec.state.done) this.finish(rec.id);
    return action;
  }

  private alert(conversationId: string, state: DialogState, kind: AlertKind, text: string, contact?: { phone: string | null; name: string }): number {
    const who = contact ?? { phone: state.phone ?? state.callerPhone, name: state.name ?? '' };
    const id = this.store.alert({ kind, conversationId, phone: who.phone, name: who.name, text, at: this.deps.clock.now() });
    const log = kind === 'urgent' ? this.deps.log.warn.bind(this.deps.log) : this.deps.log.info.bind(this.deps.log);
    log({ alertId: id, kind, conversationId }, kind === 'urgent' ? 'URGENT staff alert raised by the receptionist' : 'staff alert raised by the receptionist');
    for (const fn of this.alertListeners) {
      try {
        fn({ id, kind, phone: who.phone });
      } catch (err) {
        this.deps.log.error({ err, alertId: id }, 'a staff alert listener failed');
      }
    }
    return id;
  }

  /**
   * How texts reach callers (the SMS module, with a real modem): identity codes are texted with it
   * (identity-code.ts); returns how to stop. Without it, calls prove identity as before.
   */
  useTexts(send: SendText, opts: { ready?: () => boolean; random?: (digits: number) => string } = {}): () => void {
    const codes = new IdentityCodes({ clock: this.deps.clock, send, ...opts });
    this.codes = codes;
    return () => {
      if (this.codes === codes) this.codes = null;
    };
  }

  /** Tells `fn` about each staff alert raised (the SMS module texts staff); returns how to stop. */
  onAlert(fn: (alert: { id: number; kind: AlertKind; phone: string | null }) => void): () => void {
    this.alertListeners.add(fn);
    return () => this.alertListeners.delete(fn);
  }

  /** Ends a conversation (goodbye, hang-up, transfer): releases holds, writes the summary. */
  finish(conversationId: string): string {
    const rec = this.store.get(conversationId);
    if (!rec) return '';
    this.agentTools.release(conversationId);
    const summary = summarize(rec.state, { tools: this.agentTools, phr: new Phrasing('sms', this.agentTools.zone(), this.deps.clock.now()) });
    if (!rec.state.done) {
      rec.state.done = true;
      this.store.saveTurn(rec.id, { callerText: null, reply: '', state: rec.state, at: this.deps.clock.now() });
    }
    this.store.finish(rec.id, summary, this.deps.clock.now());
    if (rec.callId !== null) this.store.setCallSummary(rec.callId, summary);
    return summary;
  }

  conversation(id: string): { id: string; channel: Channel; phone: string | null; heldBy: string | null; done: boolean; summary: string; messages: { role: string; text: string; at: number }[] } {
    const rec = this.store.get(id);
    if (!rec) throw new NotFoundError('conversation', id);
    return { id: rec.id, channel: rec.channel, phone: rec.phone, heldBy: rec.heldBy, done: rec.done, summary: rec.summary, messages: this.store.messages(id) };
  }

  /** The text conversations for the Messages page. */
  textConversations(opts: { channels: readonly Channel[]; limit: number; before?: number | undefined }): ReturnType<Conversations['list']> {
    return this.store.list(opts);
  }

  /** Staff take a text thread over (the receptionist stays quiet on it) or hand it back (null). False when there is no such conversation. */
  holdConversation(id: string, by: string | null): boolean {
    return this.store.hold(id, by, this.deps.clock.now());
  }

  alerts(opts: { open?: boolean } = {}): ReturnType<Conversations['alerts']> {
    return this.store.alerts(opts);
  }

  /** Staff followed an alert up: it leaves the open list. */
  resolveAlert(id: number): boolean {
    return this.store.resolveAlert(id, this.deps.clock.now());
  }
}
