// Which conversation a call gets: speech when an ASR can understand the call's audio (the
// fallback pocketsphinx needs wideband L16/16000; Whisper handles 8 kHz too), otherwise the
// keypad-driven stand-in.
import type { ActiveCall, CallHandler } from '../telephony/call-manager.js';

export class CallRouter implements CallHandler {
  constructor(
    private readonly deps: {
      speech: CallHandler | null;
      /** Whether the speech path can hear calls in this codec ("PCMU/8000", "L16/16000"). */
      understands: (codec: string) => boolean;
      keypad: CallHandler;
    },
  ) {}

  handle(call: ActiveCall): void | Promise<void> {
    if (this.deps.speech && this.deps.understands(call.media.codec)) return this.deps.speech.handle(call);
    return this.deps.keypad.handle(call);
  }
}
