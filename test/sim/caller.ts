// The caller simulator: a real SIP UA (SIP.js core on the appliance's own transport) with real
// RTP that dials the box and plays a scripted caller: speaks each line with flite, waits for the box
// to finish speaking before the next line, sends RFC 4733 DTMF, records both sides, and measures
// per-turn latency (end of the caller's speech -> first audible audio of the reply).
import { randomInt } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { Grammar, UserAgentCore, type Session } from 'sip.js/lib/core/index.js';
import type { Logger } from '../../appliance/log.js';
import { readWav } from '../../appliance/shared/wav.js';
import {
  CallRecorder,
  createCodec,
  createOffer,
  PortAllocator,
  readAnswer,
  RtpSession,
  type Codec,
  type CodecName,
  type MediaCapabilities,
} from '../../appliance/media/index.js';
import { deliverToCore, SipTransport, sipjsContact, sipjsLoggerFactory } from '../../appliance/telephony/transport/index.js';
import { EnergyVad, frameDbfs } from '../../appliance/voice/energy-vad.js';
import { synthesizeFlite } from '../../appliance/voice/flite.js';
import type { CallerScript, CallResult, TurnResult } from './script.js';

export type { CallResult, TurnResult };

export type SimCodec = 'PCMU' | 'PCMA' | 'L16';

export interface PlaceCallOptions {
  /** host:port of the appliance. */
  target: string;
  script: CallerScript;
  codec?: SimCodec;
  bind?: string;
  /** Stereo WAV of the call (left: caller, right: box). */
  recordPath?: string;
  log: Logger;
  /** Give up waiting for an answer after this long. */
  answerTimeoutMs?: number;
  /** A reply that has not started this long after the caller stopped speaking counts as none. */
  replyTimeoutMs?: number;
  /** Box audio louder than this (dBFS) is speech. */
  speechThresholdDb?: number;
  /**
   * Asked after the box has answered a spoken line: whether it asked the caller to say it again
   * ("Sorry, I didn't catch that"). Then the caller says the line again, as a person would, at
   * most twice; the repeats are counted in the turn's result. Absent: every line is said once.
   */
  askedAgain?: () => boolean | Promise<boolean>;
}

/** A line said again when the box asks for it, at most this often. */
const MAX_REPEATS = 2;

const CODEC_NAMES: Record<SimCodec, CodecName> = { PCMU: 'PCMU', PCMA: 'PCMA', L16: 'L16/16000' };
/** The box has finished speaking once it has been quiet this long. */
const END_OF_BOX_SPEECH_MS = 700;

/** Milliseconds of quiet at the start of 16 kHz audio (by 20 ms frames). */
function leadingSilenceMs(pcm: Int16Array, thresholdDb: number): number {
  const frame = 320;
  let start = 0;
  while (start + frame <= pcm.length && frameDbfs(pcm.subarray(start, start + frame)) <= thresholdDb) start += frame;
  return Math.round((start / 16000) * 1000);
}

/** Milliseconds of quiet at the end of 16 kHz audio (by 20 ms frames). */
function trailingSilenceMs(pcm: Int16Array, thresholdDb: number): number {
  const frame = 320;
  let end = pcm.length;
  while (end > 0 && frameDbfs(pcm.subarray(Math.max(0, end - frame), end)) <= thresholdDb) end -= frame;
  return Math.round(((pcm.length - Math.max(0, end)) / 16000) * 1000);
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Lets the packets that have arrived be handled (setImmediate runs after the event loop's I/O
 * phase) before the caller looks at what it heard. After a stall of this process (a busy machine)
 * a timer wakes first, with the box's latest packets still unread: the box would seem to have been
 * quiet all along, and the caller would talk over it.
 */
const readArrived = (): Promise<void> => new Promise((r) => setImmediate(r));

export async function placeCall(opts: PlaceCallOptions): Promise<CallResult> {
  const { log, script } = opts;
  const bind = opts.bind ?? '127.0.0.1';
  const codec = CODEC_NAMES[opts.codec ?? 'PCMU'];
  const transport = new SipTransport({ log: log.child({ mod: 'sim-sip' }), bind, port: 0 });
  await transport.start();
  const base = 46000 + 2 * randomInt(0, 4000);
  const recorder = opts.recordPath ? new CallRecorder({ options: { path: opts.recordPath, sampleRate: 16000 } }) : null;
  if (recorder) await recorder.start();
  const rtp = new RtpSession({
    ports: new PortAllocator({ min: base, max: base + 99 }),
    log: log.child({ mod: 'sim-rtp' }),
    config: { bindAddress: bind, timeoutMs: 600_000 },
    ...(recorder ? { tap: recorder } : {}),
  });
  await rtp.start();

  const local = transport.local;
  const fromUser = script.from.replace(/[^+\d*#]/g, '') || 'caller';
  const aor = Grammar.URIParse(`sip:${fromUser}@${transport.sentBy()}`);
  const ruri = Grammar.URIParse(`sip:reception@${opts.target}`);
  if (!aor || !ruri) throw new Error(`bad target ${opts.target}`);
  const contact = sipjsContact(fromUser, local);
  const core = new UserAgentCore(
    {
      aor,
      contact,
      displayName: 'Caller Simulator',
      loggerFactory: sipjsLoggerFactory(log.child({ mod: 'sim-sipjs' })),
      hackViaTcp: false,
      routeSet: [],
      sipjsId: String(randomInt(1, 1e9)),
      supportedOptionTags: [],
      supportedOptionTagsResponse: [],
      userAgentHeaderFieldValue: 'SpaCallerSimulator/0.1',
      viaForceRport: true,
      viaHost: transport.sentBy(),
      authenticationFactory: () => undefined,
      transportAccessor: () => transport,
    },
    {},
  );
  const detach = deliverToCore(transport, core, log);

  const caps: MediaCapabilities = { address: local.address, rtpPort: rtp.localPort, codecs: [codec] };
  const offer = createOffer(caps, { sessionId: String(randomInt(1, 2 ** 40)), sessionVersion: 1 });

  // Box speech tracking, in ms since the answer.
  const vad = new EnergyVad({ thresholdDb: opts.speechThresholdDb ?? -45, minSpeechMs: 40, hangoverMs: END_OF_BOX_SPEECH_MS });
  const boxSpeech: { start_ms: number; end_ms: number }[] = [];
  let answeredAt = 0;
  let lastLoudAt = 0;
  let waitingReply: { since: number; resolve: (t: number) => void } | null = null;
  // Reply latency is taken at packet arrival (before the jitter buffer): the first packet of the
  // box's audio whose decoded level is speech-like.
  let decoder: Codec | null = null;
  rtp.on('packet', ({ payloadType, payload }) => {
    if (!answeredAt || !decoder || payloadType !== decoder.payloadType) return;
    if (frameDbfs(decoder.decode(payload)) <= (opts.speechThresholdDb ?? -45)) return;
    const now = Date.now();
    lastLoudAt = now;
    if (result.first_audio_ms === null) result.first_audio_ms = now - answeredAt;
    if (waitingReply && now >= waitingReply.since) {
      waitingReply.resolve(now);
      waitingReply = null;
    }
  });
  rtp.on('audio', (frame, status) => {
    if (!answeredAt) return;
    const ev = vad.push(status === 'audio' ? frame : new Int16Array(frame.length));
    if (ev?.type === 'speech-start') boxSpeech.push({ start_ms: ev.atMs, end_ms: -1 });
    else if (ev?.type === 'speech-end') {
      const last = boxSpeech[boxSpeech.length - 1];
      if (last) last.end_ms = ev.atMs;
    }
  });

  const result: CallResult = {
    connected: false,
    answered_after_ms: null,
    call_id: '',
    turns: [],
    dtmf_sent: '',
    hangup_by: 'none',
    duration_ms: 0,
    first_audio_ms: null,
    final_status: null,
    box_speech: boxSpeech,
    ...(opts.recordPath ? { recording: opts.recordPath } : {}),
  };
  let session: Session | null = null;
  let resolveBoxBye!: () => void;
  const boxBye = new Promise<void>((r) => (resolveBoxBye = r));
  let boxHungUp = false;

  /** Frames of the caller's speech its pacer skipped (stalls over 100 ms). */
  let skippedWhileTalking = 0;
  const invitedAt = Date.now();
  const answered = new Promise<boolean>((resolve) => {
    const message = core.makeOutgoingRequestMessage('INVITE', ruri, aor, ruri, {}, [`Contact: ${contact.toString()}`, 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS'], {
      contentDisposition: 'session',
      contentType: 'application/sdp',
      content: offer,
    });
    result.call_id = message.callId;
    const timer = setTimeout(() => resolve(false), opts.answerTimeoutMs ?? 120_000);
    core.invite(message, {
      onAccept: (response) => {
        clearTimeout(timer);
        response.ack();
        session = response.session;
        session.delegate = {
          onBye: (bye) => {
            bye.accept();
            boxHungUp = true;
            resolveBoxBye();
          },
        };
        try {
          const media = readAnswer(response.message.body, caps);
          rtp.configure(media);
          decoder = createCodec(media.codec, media.payloadType);
        } catch (err) {
          log.error({ err }, 'the box answered with SDP we cannot use');
        }
        answeredAt = Date.now();
        result.answered_after_ms = answeredAt - invitedAt;
        result.connected = true;
        resolve(true);
      },
      onReject: (response) => {
        clearTimeout(timer);
        result.final_status = response.message.statusCode ?? null;
        resolve(false);
      },
    });
  });

  /** Waits until the box has been quiet for END_OF_BOX_SPEECH_MS (it finished its reply), bounded. */
  const boxFinished = async (maxMs: number): Promise<void> => {
    const until = Date.now() + maxMs;
    // Give a greeting or reply a moment to start before deciding the box is quiet.
    while (Date.now() < until && !boxHungUp) {
      await readArrived();
      const quietFor = Date.now() - Math.max(lastLoudAt, answeredAt);
      const spoke = lastLoudAt > 0;
      if (quietFor >= END_OF_BOX_SPEECH_MS && (spoke || quietFor >= 2000)) return;
      await sleep(20);
    }
  };

  try {
    if (!(await answered)) return result;
    let repeats = 0;
    for (let i = 0; i < script.turns.length; i++) {
      const turn = script.turns[i];
      if (!turn || boxHungUp) break;
      if ('say' in turn || 'play' in turn) {
        const audio = 'say' in turn ? await synthesizeFlite(turn.say, { voice: script.voice }) : readWav(await readFile(turn.play));
        if ('say' in turn && audio.sampleRate !== 16000) throw new Error(`flite voice ${script.voice} is ${audio.sampleRate} Hz; use a 16 kHz voice such as kal16`);
        if ('play' in turn && (audio.sampleRate !== 16000 || audio.channels !== 1)) throw new Error(`${turn.play}: ${audio.sampleRate} Hz, ${audio.channels} channel(s); the caller plays 16 kHz mono`);
        let bargeStart = 0;
        if (turn.barge_in_after_ms === undefined) await boxFinished(30_000);
        else {
          // Wait for the box to be talking, then talk over it.
          const until = Date.now() + 30_000;
          while (Date.now() < until && !(lastLoudAt > 0 && Date.now() - lastLoudAt < 100)) {
            await sleep(10);
            await readArrived();
          }
          await sleep(turn.barge_in_after_ms);
          bargeStart = Date.now() + leadingSilenceMs(audio.samples, opts.speechThresholdDb ?? -45);
        }
        const skippedBefore = rtp.stats().pacer.skippedTicks;
        await rtp.play(audio.samples).done;
        skippedWhileTalking += rtp.stats().pacer.skippedTicks - skippedBefore;
        // The caller's speech ended where the audio last rose above the speech level, not where
        // flite's trailing silence ended.
        const endOfSpeech = Date.now() - trailingSilenceMs(audio.samples, opts.speechThresholdDb ?? -45);
        const turnResult: TurnResult = { say: 'say' in turn ? turn.say : turn.play, latency_ms: null, end_of_speech_at: endOfSpeech };
        if (bargeStart) {
          // The box's last audible packet at or after the caller began: when its playback stopped.
          const stoppedAt = lastLoudAt;
          turnResult.box_stopped_after_ms = stoppedAt >= bargeStart ? stoppedAt - bargeStart : null;
        }
        result.turns.push(turnResult);
        const reply = new Promise<number>((resolve) => {
          waitingReply = { since: endOfSpeech, resolve };
        });
        const timeout = sleep(opts.replyTimeoutMs ?? 10_000).then(() => -1);
        const heardAt = await Promise.race([reply, timeout, boxBye.then(() => -1)]);
        waitingReply = null;
        if (heardAt > 0) turnResult.latency_ms = heardAt - endOfSpeech;
        if (repeats > 0) turnResult.repeat = repeats;
        if (heardAt > 0 && repeats < MAX_REPEATS && opts.askedAgain && (await opts.askedAgain())) {
          repeats++;
          i--; // the same line again, once the box has finished asking
        } else {
          repeats = 0;
        }
      } else if ('dtmf' in turn) {
        await rtp.sendDtmf(turn.dtmf);
        result.dtmf_sent += turn.dtmf;
      } else if ('wait_ms' in turn) {
        await Promise.race([sleep(turn.wait_ms), boxBye]);
      } else {
        break; // hangup
      }
    }
    if (!boxHungUp) {
      const s = session as Session | null;
      s?.bye();
      result.hangup_by = 'caller';
    } else {
      result.hangup_by = 'box';
    }
    return result;
  } finally {
    result.duration_ms = answeredAt ? Date.now() - answeredAt : 0;
    const open = boxSpeech[boxSpeech.length - 1];
    if (open && open.end_ms < 0) open.end_ms = result.duration_ms;
    await sleep(200); // let the BYE and its 200 cross before the sockets close
    if (skippedWhileTalking > 0) {
      // The pacer skips ticks after a stall of over 100 ms: this machine was too busy to send the
      // caller's words in real time, and the box heard them with gaps (a misheard turn may be that).
      log.warn({ skippedFrames: skippedWhileTalking, maxLateMs: Math.round(rtp.stats().pacer.maxLateMs) }, "the caller's speech was sent with gaps: the machine was too busy");
    }
    await rtp.stop();
    if (recorder) await recorder.stop();
    detach();
    core.dispose();
    await transport.stop();
  }
}
