// One exchange of a conversation: what the caller gave (speech, keys, or silence), the latency
// marks of answering it, and the reply spoken for it, with how much of that reply the caller heard
// (the sentences fully played before an interruption) and the record the call log keeps of it.
import type { Clock } from '../../shared/clock.js';
import type { PlaybackResult } from '../../telephony/call-media.js';
import { speakSentences, splitSentences, type Tts } from '../tts/types.js';
import type { AgentReply, Heard, TurnInput, TurnMarks, TurnRecord } from './types.js';

export interface Exchange {
  /** What a failure of its work is called in the log and in the hang-up reason. */
  what: 'the greeting' | 'the caller turn' | 'the keypad turn' | 'the reprompt' | 'the goodbye';
  input: TurnInput;
  marks: TurnMarks;
}

export const noMarks = (replyChosen: number | null = null): TurnMarks => ({ endOfSpeech: null, endpoint: null, asrFinal: null, replyChosen, firstAudio: null });

/** A reply being spoken for an exchange. */
export class SpokenReply {
  /** Stops its synthesis (a newer reply replaces it, or the call ended). */
  readonly abort = new AbortController();
  /** Set once its playback has ended and what was heard of it is known. */
  ended = false;
  private readonly sentenceMs: number[] = [];
  /** Called once its playback has ended (a caller turn waiting to know what was heard). */
  private readonly waiting: (() => void)[] = [];

  constructor(
    readonly reply: AgentReply,
    readonly exchange: Exchange,
  ) {}

  /** Its audio, sentence by sentence as TTS makes it; marks the first audio and each sentence's length. */
  async *audio(tts: Tts, clock: Clock): AsyncGenerator<Int16Array> {
    for await (const chunk of speakSentences(tts, this.reply.text, this.abort.signal)) {
      this.exchange.marks.firstAudio ??= clock.now();
      this.sentenceMs.push((chunk.length / 16000) * 1000);
      yield chunk;
    }
  }

  /** The sentences fully played before an interruption are what the caller heard. */
  heard(result: PlaybackResult): Heard {
    const sentences = splitSentences(this.reply.text);
    let acc = 0;
    const heard: string[] = [];
    for (let i = 0; i < this.sentenceMs.length; i++) {
      acc += this.sentenceMs[i] as number;
      if (acc <= result.playedMs + 1) heard.push(sentences[i] as string);
    }
    return { interrupted: result.interrupted, heardText: heard.join(' ') };
  }

  record(result: PlaybackResult): TurnRecord {
    return { input: this.exchange.input, reply: this.reply.text, marks: this.exchange.marks, interrupted: result.interrupted };
  }

  /** Runs `then` once the playback has ended: at once if it has. */
  afterEnd(then: () => void): void {
    if (this.ended) then();
    else this.waiting.push(then);
  }

  /** The playback ended: runs what was waiting for it. */
  end(): void {
    this.ended = true;
    for (const then of this.waiting.splice(0)) then();
  }
}
