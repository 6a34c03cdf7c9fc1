// One call's media: a UDP socket pair (RTP on an even port, RTCP on the next), a pacer that every
// 20 ms pulls one frame out of the jitter buffer (emitted as 'audio', 16 kHz) and sends one packet
// (playback audio, DTMF, or comfort silence), RTCP reports, and an RTP timeout. RTP and RTCP are
// taken only from the peer the SDP names (symmetric latching only when configured: remote-latch.ts).
// Counters, not logs, on the per-packet paths.
import { randomInt } from 'node:crypto';
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { EventEmitter } from 'node:events';
import { isIPv6 } from 'node:net';
import type { Logger } from '../log.js';
import type { AudioOutput } from './audio-output.js';
import type { MediaTap } from './call-recorder.js';
import { createCodec } from './codecs.js';
import { DtmfUnavailableError, MediaStateError, RtpPortsExhaustedError } from './errors.js';
import { FramePacer, type FramePacerStats } from './frame-pacer.js';
import { systemClock, type Clock, type TimerHandle } from '../shared/clock.js';
import { PlaybackQueue, type AudioSource, type PlayOptions, type PlaybackHandle, type PlaybackQueueStats, type PlaybackResult } from './playback-queue.js';
import type { PortAllocator } from './port-allocator.js';
import { buildBye, buildReport, parseRtcp, type RtcpPacket } from './rtcp.js';
import { RtpReceiver, type FrameStatus, type JitterSettings, type RtpReceiverStats } from './rtp-receiver.js';
import { parseRtp } from './rtp-packet.js';
import { RtpSender, type DtmfSendOptions, type RtpSenderStats } from './rtp-sender.js';
import { canReceive, canSend } from './sdp-read.js';
import type { NegotiatedMedia } from './sdp-negotiate.js';
import { isDtmfDigit, type ReceivedDigit } from './telephone-event.js';
import { RemoteLatch, type Endpoint } from './remote-latch.js';
import { bindPair, sendTo } from './udp-pair.js';
import { plainAddress } from '../ip-address.js';

export interface RtpSessionConfig {
  /** Local address to bind (0.0.0.0, ::, or 127.0.0.1 in tests). */
  bindAddress: string;
  /** 'timeout' after this long without RTP while the call is not on hold. */
  timeoutMs?: number;
  jitter?: JitterSettings;
  rtcpIntervalMs?: number;
  cname?: string;
  /** Port pairs tried before giving up. */
  bindAttempts?: number;
  /**
   * Symmetric latching for a peer behind NAT: RTP from the SDP's or the signalling address on any
   * port. Default false: RTP only from the SDP's address and port.
   */
  natLatching?: boolean;
  /** Where the call's SIP came from (latching: RTP may come from this address too). */
  signalingAddress?: string;
  /** With latching, a new source may take over once the latched one has been silent this long. */
  relatchAfterMs?: number;
  /** Fixed SSRC (random by default). */
  ssrc?: number;
  /**
   * How received audio is handed out. 'paced' (default): one frame per 20 ms tick out of the
   * jitter buffer, for listeners (the transfer bridge). 'eager': each frame as soon as its packet
   * is in, in order, for a recogniser, which gains the buffer's delay and the tick phase (up to
   * 40 ms a turn); a missing frame is concealed once EAGER_REORDER_FRAMES more ticks or packets
   * have passed it, and ticks hand out silence while nothing arrives. Use with prefillMs 0.
   */
  receive?: 'paced' | 'eager';
}

export interface RtpSessionDeps {
  ports: PortAllocator;
  log: Logger;
  config: RtpSessionConfig;
  /** Pacing, RTP timeout and RTCP on its monotonic time, RTCP's NTP timestamps on its wall time (default: the system clock). */
  clock?: Clock;
  /** Receives both sides of every frame (a CallRecorder). */
  tap?: MediaTap;
}

export interface RtpSessionEvents {
  /** 20 ms of received audio, 16 kHz mono: every tick ('paced'), or as packets arrive ('eager'). */
  audio: [frame: Int16Array, status: FrameStatus];
  dtmf: [digit: ReceivedDigit];
  timeout: [];
  latched: [source: Endpoint];
  /** Every valid compound RTCP packet received (about one per 5 s). */
  rtcp: [packets: RtcpPacket[]];
  rtcpBye: [info: { ssrcs: number[]; reason: string | undefined }];
  playbackEnded: [result: PlaybackResult];
  /** An accepted RTP packet as it arrived (before the jitter buffer). */
  packet: [packet: { arrivalMs: number; payloadType: number; payload: Buffer }];
}

export interface RtpSessionCounters {
  rtpReceived: number;
  rtpInvalid: number;
  /** RTP packets from a source other than the call's peer (not taken). */
  rtpForeign: number;
  rtpUnknownPayloadType: number;
  /** Packets before configure(). */
  rtpEarly: number;
  rtcpSent: number;
  rtcpReceived: number;
  rtcpInvalid: number;
  /** RTCP packets from a source other than the call's peer (not taken). */
  rtcpForeign: number;
  rtcpByes: number;
  sendErrors: number;
  relatches: number;
  timeouts: number;
}

export interface RtpSessionStats {
  counters: RtpSessionCounters;
  receiver: RtpReceiverStats;
  sender: RtpSenderStats;
  pacer: FramePacerStats;
  playback: PlaybackQueueStats;
}

const FRAME_MS = 20;
const SAMPLE_RATE = 16000;
const FRAME_SAMPLES = (SAMPLE_RATE * FRAME_MS) / 1000;
/** 'eager' receive: how many frames (ticks or packets) a gap is waited for before it is concealed. */
const EAGER_REORDER_FRAMES = 2;
/** 'eager' receive: how far ahead of the tick count delivery is counted (a faster sender's drift). */
const EAGER_MAX_AHEAD = 3;

type State = 'new' | 'starting' | 'running' | 'stopped';

export class RtpSession extends EventEmitter<RtpSessionEvents> implements AudioOutput {
  readonly sampleRate = SAMPLE_RATE;
  readonly counters: RtpSessionCounters = {
    rtpReceived: 0, rtpInvalid: 0, rtpForeign: 0, rtpUnknownPayloadType: 0, rtpEarly: 0,
    rtcpSent: 0, rtcpReceived: 0, rtcpInvalid: 0, rtcpForeign: 0, rtcpByes: 0, sendErrors: 0, relatches: 0, timeouts: 0,
  };
  private state: State = 'new';
  private port: number | undefined;
  private rtp: Socket | undefined;
  private rtcp: Socket | undefined;
  private media: NegotiatedMedia | undefined;
  private readonly latch: RemoteLatch;
  private rtcpSource: Endpoint | undefined;
  private lastRtpAt = 0;
  private timedOut = false;
  private rtcpTimer: TimerHandle | undefined;
  private readonly receiver: RtpReceiver;
  private readonly sender: RtpSender;
  private readonly playback: PlaybackQueue;
  private readonly pacer: FramePacer;
  private readonly clock: Clock;
  private readonly eager: boolean;
  /** 'eager': ticks minus frames handed out since the talkspurt began. */
  private credit = 0;
  /** 'eager': received frames not yet written to the tap (which writes both sides per tick). */
  private readonly tapQueue: Int16Array[] = [];

  constructor(private readonly deps: RtpSessionDeps) {
    super();
    this.clock = deps.clock ?? systemClock;
    this.eager = deps.config.receive === 'eager';
    const { natLatching, signalingAddress, relatchAfterMs } = deps.config;
    this.latch = new RemoteLatch({
      latching: natLatching ?? false,
      ...(signalingAddress !== undefined ? { signalingAddress } : {}),
      ...(relatchAfterMs !== undefined ? { relatchAfterMs } : {}),
    });
    this.receiver = new RtpReceiver(deps.config.jitter, FRAME_MS);
    this.sender = new RtpSender(deps.config.ssrc ?? randomInt(1, 0xffffffff), randomInt(0, 0x10000), randomInt(0, 0xffffffff), FRAME_MS);
    this.playback = new PlaybackQueue({ frameSamples: FRAME_SAMPLES, sampleRate: SAMPLE_RATE, onEnded: (r) => this.emit('playbackEnded', r) });
    this.pacer = new FramePacer({
      clock: this.clock,
      intervalMs: FRAME_MS,
      onTick: (i) => this.tick(i),
      // A throwing 'audio' or 'dtmf' listener must not stop the call's media; log it, sparingly.
      onError: (err) => {
        if (this.pacer.stats.errors % 500 === 1) deps.log.error({ err, count: this.pacer.stats.errors }, 'media tick failed');
      },
    });
  }

  /** Our RTP port (RTCP is +1); set once start() has resolved. */
  get localPort(): number {
    if (this.port === undefined) throw new MediaStateError('RtpSession not started');
    return this.port;
  }

  get ssrc(): number {
    return this.sender.ssrc;
  }

  /** Where RTP goes now: the latched source, else the SDP's address. */
  get remote(): Endpoint | undefined {
    return this.latch.current ?? (this.media ? { address: this.media.remote.address, port: this.media.remote.port } : undefined);
  }

  get negotiated(): NegotiatedMedia | undefined {
    return this.media;
  }

  /** Binds an even port and the next one, trying further pairs when one is taken, and starts the 20 ms clock. */
  async start(): Promise<void> {
    if (this.state !== 'new') throw new MediaStateError(`RtpSession cannot start when ${this.state}`);
    this.state = 'starting';
    const { ports, config } = this.deps;
    const attempts = config.bindAttempts ?? 16;
    const type = isIPv6(config.bindAddress) ? 'udp6' : 'udp4';
    // Pairs found taken stay out of the pool until we are done, so the next (random) pick is another.
    const taken: number[] = [];
    try {
      for (let i = 0; i < attempts && this.state === 'starting'; i++) {
        const port = ports.allocate();
        if (port === undefined) break;
        let pair: Awaited<ReturnType<typeof bindPair>>;
        try {
          pair = await bindPair(() => createSocket(type), config.bindAddress, port);
        } catch (err) {
          ports.release(port); // e.g. the bind address is not ours: no other port will do better
          this.state = 'stopped';
          throw err;
        }
        if (!pair) {
          taken.push(port);
          continue;
        }
        if (this.state !== 'starting') {
          pair.rtp.close();
          pair.rtcp.close();
          ports.release(port);
          break;
        }
        this.bound(port, pair);
        return;
      }
    } finally {
      for (const port of taken) ports.release(port);
    }
    if (this.state !== 'starting') throw new MediaStateError('RtpSession stopped while starting');
    this.state = 'stopped';
    throw new RtpPortsExhaustedError({ attempts, bindAddress: config.bindAddress });
  }

  private bound(port: number, pair: { rtp: Socket; rtcp: Socket }): void {
    const { log } = this.deps;
    this.port = port;
    this.rtp = pair.rtp;
    this.rtcp = pair.rtcp;
    this.rtp.on('message', (msg, rinfo) => this.onRtp(msg, rinfo));
    this.rtcp.on('message', (msg, rinfo) => this.onRtcp(msg, rinfo));
    for (const s of [this.rtp, this.rtcp]) s.on('error', (err) => log.warn({ err }, 'RTP socket error'));
    this.state = 'running';
    this.pacer.start();
    this.scheduleRtcp();
    log.debug({ port }, 'RTP session started');
  }

  /** Applies the negotiated media (first answer or a re-INVITE): codec, remote address, direction. */
  configure(media: NegotiatedMedia): void {
    const prev = this.media;
    const codec = createCodec(media.codec, media.payloadType);
    this.receiver.configure(codec, media.telephoneEvent);
    this.sender.configure(codec, media.telephoneEvent);
    if (!media.telephoneEvent) this.sender.cancelDtmf();
    if (prev && (prev.remote.address !== media.remote.address || prev.remote.port !== media.remote.port)) {
      this.latch.reset();
      this.rtcpSource = undefined;
    }
    const wasWatching = prev !== undefined && this.watchesTimeout(prev);
    this.media = media;
    if (!wasWatching && this.watchesTimeout(media)) {
      this.lastRtpAt = this.clock.monotonic();
      this.timedOut = false;
    }
    this.deps.log.debug({ codec: media.codec, pt: media.payloadType, direction: media.direction }, 'RTP session configured');
  }

  play(source: AudioSource, opts?: PlayOptions): PlaybackHandle {
    if (this.state === 'stopped') throw new MediaStateError('RtpSession stopped');
    return this.playback.play(source, opts);
  }

  clear(): void {
    this.playback.clear();
  }

  pause(): void {
    this.playback.pause();
  }

  resume(): void {
    this.playback.resume();
  }

  /** Sends digits as RFC 4733 events (100 ms each, 60 ms apart by default); resolves when sent. */
  sendDtmf(digits: string, opts: DtmfSendOptions = {}): Promise<void> {
    const list = [...digits];
    if (list.length === 0 || !list.every(isDtmfDigit)) return Promise.reject(new RangeError(`not DTMF digits: ${JSON.stringify(digits)}`));
    if (!this.media?.telephoneEvent || this.state !== 'running') return Promise.reject(new DtmfUnavailableError());
    return this.sender.queueDtmf(list, opts);
  }

  stats(): RtpSessionStats {
    return {
      counters: { ...this.counters },
      receiver: this.receiver.stats,
      sender: { ...this.sender.stats },
      pacer: { ...this.pacer.stats },
      playback: { ...this.playback.stats },
    };
  }

  /** Stops the clock, interrupts playback, sends an RTCP BYE, closes the sockets and frees the port. */
  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    const wasRunning = this.state === 'running';
    this.state = 'stopped';
    this.pacer.stop();
    if (this.rtcpTimer !== undefined) this.clock.clearTimeout(this.rtcpTimer);
    this.rtcpTimer = undefined;
    this.playback.clear();
    this.sender.cancelDtmf();
    const target = this.rtcpTarget();
    if (wasRunning && this.rtcp && target) {
      const bye = buildBye({ ssrc: this.sender.ssrc, cname: this.cname, reason: 'call ended' });
      if (await sendTo(this.rtcp, bye, target)) this.counters.rtcpSent++;
    }
    for (const s of [this.rtp, this.rtcp]) s?.close();
    this.rtp = this.rtcp = undefined;
    if (this.port !== undefined) this.deps.ports.release(this.port);
    this.deps.log.debug({ counters: this.counters }, 'RTP session stopped');
  }

  private get cname(): string {
    return this.deps.config.cname ?? `appliance-${this.sender.ssrc.toString(16)}`;
  }

  private watchesTimeout(media: NegotiatedMedia): boolean {
    return media.direction === 'sendrecv';
  }

  private onRtp(msg: Buffer, rinfo: RemoteInfo): void {
    const p = parseRtp(msg);
    if (!p) {
      this.counters.rtpInvalid++;
      return;
    }
    const media = this.media;
    if (!media) {
      this.counters.rtpEarly++;
      return;
    }
    if (!this.receiver.accepts(p.payloadType)) {
      this.counters.rtpUnknownPayloadType++;
      return;
    }
    const now = this.clock.monotonic();
    const expected = { address: media.remote.address, port: media.remote.port, ssrc: media.remoteSsrc };
    const decision = this.latch.check(rinfo, p.ssrc, expected, now);
    switch (decision) {
      case 'foreign':
        this.counters.rtpForeign++;
        return;
      case 'relatched':
        this.counters.relatches++;
        this.emitLatched();
        break;
      case 'latched':
        this.emitLatched();
        break;
      case 'accept':
        break;
    }
    this.lastRtpAt = now;
    this.timedOut = false;
    this.counters.rtpReceived++;
    if (!canReceive(media.direction)) return;
    // Arrival of each accepted packet, for instruments (the caller simulator's latency); nothing
    // is done per packet unless someone listens.
    if (this.listenerCount('packet') > 0) this.emit('packet', { arrivalMs: now, payloadType: p.payloadType, payload: p.payload });
    for (const digit of this.receiver.onPacket(p, now)) this.emit('dtmf', digit);
    if (this.eager) this.deliverArrived();
  }

  /** 'eager': hands out every frame now complete, and conceals a gap that later packets have passed. */
  private deliverArrived(): void {
    while (this.receiver.frameReady || this.receiver.framesBuffered > EAGER_REORDER_FRAMES) {
      if (!this.receiver.playing) this.credit = 1; // a talkspurt begins: count ticks from here
      this.deliver();
      this.credit = Math.max(this.credit - 1, -EAGER_MAX_AHEAD);
    }
  }

  private deliver(): void {
    const received = this.receiver.nextFrame();
    if (this.eager && this.deps.tap) this.tapQueue.push(received.frame);
    this.emit('audio', received.frame, received.status);
  }

  private emitLatched(): void {
    const source = this.latch.current;
    if (source) this.emit('latched', { ...source });
  }

  /** RTCP from the SDP's RTCP address and port; with latching, from the peer's addresses on any port. */
  private rtcpFromPeer(from: RemoteInfo): boolean {
    const media = this.media;
    if (!media) return false;
    const { rtcpAddress, rtcpPort } = media.remote;
    if (this.latch.latching) return this.latch.addressAllowed(from.address, media.remote) || this.latch.addressAllowed(from.address, { address: rtcpAddress });
    return sameAddress(from.address, rtcpAddress) && from.port === rtcpPort;
  }

  private onRtcp(msg: Buffer, rinfo: RemoteInfo): void {
    if (!this.rtcpFromPeer(rinfo)) {
      this.counters.rtcpForeign++;
      return;
    }
    const packets = parseRtcp(msg);
    if (!packets) {
      this.counters.rtcpInvalid++;
      return;
    }
    this.counters.rtcpReceived++;
    this.rtcpSource = { address: rinfo.address, port: rinfo.port };
    for (const p of packets) {
      if (p.type === 'sr') this.receiver.reception?.onSenderReport(p.ntpSeconds, p.ntpFraction, this.clock.monotonic());
      if (p.type === 'bye') {
        this.counters.rtcpByes++;
        this.emit('rtcpBye', { ssrcs: p.ssrcs, reason: p.reason });
      }
    }
    this.emit('rtcp', packets);
  }

  private tick(index: number): void {
    const now = this.clock.monotonic();
    let received: Int16Array | undefined;
    if (!this.eager) {
      const r = this.receiver.nextFrame();
      received = r.frame;
      this.emit('audio', r.frame, r.status);
    } else {
      // Ticks hand out what did not arrive: silence while idle, concealment for a frame overdue.
      this.credit++;
      if (!this.receiver.playing || this.credit > EAGER_REORDER_FRAMES) {
        this.deliver();
        this.credit--;
      }
    }
    const late = this.receiver.pollDtmf(now);
    if (late) this.emit('dtmf', late);
    const media = this.media;
    if (media && this.watchesTimeout(media) && !this.timedOut && now - this.lastRtpAt >= (this.deps.config.timeoutMs ?? 30_000)) {
      this.timedOut = true;
      this.counters.timeouts++;
      this.deps.log.info({ silentMs: Math.round(now - this.lastRtpAt) }, 'RTP timeout');
      this.emit('timeout');
    }
    let sent: Int16Array | undefined;
    const target = this.remote;
    if (media && this.rtp && target && canSend(media.direction) && !isNullAddress(target.address)) {
      sent = this.sender.dtmfActive ? undefined : this.playback.nextFrame();
      const packet = this.sender.packetForTick(index, sent);
      if (packet) this.send(this.rtp, packet, target);
    }
    const tap = this.deps.tap;
    if (!tap) return;
    const silence = (): Int16Array => new Int16Array(FRAME_SAMPLES);
    if (!this.eager) {
      tap.write(received ?? silence(), sent ?? silence());
      return;
    }
    tap.write(this.tapQueue.shift() ?? silence(), sent ?? silence());
    // A sender whose clock runs fast gets ahead of our ticks: keep all of its audio in the file.
    while (this.tapQueue.length > EAGER_MAX_AHEAD) tap.write(this.tapQueue.shift() ?? silence(), silence());
  }

  private send(socket: Socket, packet: Buffer, to: Endpoint): void {
    socket.send(packet, to.port, to.address, (err) => {
      if (err && this.counters.sendErrors++ === 0) this.deps.log.warn({ err }, 'RTP send failed');
    });
  }

  private rtcpTarget(): Endpoint | undefined {
    if (this.rtcpSource) return this.rtcpSource;
    const media = this.media;
    if (!media) return undefined;
    const latched = this.latch.current;
    const target = latched
      ? { address: latched.address, port: latched.port + 1 }
      : { address: media.remote.rtcpAddress, port: media.remote.rtcpPort };
    return isNullAddress(target.address) ? undefined : target;
  }

  private scheduleRtcp(): void {
    const interval = this.deps.config.rtcpIntervalMs ?? 5000;
    // RFC 3550 §6.3.1: randomise the interval (0.5..1.5) so reports of many sessions do not synchronise.
    this.rtcpTimer = this.clock.setTimeout(() => {
      this.sendReport();
      if (this.state === 'running') this.scheduleRtcp();
    }, interval * (0.5 + Math.random()));
  }

  private sendReport(): void {
    const target = this.rtcpTarget();
    if (!this.rtcp || !target || !this.media) return;
    const block = this.receiver.reception?.reportBlock(this.clock.monotonic());
    const s = this.sender.stats;
    const report = buildReport({
      ssrc: this.sender.ssrc,
      cname: this.cname,
      sender: s.packets > 0 ? { wallClockMs: this.clock.now(), rtpTimestamp: this.sender.timestamp, packetCount: s.packets, octetCount: s.octets } : undefined,
      reports: block ? [block] : [],
    });
    this.counters.rtcpSent++;
    this.send(this.rtcp, report, target);
  }
}

function sameAddress(a: string, b: string): boolean {
  return plainAddress(a) === plainAddress(b);
}

function isNullAddress(address: string): boolean {
  return address === '0.0.0.0' || address === '::';
}
