// Texts for staff (the web UI's Messages page): GET /api/messages lists the threads (one per
// number) and messages with direction, status and times; GET /api/messages/threads/:id reads one
// thread; a staff reply (POST /api/messages/threads/:id/reply, or POST /api/messages to any
// number) goes through the outbox and puts the thread on hold (the receptionist stops answering
// it); .../takeover holds it without writing, .../release (or POST /api/messages/resume) hands it
// back. Threads are named by id, never by number, in URLs and the audit log. POST /api/sim/sms
// delivers a text to the simulated modem (SPA_MODEM=sim only).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, NotFoundError } from '../../errors.js';
import { requireE164 } from '../../shared/phone.js';
import type { SmsMessage } from '../../sms/sms-store.js';
import type { SmsModule } from '../../sms/sms-module.js';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

/** What the routes use of the sms module. */
export type SmsApi = Pick<SmsModule, 'store' | 'messaging' | 'simModem'>;

const listQuery = z.strictObject({
  /** One thread: the number, any common form. */
  phone: z.string().trim().min(3).max(40).optional(),
  /** Messages with a smaller id (the next page). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const sendBody = z.strictObject({ to: z.string().min(3).max(40), text: z.string().trim().min(1).max(1000, 'at most 1000 characters') });
const resumeBody = z.strictObject({ phone: z.string().min(3).max(40) });
const threadParam = z.strictObject({ id: z.coerce.number().int().positive('a thread id') });
const replyBody = z.strictObject({ text: z.string().trim().min(1, 'write something').max(1000, 'at most 1000 characters') });
const simBody = z.strictObject({ from: z.string().min(3).max(40), text: z.string().min(1).max(2000, 'at most 2000 characters') });

class SmsUnavailableError extends ApplianceError {
  constructor(message = 'texting is not running') {
    super('SPA_ERR_SMS_UNAVAILABLE', message, { status: 503 });
  }
}

export function messageRoutes(deps: WebDeps): FastifyPluginAsync {
  const sms = (): SmsApi => {
    if (!deps.sms) throw new SmsUnavailableError();
    return deps.sms;
  };
  const view = (m: SmsMessage, zone: string): Record<string, unknown> => ({
    id: m.id,
    phone: m.phone,
    direction: m.direction,
    kind: m.kind,
    text: m.body,
    status: m.status,
    automated: m.automated,
    attempts: m.attempts,
    parts: m.parts,
    error: m.error,
    staffUser: m.staffUser,
    appointmentId: m.appointmentId,
    createdAt: toIso(m.createdAt, zone),
    sentAt: m.sentAt === null ? null : toIso(m.sentAt, zone),
    deliveredAt: m.deliveredAt === null ? null : toIso(m.deliveredAt, zone),
    nextAttemptAt: m.status === 'queued' && m.nextAttemptAt !== null ? toIso(m.nextAttemptAt, zone) : null,
  });
  return async (app) => {
    app.get('/api/messages', { config: { access: 'frontdesk', audit: { action: 'message.list' } } }, (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      const zone = deps.catalogue.profile().timeZone;
      const phone = q.phone === undefined ? undefined : requireE164(q.phone, 'phone');
      const store = sms().store;
      if (phone) {
        // One thread read: named in the audit log by its id, never the number.
        req.auditDetail = 'thread';
        req.auditSubject = store.threadId(phone);
      }
      const messages = store.messages({ ...(phone ? { phone } : {}), ...(q.before ? { before: q.before } : {}), limit: q.limit }).map((m) => view(m, zone));
      const threads = phone
        ? store.threads(500).filter((t) => t.phone === phone)
        : store.threads(q.limit);
      return {
        threads: threads.map((t) => ({ ...t, lastAt: toIso(t.lastAt, zone) })),
        messages,
      };
    });
    app.post('/api/messages', { config: { access: 'frontdesk', audit: { action: 'message.send' } } }, (req, reply) => {
      const body = parseInput(sendBody, req.body);
      const to = requireE164(body.to, 'to');
      const m = sms().messaging.staffReply(to, body.text, req.user?.username ?? null);
      req.auditSubject = m.id;
      void reply.code(202);
      return view(m, deps.catalogue.profile().timeZone);
    });
    const threadOf = (params: unknown): { id: number; phone: string } => {
      const { id } = parseInput(threadParam, params, 'params');
      const phone = sms().store.threadPhone(id);
      if (!phone) throw new NotFoundError('text thread', String(id));
      return { id, phone };
    };
    app.get('/api/messages/threads/:id', { config: { access: 'frontdesk', audit: { action: 'message.view', subject: 'sms-thread' } } }, (req) => {
      const { id, phone } = threadOf(req.params);
      const zone = deps.catalogue.profile().timeZone;
      const store = sms().store;
      const messages = store.messages({ phone, limit: 500 }).reverse().map((m) => view(m, zone));
      return {
        thread: {
          id,
          phone,
          client: deps.bookings.clientByPhone(phone)?.name || null,
          heldBy: store.heldBy(phone),
          optedOut: store.isOptedOut(phone),
          messages,
        },
      };
    });
    app.post('/api/messages/threads/:id/reply', { config: { access: 'frontdesk', audit: { action: 'message.send', subject: 'sms-thread' } } }, (req, reply) => {
      const { phone } = threadOf(req.params);
      const body = parseInput(replyBody, req.body);
      const m = sms().messaging.staffReply(phone, body.text, req.user?.username ?? null);
      req.log.info({ smsId: m.id }, 'staff replied to a text thread');
      void reply.code(202);
      return { message: view(m, deps.catalogue.profile().timeZone), heldBy: sms().store.heldBy(phone) };
    });
    app.post('/api/messages/threads/:id/takeover', { config: { access: 'frontdesk', audit: { action: 'message.takeover', subject: 'sms-thread' } } }, (req) => {
      const { phone } = threadOf(req.params);
      sms().messaging.takeOver(phone, req.user?.username ?? null);
      return { heldBy: sms().store.heldBy(phone) };
    });
    app.post('/api/messages/threads/:id/release', { config: { access: 'frontdesk', audit: { action: 'message.resume', subject: 'sms-thread' } } }, (req) => {
      const { phone } = threadOf(req.params);
      sms().messaging.resumeAgent(phone);
      return { heldBy: null };
    });
    app.post('/api/messages/resume', { config: { access: 'frontdesk', audit: { action: 'message.resume' } } }, (req) => {
      const body = parseInput(resumeBody, req.body);
      sms().messaging.resumeAgent(requireE164(body.phone, 'phone'));
      return { ok: true };
    });
    app.post('/api/sim/sms', { config: { access: 'frontdesk' } }, (req, reply) => {
      const body = parseInput(simBody, req.body);
      const sim = sms().simModem;
      if (!sim) throw new SmsUnavailableError('POST /api/sim/sms works only with SPA_MODEM=sim');
      sim.receive(requireE164(body.from, 'from'), body.text);
      void reply.code(202);
      return { ok: true };
    });
  };
}
