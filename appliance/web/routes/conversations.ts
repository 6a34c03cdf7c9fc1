// The Messages page's conversations: the receptionist's text conversations (web chat now; SMS once the modem
// module lands) by client, each with both sides' messages, and staff taking a thread over, which
// keeps the receptionist quiet on it until they hand it back.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, NotFoundError } from '../../errors.js';
import type { Receptionist } from '../../agent/receptionist.js';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

const listQuery = z.strictObject({
  channel: z.enum(['chat', 'sms']).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Conversations active before this instant (epoch ms): the next page starts at the last one's updatedAtMs. */
  before: z.coerce.number().int().positive().optional(),
});
const idParam = z.object({ id: z.string().uuid('a conversation id') });

class AgentUnavailableError extends ApplianceError {
  constructor() {
    super('SPA_ERR_AGENT_UNAVAILABLE', 'the receptionist is not running', { status: 503 });
  }
}

export function conversationRoutes(deps: WebDeps): FastifyPluginAsync {
  const agent = (): Receptionist => {
    if (!deps.receptionist) throw new AgentUnavailableError();
    return deps.receptionist;
  };
  const clientName = (phone: string | null): string | null => (phone ? (deps.bookings.clientByPhone(phone)?.name ?? null) || null : null);
  return async (app) => {
    app.get('/api/conversations', { config: { access: 'frontdesk', audit: { action: 'conversation.list' } } }, (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      const zone = deps.catalogue.profile().timeZone;
      const list = agent().textConversations({ channels: q.channel ? [q.channel] : ['chat', 'sms'], limit: q.limit, before: q.before });
      return {
        conversations: list.map((c) => ({ ...c, client: clientName(c.phone), updatedAt: toIso(c.updatedAt, zone), updatedAtMs: c.updatedAt })),
      };
    });

    app.get('/api/conversations/:id', { config: { access: 'frontdesk', audit: { action: 'conversation.view', subject: 'conversation' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const zone = deps.catalogue.profile().timeZone;
      const c = agent().conversation(id);
      if (c.channel === 'voice') throw new NotFoundError('text conversation', id);
      return {
        conversation: {
          ...c,
          client: clientName(c.phone),
          messages: c.messages.map((m) => ({ ...m, at: toIso(m.at, zone) })),
        },
      };
    });

    for (const [path, take] of [
      ['takeover', true],
      ['release', false],
    ] as const) {
      app.post(`/api/conversations/:id/${path}`, { config: { access: 'frontdesk', audit: { action: 'conversation.takeover', subject: 'conversation' } } }, (req) => {
        const { id } = parseInput(idParam, req.params, 'params');
        req.auditDetail = path;
        const by = take ? (req.user?.username ?? 'staff') : null;
        if (!agent().holdConversation(id, by)) throw new NotFoundError('conversation', id);
        req.log.info({ conversation: id, held: take }, take ? 'staff took a conversation over' : 'conversation handed back to the receptionist');
        return { heldBy: by };
      });
    }
  };
}
