// A conversation driven by the phone's keypad, for calls the speech recogniser cannot hear (8 kHz
// audio without a Whisper model). Prompts are spoken sentence by sentence; a key press stops the
// prompt at once (callers who know the menu need not wait), and no key for a while is reported
// to the dialog, which repeats itself or says goodbye.
import type { Logger } from '../log.js';
import type { Clock, TimerHandle } from '../shared/clock.js';
import type { ActiveCall, CallHandler } from '../telephony/call-manager.js';
import type { CallTurn } from '../telephony/call-log.js';
import { speakSentences, type Tts } from './tts/types.js';

export interface KeypadReply {
  text: string;
  hangup?: boolean;
  transfer?: boolean;
}

export interface KeypadDialog {
  greeting(call: { id: number; callerPhone: string | null }): KeypadReply;
  /** A key, or null when none came within the wait. */
  press(key: string | null): KeypadReply;
  /** The call is over (hung up, transferred, failed): called exactly once, when it ends. */
  end?(): void;
}

export interface KeypadConversationDeps {
  log: Logger;
  /** Runs the wait for a key. */
  clock: Clock;
  tts: Tts;
  dialog: () => KeypadDialog;
  /** Wait for a key after a prompt ends (default 10 s). */
  noInputMs?: number;
  /** Each turn (the greeting, a key and the answer, no key and the answer) as the call log keeps it, when the answer is chosen. */
  onTurn?: (callId: number, turn: CallTurn) => void;
}

/** What started a turn: the call's start, a key, or none within the wait. */
type KeypadInput = { kind: 'greeting' } | { kind: 'dtmf'; key: string } | { kind: 'silence' };

export class KeypadConversation implements CallHandler {
  constructor(private readonly deps: KeypadConversationDeps) {}

  async handle(call: ActiveCall): Promise<void> {
    const dialog = this.deps.dialog();
    const log = this.deps.log.child({ callId: call.id });
    let over = false;
    const { clock } = this.deps;
    let timer: TimerHandle | null = null;
    let speaking: AbortController | null = null;
    let chain: Promise<void> = Promise.resolve();
    void call.ended.then(() => {
      over = true;
      clock.clearTimeout(timer);
      speaking?.abort();
    });

    const waitForKey = (): void => {
      clock.clearTimeout(timer);
      timer = clock.setTimeout(() => enqueue({ kind: 'silence' }, () => dialog.press(null)), this.deps.noInputMs ?? 10_000);
    };
    const say = async (reply: KeypadReply): Promise<void> => {
      if (over) return;
      const abort = new AbortController();
      speaking = abort;
      try {
        for await (const audio of speakSentences(this.deps.tts, reply.text, abort.signal)) {
          if (abort.signal.aborted || over) return;
          const r = await call.media.play(audio);
          if (r.interrupted || abort.signal.aborted) return;
        }
      } finally {
        if (speaking === abort) speaking = null;
      }
      if (over) return;
      if (reply.transfer) {
        if (await call.transfer()) return;
        await say({ text: dialog.press('3').text });
        return;
      }
      if (reply.hangup) {
        call.hangup('goodbye');
        return;
      }
      waitForKey();
    };
    const turn = (input: KeypadInput, at: number, reply: KeypadReply): void => {
      try {
        this.deps.onTurn?.(call.id, {
          inputKind: input.kind,
          callerText: input.kind === 'dtmf' ? input.key : '',
          replyText: reply.text,
          interrupted: false,
          endOfSpeech: null,
          endpoint: input.kind === 'greeting' ? null : at,
          asrFinal: null,
          replyChosen: clock.now(),
          firstAudio: null,
        });
      } catch (err) {
        // The call log is for staff; a failed write must not end the caller's call.
        log.warn({ err }, 'could not log a keypad turn');
      }
    };
    const enqueue = (input: KeypadInput, next: () => KeypadReply): void => {
      const at = clock.now();
      chain = chain
        .then(() => {
          if (over) return undefined;
          const reply = next();
          turn(input, at, reply);
          return say(reply);
        })
        .catch((err: unknown) => {
          // The dialog cannot go on (its store failed, say): end this call, not the daemon.
          log.error({ err }, 'keypad turn failed: ending the call');
          over = true;
          call.hangup('internal error (keypad turn)');
        });
    };

    call.media.on('dtmf', (digit) => {
      if (over) return;
      clock.clearTimeout(timer);
      // The caller knows what they want: stop the prompt now.
      speaking?.abort();
      call.media.clear();
      enqueue({ kind: 'dtmf', key: digit }, () => dialog.press(digit));
    });
    enqueue({ kind: 'greeting' }, () => dialog.greeting({ id: call.id, callerPhone: call.caller.phone }));
    await call.ended;
    try {
      dialog.end?.();
    } catch (err) {
      log.error({ err }, 'could not end the conversation');
    }
    await chain;
  }
}
