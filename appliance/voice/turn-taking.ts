// Turn-taking over one call: the VAD finds where the caller's turn ends, the ASR reads it, the
// agent answers, TTS speaks the answer sentence by sentence, and caller speech while the box talks
// stops the box at once (barge-in) - with the agent told how much of its reply was heard.
// Engines sit behind interfaces; nothing here knows which one it is talking to.
// This file is the CallHandler: it turns the call's media (audio through the VAD, keys), the
// clock's no-input check and the call's end into events for the session's state machine
// (turns/session.ts; states and events in turns/states.ts; endpointing, the over-the-box judge
// and the exchange records beside them).
import type { ActiveCall, CallHandler } from '../telephony/call-manager.js';
import { asrForCall } from './asr/call-band.js';
import { TurnSession } from './turns/session.js';
import { DEFAULT_TURN_SETTINGS, type TurnTakingDeps } from './turns/types.js';

export { hangoverFor } from './turns/endpointing.js';
export type { Phase, TurnEvent } from './turns/states.js';
export {
  DEFAULT_TURN_SETTINGS,
  type AgentReply,
  type ConversationAgent,
  type Expectation,
  type FrameVad,
  type Heard,
  type TurnInput,
  type TurnMarks,
  type TurnRecord,
  type TurnTakingDeps,
  type TurnTakingSettings,
} from './turns/types.js';

/** How often the box checks whether the caller has said nothing for too long. */
const NO_INPUT_CHECK_MS = 250;

/** The CallHandler that runs a spoken conversation on an answered call. */
export class TurnTaking implements CallHandler {
  constructor(private readonly deps: TurnTakingDeps) {}

  async handle(call: ActiveCall): Promise<void> {
    const { clock, tts } = this.deps;
    // A narrowband (G.711) call's recognitions say so: the engine adapts its front end.
    const asr = asrForCall(this.deps.asr, call.media.codec);
    const settings = { ...DEFAULT_TURN_SETTINGS, ...this.deps.settings };
    const log = this.deps.log.child({ callId: call.id });
    const vad = this.deps.vad();
    const agent = this.deps.agent();
    const session = new TurnSession({ log, clock, asr, tts, agent, settings, call, ...(this.deps.onTurn ? { onTurn: this.deps.onTurn } : {}) });
    let vadReady = false;
    const onAudio = (frame: Int16Array): void =>
      session.guard('listening', () => {
        if (session.ended || !vadReady) return;
        session.dispatch({ type: 'frame', frame, speech: vad.process(frame).speech });
      });
    const onDtmf = (digit: string): void => session.guard('reading a key', () => session.dispatch({ type: 'dtmf', digit }));
    call.media.on('audio', onAudio);
    call.media.on('dtmf', onDtmf);
    const ticker = clock.setInterval(() => session.guard('the no-input check', () => session.dispatch({ type: 'no-input-check' })), NO_INPUT_CHECK_MS);
    // The greeting starts at once; the VAD loads meanwhile (frames before it is ready are ignored).
    void (vad.start?.() ?? Promise.resolve()).then(
      () => (vadReady = true),
      (err: unknown) => log.error({ err }, 'VAD failed to start: the caller cannot be heard'),
    );
    try {
      session.greet();
      await call.ended;
    } finally {
      session.dispatch({ type: 'call-ended' });
      try {
        agent.end?.();
      } catch (err) {
        log.error({ err }, 'could not end the conversation');
      }
      clock.clearInterval(ticker);
      call.media.off('audio', onAudio);
      call.media.off('dtmf', onDtmf);
      await vad.stop?.();
    }
  }
}
