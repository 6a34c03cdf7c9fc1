// The call log for staff: newest first and filterable, one call with its turns and the
// appointments it led to, and its recording (streamed with Range requests, so the player can seek).
import type { FastifyPluginAsync } from 'fastify';
import { DateTime } from 'luxon';
import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import { z } from 'zod';
import { InvalidInputError, NotFoundError } from '../../errors.js';
import { CALL_OUTCOMES, type CallRecord } from '../../telephony/call-log.js';
import type { WebDeps } from '../app.js';
import { isoDate, localDayStart, parseInput, toIso } from '../validation.js';

const listQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** Calls invited before this instant (epoch ms): the next page starts at the last call's invitedAtMs. */
  before: z.coerce.number().int().positive().optional(),
  outcome: z.enum(CALL_OUTCOMES).optional(),
  /** Local dates in the spa's zone, inclusive. */
  from: isoDate.optional(),
  to: isoDate.optional(),
  /** Part of the caller's number (digits) or of the name shown. */
  caller: z.string().trim().min(1).max(40).optional(),
});

/** A booking made by the box during a call may land a little after the call's last packet. */
const BOOKED_AFTER_CALL_MS = 60_000;
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
      invitedAtMs: c.invitedAt,
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
      const zone = deps.catalogue.profile().timeZone;
      const from = q.from === undefined ? undefined : localDayStart(q.from, zone);
      const to = q.to === undefined ? undefined : DateTime.fromMillis(localDayStart(q.to, zone), { zone }).plus({ days: 1 }).toMillis();
      if (from !== undefined && to !== undefined && to <= from) throw new InvalidInputError('to is before from', { to: 'must not be before from' });
      return { timeZone: zone, calls: deps.calls.list({ ...q, from, to }).map(view) };
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
        endOfSpeechAt: t.endOfSpeech,
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
      // What the call led to: appointments the box booked on this call (source 'call', made while
      // it was up, for the caller's number when the number was shown).
      const zone = deps.catalogue.profile().timeZone;
      const led =
        call.answeredAt === null
          ? []
          : deps.bookings.bookedBetween(call.answeredAt, (call.endedAt ?? deps.clock.now()) + BOOKED_AFTER_CALL_MS, {
              sources: ['call'],
              ...(call.caller.phone ? { phone: call.caller.phone } : {}),
            });
      const appointments = led.map((a) => ({
        id: a.id,
        status: a.status,
        start: toIso(a.start, zone),
        service: { id: a.serviceId, name: deps.catalogue.service(a.serviceId)?.name ?? a.serviceId },
        provider: { id: a.providerId, name: deps.catalogue.providers().find((p) => p.id === a.providerId)?.name ?? a.providerId },
        client: deps.bookings.client(a.clientId)?.name ?? null,
      }));
      return { call: { ...view(call), sourceAddress: call.sourceAddress, turns, appointments } };
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
      // send answers Range (206 with Content-Range, 416 past the end) and HEAD; an audio element
      // asks for ranges to seek. Inline, so the page's player can use it; "Download" names a file.
      return reply
        .type('audio/wav')
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="call-${id}.wav"`)
        .sendFile(inside, resolve(deps.recordingsDir), { cacheControl: false, etag: false, lastModified: false, contentType: false, dotfiles: 'allow' });
    });
  };
}
