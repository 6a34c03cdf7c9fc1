// The voice module: the speech engines (chosen from what is installed), the agent's fixed prompts
// rendered ahead of the first call, and the conversation each answered call gets: spoken
// turn-taking when the recogniser can hear the call's codec, keypad menus when it cannot. Its
// stop() stops the engines: the ASR (pocketsphinx's warm decoder processes included, and its caller
// language model), the TTS and the VADs of calls still open.
import { join } from 'node:path';
import type { ApplianceDeps } from '../appliance.js';
import type { AgentModule } from '../agent/agent-module.js';
import { KeypadAgent, VoiceAgent } from '../agent/voice-agent.js';
import type { BookingModule } from '../booking/booking-module.js';
import type { ApplianceModule } from '../shared/modules.js';
import type { StoreModule } from '../store/store-module.js';
import { CallLog, type CallTurn } from '../telephony/call-log.js';
import type { CallHandler } from '../telephony/call-manager.js';
import { CallRouter } from './call-router.js';
import { EchoAgent } from './echo-agent.js';
import { callerExpectations } from './asr/caller-grammars.js';
import { callerDomainOf } from './asr/lm/caller-lm.js';
import { selectEngines, type CallerLmWiring, type VoiceEngines } from './engines.js';
import { synthesizeFlite } from './flite.js';
import { KeypadConversation } from './keypad-conversation.js';
import { StandInConversation, type Synthesize } from './stand-in.js';
import { CachingTts } from './tts/cache.js';
import { splitSentences } from './tts/types.js';
import { TurnTaking, type ConversationAgent, type TurnRecord } from './turn-taking.js';
import type { Vad } from './vad/types.js';

export interface VoiceModuleDeps extends Pick<ApplianceDeps, 'settings' | 'log' | 'clock'> {
  store: StoreModule;
  booking: BookingModule;
  agent: AgentModule;
  modelsDir: string;
  /** Where derived speech models are kept (the caller language model); default <data dir>/speech. */
  speechCacheDir?: string;
  /** How the engines are chosen and started (default: voice/engines.ts); tests inject fakes. */
  selectEngines?: (deps: { log: ApplianceDeps['log']; modelsDir: string; callers?: CallerLmWiring }) => Promise<VoiceEngines>;
  /** The stand-in greeter's voice (default: flite kal16). */
  standInVoice?: Synthesize;
}

/** A finished voice turn as the call log stores it (the greeting is the turn with no input before it). Pure. */
export function callLogTurn(turn: TurnRecord): CallTurn {
  const { input } = turn;
  return {
    inputKind: input.kind === 'silence' && input.count === 0 ? 'greeting' : input.kind,
    callerText: input.kind === 'speech' ? (input.rejected ? `(not understood) ${input.text}` : input.text) : input.kind === 'dtmf' ? input.digits : '',
    replyText: turn.reply,
    interrupted: turn.interrupted,
    ...turn.marks,
  };
}

/** Hands out each call's VAD and keeps the ones not yet stopped, so stop() can stop them. */
export class CallVads {
  private readonly open = new Set<Vad>();

  constructor(private readonly make: () => Vad) {}

  create(): Vad {
    const vad = this.make();
    const open = this.open;
    open.add(vad);
    return {
      name: vad.name,
      capabilities: vad.capabilities,
      start: () => vad.start(),
      stop: () => {
        open.delete(vad);
        return vad.stop();
      },
      process: (frame) => vad.process(frame),
      reset: () => vad.reset(),
    };
  }

  async stopAll(): Promise<void> {
    const vads = [...this.open];
    this.open.clear();
    await Promise.all(vads.map((v) => v.stop()));
  }
}

export class VoiceModule implements ApplianceModule {
  readonly name = 'voice';
  readonly dependsOn: readonly ApplianceModule[];
  private engines: VoiceEngines | null = null;
  private notes: VoiceEngines['notes'] = { vad: 'none', asr: 'none', tts: 'none', llm: 'none' };
  private vads: CallVads | null = null;
  private handler: CallRouter | null = null;

  constructor(private readonly deps: VoiceModuleDeps) {
    this.dependsOn = [deps.store, deps.booking, deps.agent];
  }

  /** The conversation an answered call gets. */
  get router(): CallHandler {
    if (!this.handler) throw new Error('the voice module has not started');
    return this.handler;
  }

  async start(): Promise<void> {
    const { settings, log, clock, booking, agent, modelsDir } = this.deps;
    const live = booking.catalogue;
    // What callers talk about, for a recogniser that decodes open turns with a language model.
    const callers: CallerLmWiring = {
      source: {
        domain: () => callerDomainOf({ profile: live.profile(), services: live.services(), providers: live.providers(), knowledge: live.knowledge() }),
        revision: () => live.revision(),
      },
      cacheDir: this.deps.speechCacheDir ?? join(this.deps.store.dataDir, 'speech'),
      clock,
    };
    const engines = await (this.deps.selectEngines ?? selectEngines)({ log: log.child({ mod: 'engines' }), modelsDir, callers });
    this.engines = engines;
    this.notes = engines.notes;
    const vads = new CallVads(engines.vad);
    this.vads = vads;
    const catalogue = booking.catalogue;
    const receptionist = agent.receptionist;
    const spaName = (): string => catalogue.profile().name;
    const greeter = new StandInConversation({
      log: log.child({ mod: 'stand-in' }),
      synthesize: this.deps.standInVoice ?? ((text) => synthesizeFlite(text, { voice: 'kal16' })),
      spaName,
    });
    try {
      await greeter.start();
    } catch (err) {
      log.warn({ err }, 'greeting could not be rendered; keypad calls will be silent');
    }
    const voiceTts = engines.tts ? new CachingTts(engines.tts) : null;
    const echo = settings.agent.mode === 'echo';
    const conversationAgent = (): ConversationAgent =>
      echo
        ? new EchoAgent({ spaName, catalogue: () => catalogue.services().flatMap((x) => [x.name, ...x.aliases]) })
        : new VoiceAgent({ receptionist, expectation: callerExpectations(() => catalogue.services().flatMap((x) => [x.name, ...x.aliases])), log: log.child({ mod: 'agent' }) });
    if (voiceTts) {
      // The greeting and the common prompts are rendered now, once, so no call waits for them.
      const prompts = echo ? new EchoAgent({ spaName }).prompts() : receptionist.prompts();
      await voiceTts.prerender(prompts.flatMap(splitSentences)).catch((err: unknown) => log.warn({ err }, 'could not pre-render prompts'));
    }
    const turns = new CallLog({ db: this.deps.store.db });
    const speech =
      engines.asr && voiceTts
        ? new TurnTaking({
            log: log.child({ mod: 'voice' }),
            clock,
            vad: () => vads.create(),
            asr: engines.asr,
            tts: voiceTts,
            agent: conversationAgent,
            onTurn: (callId, turn) => turns.addTurn(callId, callLogTurn(turn)),
          })
        : null;
    // Calls the recogniser cannot hear get the receptionist's keypad menus (the stand-in greeter
    // only in the installer's echo mode, or when no voice can speak the menus).
    const keypad =
      settings.agent.mode === 'receptionist' && voiceTts
        ? new KeypadConversation({
            log: log.child({ mod: 'keypad' }),
            clock,
            tts: voiceTts,
            dialog: () => new KeypadAgent({ receptionist, log: log.child({ mod: 'agent' }) }),
            // 8 kHz keypad calls show their turns on the Live and Calls pages like spoken ones.
            onTurn: (callId, turn) => turns.addTurn(callId, turn),
          })
        : greeter;
    this.handler = new CallRouter({ speech, understands: engines.asrHears, keypad });
  }

  /** Stops the engines (the calls using them were ended by telephony's stop before this); each failure is logged, the rest still stop. */
  async stop(): Promise<void> {
    const asr = this.engines?.asr;
    const tts = this.engines?.tts;
    const languageModel = this.engines?.languageModel;
    const vads = this.vads;
    this.engines = null;
    this.vads = null;
    this.handler = null;
    const step = async (what: string, run: () => Promise<void>): Promise<void> => {
      try {
        await run();
      } catch (err) {
        this.deps.log.error({ err }, `stopping: ${what} failed`);
      }
    };
    await Promise.all([
      asr ? step('the ASR engine', () => asr.stop()) : undefined,
      languageModel ? step('the caller language model', () => languageModel.stop()) : undefined,
      tts ? step('the TTS engine', () => tts.stop()) : undefined,
      vads ? step('the VADs of calls still open', () => vads.stopAll()) : undefined,
    ]);
  }

  /** /api/health engines: which engine serves each voice role, and why ('none' until chosen; kept after stop). */
  health(): { vad: string; asr: string; tts: string } {
    const { vad, asr, tts } = this.notes;
    return { vad, asr, tts };
  }
}
