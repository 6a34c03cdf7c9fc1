// The stand-in conversation until the receptionist exists: greets the caller by voice and reads
// back each key pressed, so a person calling the box hears it work. The greeting is rendered once
// at start, so answering never waits for synthesis.
import type { Logger } from '../log.js';
import type { ActiveCall, CallHandler } from '../telephony/call-manager.js';
import { trimLeadingSilence } from './trim.js';
import type { PcmAudio } from '../shared/wav.js';

export type Synthesize = (text: string) => Promise<PcmAudio>;

const DIGIT_WORDS: Record<string, string> = { '*': 'star', '#': 'pound' };

export class StandInConversation implements CallHandler {
  private greeting: Int16Array | null = null;
  private readonly digitCache = new Map<string, Int16Array>();

  constructor(private readonly deps: { log: Logger; synthesize: Synthesize; spaName: () => string }) {}

  private async render(text: string): Promise<Int16Array> {
    const audio = await this.deps.synthesize(text);
    if (audio.sampleRate !== 16000 || audio.channels !== 1) throw new Error(`stand-in voice must be 16 kHz mono, got ${audio.sampleRate} Hz x${audio.channels}`);
    return trimLeadingSilence(audio.samples);
  }

  async start(): Promise<void> {
    this.greeting = await this.render(
      `Thank you for calling ${this.deps.spaName()}. This is the virtual receptionist. Press any key on your phone and I will tell you which one. Press zero for the front desk.`,
    );
  }

  async handle(call: ActiveCall): Promise<void> {
    const greeting = this.greeting ?? (await this.render(`Thank you for calling ${this.deps.spaName()}.`));
    call.media.play(greeting).catch((err: unknown) => this.deps.log.warn({ err, callId: call.id }, 'could not play the greeting'));
    call.media.on('dtmf', (digit) => {
      if (digit === '0') this.toFrontDesk(call).catch((err: unknown) => this.deps.log.warn({ err, callId: call.id }, 'could not transfer to the front desk'));
      else void this.sayDigit(call, digit);
    });
    await call.ended;
  }

  private async toFrontDesk(call: ActiveCall): Promise<void> {
    call.media.clear();
    const connecting = await this.render('Connecting you to the front desk.');
    await call.media.play(connecting);
    if (await call.transfer()) return;
    await call.media.play(await this.render('Sorry, no one at the front desk can take your call right now. Please try again later.'));
  }

  private async sayDigit(call: ActiveCall, digit: string): Promise<void> {
    try {
      let audio = this.digitCache.get(digit);
      if (!audio) {
        audio = await this.render(`You pressed ${DIGIT_WORDS[digit] ?? digit}.`);
        this.digitCache.set(digit, audio);
      }
      call.media.clear();
      await call.media.play(audio);
    } catch (err) {
      this.deps.log.warn({ err, callId: call.id }, 'could not read back a digit');
    }
  }
}
