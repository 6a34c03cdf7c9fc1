// The receptionist over text: POST /api/agent/chat is one turn ({conversation?, from?, text} ->
// {conversation, reply, done}); staff can read a conversation back and see the alerts it left.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, NotFoundError } from '../../errors.js';
import type { Receptionist } from '../../agent/receptionist.js';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

const chatBody = z.strictObject({
  conversation: z.string().uuid('a conversation id from an earlier reply').optional(),
  from: z.string().max(40).nullable().optional(),
  text: z.string().max(2000, 'at most 2000 characters'),
});
const idParam = z.object({ id: z.string().uuid('a conversation id') });
const alertParam = z.object({ id: z.coerce.number().int().positive('an alert id') });

class AgentUnavailableError extends ApplianceError {
  constructor() {
    super('SPA_ERR_AGENT_UNAVAILABLE', 'the receptionist is not running', { status: 503 });
  }
}

export function agentRoutes(deps: WebDeps): FastifyPluginAsync {
  const agent = (): Receptionist => {
    if (!deps.receptionist) throw new AgentUnavailableError();
    return deps.receptionist;
  };
  return async (app) => {
    app.post('/api/agent/chat', { config: { access: 'frontdesk', audit: { action: 'agent.chat' } } }, async (req) => {
      const body = parseInput(chatBody, req.body);
      return agent().chat({ conversation: body.conversation, from: body.from, text: body.text });
    });
    app.get('/api/agent/conversations/:id', { config: { access: 'frontdesk', audit: { action: 'conversation.view', subject: 'conversation' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const zone = deps.catalogue.profile().timeZone;
      const c = agent().conversation(id);
      return { ...c, messages: c.messages.map((m) => ({ ...m, at: toIso(m.at, zone) })) };
    });
    app.get('/api/alerts', { config: { access: 'frontdesk', audit: { action: 'alert.list' } } }, () => {
      const zone = deps.catalogue.profile().timeZone;
      return {
        alerts: agent()
          .alerts()
          .map((a) => ({ ...a, createdAt: toIso(a.createdAt, zone), resolvedAt: a.resolvedAt === null ? null : toIso(a.resolvedAt, zone) })),
      };
    });
    // Staff followed an alert up ("Done" on Today): it leaves the open list; doing it twice is a 404.
    app.post('/api/alerts/:id/done', { config: { access: 'frontdesk', audit: { action: 'alert.resolve', subject: 'alert' } } }, (req) => {
      const { id } = parseInput(alertParam, req.params, 'params');
      if (!agent().resolveAlert(id)) throw new NotFoundError('open alert', id);
      return { ok: true };
    });
  };
}
