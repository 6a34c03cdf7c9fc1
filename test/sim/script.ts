// The caller script format of `npm run call` (CONTRACT.md) and its result.
import { z } from 'zod';

export const turnSchema = z.union([
  z.strictObject({
    say: z.string().min(1).max(1000),
    /** Barge in: speak this long after the box starts its next reply instead of waiting for it to finish. */
    barge_in_after_ms: z.number().int().min(0).max(60_000).optional(),
  }),
  z.strictObject({
    /** A sound the caller makes instead of a flite line (a cough, a hum): a 16 kHz mono 16-bit WAV file. */
    play: z.string().min(1).max(4096),
    barge_in_after_ms: z.number().int().min(0).max(60_000).optional(),
  }),
  z.strictObject({ dtmf: z.string().regex(/^[0-9*#A-D]{1,32}$/, 'digits 0-9, *, #, A-D') }),
  z.strictObject({ wait_ms: z.number().int().min(0).max(600_000) }),
  z.strictObject({ hangup: z.literal(true) }),
]);

export const scriptSchema = z.strictObject({
  from: z.string().min(1).max(64).default('+15551234567'),
  /** flite voice for the caller's lines. */
  voice: z.string().regex(/^[a-z0-9_]+$/).default('kal16'),
  turns: z.array(turnSchema).max(200),
});

export type CallerScript = z.infer<typeof scriptSchema>;
export type ScriptTurn = z.infer<typeof turnSchema>;

export interface TurnResult {
  /** The line said, or for a `play` turn the file played. */
  say: string;
  /** End of the caller's speech to the first audible packet of the reply; null when no reply came. */
  latency_ms: number | null;
  /** When the caller's speech ended (ms since the epoch, this machine's clock): pairs the turn with the box's. */
  end_of_speech_at?: number;
  /** For a barge-in: from the start of the caller's speech to the box's last audible packet. */
  box_stopped_after_ms?: number | null;
  /** This line said again because the box asked for it (1: the first repeat). */
  repeat?: number;
}

export interface CallResult {
  connected: boolean;
  /** INVITE sent to 200 OK received. */
  answered_after_ms: number | null;
  call_id: string;
  turns: TurnResult[];
  dtmf_sent: string;
  hangup_by: 'caller' | 'box' | 'none';
  duration_ms: number;
  /** ACK sent to the first audible packet from the box (its greeting), at packet arrival. */
  first_audio_ms: number | null;
  /** Status code when the call was refused. */
  final_status: number | null;
  /** When each stretch of the box's speech began and ended (ms since answer). */
  box_speech: { start_ms: number; end_ms: number }[];
  recording?: string;
}
