// Calls in progress for the Live page: a snapshot, a server-sent event stream of the same (each
// change of a call's state or transcript, read from the call log every LIVE_POLL_MS, so a call
// handled anywhere in the box shows), and staff's buttons: transfer the caller to the front desk,
// or end the call. The stream ends when the session does (sign-out, idle limit) and when the
// server stops.
import type { FastifyPluginAsync } from 'fastify';
import { z } from 'zod';
import { ApplianceError, NotFoundError } from '../../errors.js';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

export interface CallControl {
  /** Ends the call (BYE); false when it is not in progress. */
  end(id: number): boolean;
  /** Transfers the caller to the staff destination; false when not in progress, not configured or refused. */
  transfer(id: number): Promise<boolean>;
}

/** How often the stream looks for changes. */
export const LIVE_POLL_MS = 500;
/** A comment line this often keeps proxies and the browser from timing the stream out. */
const KEEPALIVE_MS = 15_000;

const idParam = z.object({ id: z.coerce.number().int().positive('a call id') });

class ControlUnavailableError extends ApplianceError {
  constructor() {
    super('SPA_ERR_CALLS_UNAVAILABLE', 'calls cannot be controlled here', { status: 503 });
  }
}

class TransferFailedError extends ApplianceError {
  constructor(why: string) {
    super('SPA_ERR_TRANSFER_FAILED', why, { status: 409 });
  }
}

export function liveRoutes(deps: WebDeps): FastifyPluginAsync {
  const snapshot = () => {
    const zone = deps.catalogue.profile().timeZone;
    return deps.calls.inProgress().map((c) => ({
      id: c.id,
      caller: c.caller,
      state: c.state,
      invitedAt: toIso(c.invitedAt, zone),
      answeredAt: c.answeredAt === null ? null : toIso(c.answeredAt, zone),
      turns: deps.calls.turns(c.id).map((t) => ({ input: t.inputKind, caller: t.callerText, reply: t.replyText })),
    }));
  };
  const control = (): CallControl => {
    if (!deps.callControl) throw new ControlUnavailableError();
    return deps.callControl;
  };
  /** Whether the session behind a stream is still good (read without touching it: an open page is not activity). */
  const sessionAlive = (hash: string | null): boolean => {
    if (!hash || !deps.db) return hash !== null;
    const row = deps.db.prepare('SELECT last_seen_at FROM sessions WHERE token_hash = ?').get(hash) as { last_seen_at: number } | undefined;
    return row !== undefined && row.last_seen_at > deps.clock.now() - deps.accounts.sessionIdleMs;
  };

  return async (app) => {
    const streams = new Set<() => void>();
    app.addHook('preClose', async () => {
      for (const close of [...streams]) close();
    });

    app.get('/api/live', { config: { access: 'frontdesk', audit: { action: 'live.view' } } }, () => ({ calls: snapshot() }));

    app.get('/api/live/events', { config: { access: 'frontdesk' } }, (req, reply) => {
      const user = req.user;
      if (user) deps.audit.record({ userId: user.id, username: user.username, sourceAddress: req.ip, action: 'live.view', subjectKind: 'stream', status: 200 });
      const headers = {
        ...reply.getHeaders(),
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-store',
        connection: 'keep-alive',
      };
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, headers as Record<string, string>);
      let last = '';
      const send = (): void => {
        const text = JSON.stringify({ calls: snapshot() });
        if (text === last) return;
        last = text;
        res.write(`event: calls\ndata: ${text}\n\n`);
      };
      const tick = (): void => {
        try {
          if (!sessionAlive(req.sessionId)) {
            res.write('event: signed-out\ndata: {}\n\n');
            close();
            return;
          }
          send();
        } catch (err) {
          req.log.error({ err }, 'live stream failed');
          close();
        }
      };
      const poll = deps.clock.setInterval(tick, LIVE_POLL_MS);
      const beat = deps.clock.setInterval(() => res.write(': keep-alive\n\n'), KEEPALIVE_MS);
      const close = (): void => {
        if (!streams.delete(close)) return;
        deps.clock.clearInterval(poll);
        deps.clock.clearInterval(beat);
        res.end();
      };
      streams.add(close);
      req.raw.on('close', close);
      send();
    });

    app.post('/api/live/:id/end', { config: { access: 'frontdesk', audit: { action: 'call.control', subject: 'call' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      req.auditDetail = 'end';
      if (!control().end(id)) throw new NotFoundError('call in progress', id);
      req.log.info({ callId: id }, 'call ended by staff');
      return { ok: true };
    });

    app.post('/api/live/:id/transfer', { config: { access: 'frontdesk', audit: { action: 'call.control', subject: 'call' } } }, async (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      req.auditDetail = 'transfer';
      const call = deps.calls.get(id);
      if (!call || call.state === 'ended') throw new NotFoundError('call in progress', id);
      if (!(await control().transfer(id))) throw new TransferFailedError('the transfer did not go through (no front-desk destination set, or it was refused); the caller is still with the box');
      req.log.info({ callId: id }, 'call transferred by staff');
      return { ok: true };
    });
  };
}
