// Texts for staff (the web UI's Messages page): GET /api/messages lists the threads (one per
// number) and messages with direction, status and times; POST /api/messages sends a staff reply
// (the receptionist stops answering that thread); POST /api/messages/resume hands the thread back;
// POST /api/sim/sms delivers a text to the simulated modem (SPA_MODEM=sim only).
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError } from '../../errors.js';
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
