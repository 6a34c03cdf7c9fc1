// The call log for staff: newest first, one call with its outcome.
import type { FastifyPluginAsync } from 'fastify';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { NotFoundError } from '../../errors.js';
import type { CallRecord } from '../../telephony/call-log.js';
import type { WebDeps } from '../app.js';
import { parseInput, toIso } from '../validation.js';

const listQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.coerce.number().int().positive().optional(),
});
const idParam = z.object({ id: z.coerce.number().int().positive('a call id') });

export function callRoutes(deps: WebDeps): FastifyPluginAsync {
  const view = (c: CallRecord): Record<string, unknown> => {
    const zone = deps.catalogue.profile().timeZone;
    const iso = (t: number | null): string | null => (t === null ? null : toIso(t, zone));
    return {
      id: c.id,
      sipCallId: c.sipCallId,
      direction: c.direction,
      caller: c.caller,
      called: c.called,
      state: c.state,
      outcome: c.outcome,
      endReason: c.endReason,
      codec: c.codec,
      invitedAt: iso(c.invitedAt),
      answeredAt: iso(c.answeredAt),
      endedAt: iso(c.endedAt),
      ringMs: c.answeredAt === null ? null : c.answeredAt - c.invitedAt,
      durationMs: c.endedAt === null ? null : c.endedAt - (c.answeredAt ?? c.invitedAt),
      recording: c.recordingPath !== null,
      // Why the call was not recorded, or not to its end (disk full, read-only), else null.
      recordingError: c.recordingError,
      summary: c.summary,
    };
  };
  return async (app) => {
    app.get('/api/calls', { config: { access: 'frontdesk', audit: { action: 'call.list' } } }, (req) => {
      const q = parseInput(listQuery, req.query, 'query');
      return { calls: deps.calls.list(q).map(view) };
    });
    app.get('/api/calls/:id', { config: { access: 'frontdesk', audit: { action: 'call.view', subject: 'call' } } }, (req) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const call = deps.calls.get(id);
      if (!call) throw new NotFoundError('call', id);
      const turns = deps.calls.turns(id).map((t) => ({
        input: t.inputKind,
        caller: t.callerText,
        reply: t.replyText,
        interrupted: t.interrupted,
        // The split of each turn's latency: end of speech -> end of turn decided (the silence
        // wait) -> ASR final -> reply chosen -> first audio.
        latencyMs: {
          endpoint: t.endOfSpeech !== null && t.endpoint !== null ? t.endpoint - t.endOfSpeech : null,
          asr: t.endpoint !== null && t.asrFinal !== null ? t.asrFinal - t.endpoint : null,
          agent: t.asrFinal !== null && t.replyChosen !== null ? t.replyChosen - t.asrFinal : null,
          tts: t.replyChosen !== null && t.firstAudio !== null ? t.firstAudio - t.replyChosen : null,
          total: t.endOfSpeech !== null && t.firstAudio !== null ? t.firstAudio - t.endOfSpeech : null,
        },
      }));
      return { call: { ...view(call), sourceAddress: call.sourceAddress, turns } };
    });

    // The call's recording (stereo WAV: caller left, box right). Served only from the
    // recordings folder, whatever path the call log holds.
    app.get('/api/calls/:id/recording', { config: { access: 'frontdesk', audit: { action: 'recording.play', subject: 'call' } } }, async (req, reply) => {
      const { id } = parseInput(idParam, req.params, 'params');
      const path = deps.calls.get(id)?.recordingPath;
      if (!path) throw new NotFoundError('recording of call', id);
      const full = resolve(deps.recordingsDir, path);
      const inside = relative(resolve(deps.recordingsDir), full);
      if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) throw new NotFoundError('recording of call', id);
      const info = await stat(full).catch(() => null);
      if (!info?.isFile()) throw new NotFoundError('recording of call', id);
      return reply
        .type('audio/wav')
        .header('content-length', info.size)
        .header('cache-control', 'no-store')
        .header('content-disposition', `attachment; filename="call-${id}.wav"`)
        .send(createReadStream(full));
    });
  };
}
