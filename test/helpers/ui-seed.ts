// A morning's worth of activity for the web UI's tests: calls answered by the box (one with a
// transcript, per-turn latency, a recording and the booking it made), by staff, and missed;
// alerts (an urgent one older than a plain message, so "urgent first" is visible); bookings by
// the box and by staff. All relative to the clock's now, which must be in the spa's morning.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DateTime } from 'luxon';
import type { Bookings } from '../../appliance/booking/bookings.js';
import type { Catalogue } from '../../appliance/booking/catalogue.js';
import { Conversations } from '../../appliance/agent/conversations.js';
import type { Clock } from '../../appliance/shared/clock.js';
import { wavFile } from '../../appliance/shared/wav.js';
import type { Db } from '../../appliance/store/db.js';
import { CallLog } from '../../appliance/telephony/call-log.js';

export interface SeededDay {
  /** Answered by the box: 3 turns, a recording, a booking. */
  bookedCall: number;
  missedCall: number;
  staffCall: number;
  transferredCall: number;
  urgentAlert: number;
  messageAlert: number;
  /** Made by the box on bookedCall (hydrafacial-signature, $199). */
  boxBooking: number;
  /** Made by the box over web chat, then cancelled (not counted). */
  cancelledBoxBooking: number;
  /** Made by staff (not the box's). */
  staffBooking: number;
  /** Seconds of audio in the recording. */
  recordingSeconds: number;
}

export const ADA = { phone: '+12035550188', name: 'Ada Lovelace' };
export const BEN = { phone: '+12035550199', name: 'Ben Okafor' };

const MIN = 60_000;

/** A stereo 8 kHz WAV: a tone on the left (caller), another on the right (box). */
export function toneWav(seconds: number): Buffer {
  const rate = 8000;
  const samples = new Int16Array(seconds * rate * 2);
  for (let i = 0; i < seconds * rate; i++) {
    samples[2 * i] = Math.round(6000 * Math.sin((2 * Math.PI * 440 * i) / rate));
    samples[2 * i + 1] = Math.round(6000 * Math.sin((2 * Math.PI * 660 * i) / rate));
  }
  return wavFile(samples, { sampleRate: rate, channels: 2 });
}

export function seedDay(x: { db: Db; clock: Clock; catalogue: Catalogue; bookings: Bookings; recordingsDir: string }): SeededDay {
  const calls = new CallLog({ db: x.db });
  const now = x.clock.now();
  const zone = x.catalogue.profile().timeZone;
  const identity = (who: { phone: string; name: string }) => ({ phone: who.phone, raw: `sip:${who.phone}@pbx`, displayName: who.name, source: 'From' as const, withheld: false });
  const call = (who: { phone: string; name: string }, at: number) =>
    calls.invited({ sipCallId: `${at}-${who.phone}@pbx`, caller: identity(who), called: 'spa', sourceAddress: '127.0.0.1', at });

  const missedCall = call(BEN, now - 90 * MIN);
  calls.ended(missedCall, now - 90 * MIN + 20_000, 'missed', 'caller hung up while ringing');
  const staffCall = call({ phone: '+12035550111', name: 'Cleo Park' }, now - 75 * MIN);
  calls.ended(staffCall, now - 75 * MIN + 9_000, 'answered-elsewhere', 'answered by staff');
  const transferredCall = call({ phone: '+12035550122', name: 'Dev Rao' }, now - 60 * MIN);
  calls.answered(transferredCall, now - 60 * MIN + 20_000, 'PCMU');
  calls.ended(transferredCall, now - 58 * MIN, 'transferred', 'transferred to the front desk');

  // The call that booked: up until 30 s ago; the booking lands now.
  const start = now - 4 * MIN;
  const bookedCall = call(ADA, start);
  calls.answered(bookedCall, start + 20_000, 'PCMU');
  const turn = (t0: number, input: 'greeting' | 'speech', caller: string, reply: string) =>
    calls.addTurn(bookedCall, {
      inputKind: input,
      callerText: caller,
      replyText: reply,
      interrupted: false,
      endOfSpeech: input === 'greeting' ? null : t0,
      endpoint: input === 'greeting' ? null : t0 + 600,
      asrFinal: input === 'greeting' ? null : t0 + 780,
      replyChosen: input === 'greeting' ? null : t0 + 810,
      firstAudio: input === 'greeting' ? null : t0 + 1040,
    });
  turn(start + 20_000, 'greeting', '', 'Thank you for calling Lumière Med Spa. This call may be recorded. How can I help?');
  turn(start + 40_000, 'speech', "I'd like a HydraFacial tomorrow at eleven", 'I can book a Signature HydraFacial tomorrow at 11 AM with Maya. Shall I book it?');
  turn(start + 70_000, 'speech', 'yes please', "You're booked. We'll text you a confirmation. Anything else?");
  calls.ended(bookedCall, now - 30_000, 'ai-handled', 'caller hung up');
  new Conversations({ db: x.db }).setCallSummary(bookedCall, 'Ada Lovelace booked a Signature HydraFacial for tomorrow at 11 AM.');
  const recordingSeconds = 3;
  mkdirSync(x.recordingsDir, { recursive: true });
  writeFileSync(join(x.recordingsDir, `call-${bookedCall}.wav`), toneWav(recordingSeconds));
  calls.setRecording(bookedCall, `call-${bookedCall}.wav`);

  const tomorrow = (hhmm: string): number => DateTime.fromMillis(now, { zone }).plus({ days: 1 }).set({ hour: Number(hhmm.slice(0, 2)), minute: Number(hhmm.slice(3)), second: 0, millisecond: 0 }).toMillis();
  const book = (service: string, at: string, who: { phone: string; name: string }, source: 'call' | 'web' | 'staff') =>
    x.bookings.book({ serviceId: service, providerId: null, start: tomorrow(at), client: { ...who, email: null }, source, notes: '' }).id;
  const boxBooking = book('hydrafacial-signature', '11:00', ADA, 'call');
  const cancelledBoxBooking = book('chemical-peel', '14:00', BEN, 'web');
  x.bookings.cancel(cancelledBoxBooking, { source: 'web', note: 'changed their mind' });
  const staffBooking = book('hydrafacial-deluxe', '15:00', { phone: '+12035550111', name: 'Cleo Park' }, 'staff');

  const conversations = new Conversations({ db: x.db });
  const urgentAlert = conversations.alert({ kind: 'urgent', conversationId: null, phone: BEN.phone, name: BEN.name, text: 'Swelling and pain since yesterday’s filler', at: now - 80 * MIN });
  const messageAlert = conversations.alert({ kind: 'message', conversationId: null, phone: '+12035550144', name: 'Eve Moss', text: 'Please call back about a gift card', at: now - 20 * MIN });

  return { bookedCall, missedCall, staffCall, transferredCall, urgentAlert, messageAlert, boxBooking, cancelledBoxBooking, staffBooking, recordingSeconds };
}
