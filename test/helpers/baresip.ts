// Runs Debian's baresip (1.0.0) as a real SIP phone that calls the appliance on loopback, sends a
// tone and records what it hears. No audio hardware is needed: the tone comes from baresip's
// `ausine` or `aufile` source, the player is an `aubridge` device nothing reads from, and the
// `sndfile` filter dumps the decoded audio it received (and the audio it encoded) as WAV files.
//
// Facts about baresip 1.0.0 this relies on (checked against its source and by experiment):
// - `-4 -n 127.0.0.1` or it advertises another address; `sip_listen 127.0.0.1:0` lets the OS pick
//   free UDP and TCP ports (baresip binds both on the same configured port otherwise).
// - `ausine,<freq>` only runs at 48 kHz stereo, so audio goes through baresip's resampler to the
//   codec rate. For codecs that declare their own ptime (L16 does, PCMU does not) 1.0.0 sizes the
//   read from the source buffer at the codec's rate instead of the source's, so with the resampler
//   on it sends 3.3 ms frames and drops 1 sample in 160: a 6000 Hz tone leaves as ~6038 Hz with a
//   smeared spectrum. `aufile` with a WAV at the codec's own rate and channel count needs no
//   resampler and sends exactly what the file holds; `tone.via` picks one.
// - `sndfile` writes `dump-<date>-enc.wav` / `-dec.wav` into `snd_path` at the codec's rate.
// - `statmode_default off` silences menu's per-100 ms status line; without the stdio module
//   baresip needs no terminal (commands come from `-e`).
// - SIGTERM stops it gracefully (BYE for a live call, files closed); `-t` bounds it on its own.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dominantFrequency, rms, sineWave } from '../../appliance/media/index.js';
import { readWav, wavFile, type WavAudio } from '../../appliance/shared/wav.js';

export type BaresipCodec = 'PCMU/8000' | 'L16/16000';

/** Sample rate of each codec, as baresip's sndfile dump and an aufile source use it. */
export const CODEC_RATE: Record<BaresipCodec, number> = { 'PCMU/8000': 8000, 'L16/16000': 16000 };

/** The codec as baresip's account `audio_codecs` parameter names it (mono L16 needs the /1). */
const ACCOUNT_CODEC: Record<BaresipCodec, string> = { 'PCMU/8000': 'PCMU/8000/1', 'L16/16000': 'L16/16000/1' };

/** RTP ports baresip may use: no other test uses this range. */
export const BARESIP_RTP_PORTS = '44000-44999';

export interface BaresipCallOptions {
  /** The box, 'host:port'. */
  target: string;
  /** User part of the dialled URI. */
  user?: string;
  /** The only codec baresip offers. */
  codec: BaresipCodec;
  /** The tone baresip sends for the whole call. */
  tone: { freq: number; via: 'ausine' | 'aufile' };
  /**
   * Bound on the whole run. baresip normally exits when the call ends (the box hangs up); past
   * this it is stopped and the result says `timedOut`.
   */
  timeoutMs?: number;
}

export interface BaresipCallResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** baresip printed "Call established". */
  established: boolean;
  /** baresip printed "Call with ... terminated". */
  terminated: boolean;
  /** stdout and stderr, colour codes and the echo of typed commands removed: for failure messages. */
  log: string;
  /** Decoded audio baresip received (sndfile's dec dump), null if it wrote none. */
  received: WavAudio | null;
  /** Audio baresip encoded and sent (sndfile's enc dump), null if it wrote none. */
  sent: WavAudio | null;
}

function baresipConfig(dir: string, recDir: string, opts: BaresipCallOptions, wavPath: string): string {
  const rate = CODEC_RATE[opts.codec];
  const source =
    opts.tone.via === 'ausine'
      ? // ausine 1.0.0 refuses anything but 48 kHz stereo.
        [`audio_source\t\tausine,${opts.tone.freq}`, 'ausrc_srate\t\t48000', 'ausrc_channels\t\t2']
      : [`audio_source\t\taufile,${wavPath}`, `ausrc_srate\t\t${rate}`, 'ausrc_channels\t\t1'];
  return [
    `# baresip config for one test call (generated in ${dir})`,
    'poll_method\t\tepoll',
    'sip_listen\t\t127.0.0.1:0',
    'call_local_timeout\t30',
    'call_max_calls\t\t1',
    ...source,
    // aubridge's device thread only runs when a source shares its name: a silent sink.
    'audio_player\t\taubridge,sink',
    'audio_alert\t\taubridge,sink',
    'audio_buffer\t\t20-160',
    'audio_level\t\tno',
    'ausrc_format\t\ts16',
    'auplay_format\t\ts16',
    'auenc_format\t\ts16',
    'audec_format\t\ts16',
    `rtp_ports\t\t${BARESIP_RTP_PORTS}`,
    'rtcp_mux\t\tno',
    'jitter_buffer_delay\t5-10',
    'rtp_stats\t\tno',
    'module_path\t\t/usr/lib/baresip/modules',
    'module\t\t\tg711.so',
    'module\t\t\tl16.so',
    'module\t\t\tsndfile.so',
    'module\t\t\tausine.so',
    'module\t\t\taufile.so',
    'module\t\t\taubridge.so',
    'module_tmp\t\taccount.so',
    'module_app\t\tmenu.so',
    'statmode_default\toff',
    `snd_path\t\t${recDir}`,
    '',
  ].join('\n');
}

function cleanLog(text: string): string {
  return (
    text
      .replace(/\x1b\[[0-9;]*m/g, '')
      // `-e` commands are echoed one keystroke at a time: "/d/di/dia/dial...".
      .replace(/^(\/[^\n]*)$/gm, (line) => (line.length > 200 ? `${line.slice(-120)} [command echo shortened]` : line))
  );
}

function readDump(dir: string, suffix: string): WavAudio | null {
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((f) => f.endsWith(suffix));
  return name ? readWav(readFileSync(join(dir, name))) : null;
}

/**
 * Dials the box from baresip with one codec and one tone, and resolves once baresip has exited:
 * when the call ends baresip is told to quit (SIGTERM), and a run that passes `timeoutMs` is stopped.
 */
export async function callWithBaresip(opts: BaresipCallOptions): Promise<BaresipCallResult> {
  const timeoutMs = opts.timeoutMs ?? 20_000;
  const dir = mkdtempSync(join(tmpdir(), 'spa-baresip-'));
  const recDir = join(dir, 'rec');
  const wavPath = join(dir, 'tone.wav');
  const timers: NodeJS.Timeout[] = [];
  let child: ReturnType<typeof spawn> | undefined;
  try {
    mkdirSync(recDir);
    if (opts.tone.via === 'aufile') {
      // Long enough to outlast the run: at its end aufile reports "end of file" and the call drops.
      const rate = CODEC_RATE[opts.codec];
      writeFileSync(wavPath, wavFile(sineWave(opts.tone.freq, rate, Math.ceil((rate * timeoutMs) / 1000) + rate, 8000), { sampleRate: rate, channels: 1 }));
    }
    writeFileSync(join(dir, 'config'), baresipConfig(dir, recDir, opts, wavPath));
    // regint=0: no REGISTER; answermode is irrelevant (we only call out).
    writeFileSync(join(dir, 'accounts'), `<sip:tester@127.0.0.1>;audio_codecs=${ACCOUNT_CODEC[opts.codec]};regint=0\n`);
    writeFileSync(join(dir, 'contacts'), '');

    const args = [
      '-4', '-n', '127.0.0.1',
      '-f', dir,
      '-e', `/dial sip:${opts.user ?? 'reception'}@${opts.target}`,
      // baresip's own bound, should this process die without stopping it.
      '-t', String(Math.ceil(timeoutMs / 1000) + 5),
    ];
    const proc = spawn('baresip', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    child = proc;
    let output = '';
    let established = false;
    let terminated = false;
    let timedOut = false;
    const quit = (): void => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
    };
    const onData = (d: Buffer): void => {
      output += d.toString();
      if (!established && /Call established/.test(output)) established = true;
      if (!terminated && /Call with \S+ terminated/.test(output)) {
        terminated = true;
        quit();
      }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', onData);

    const exit = await new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
      proc.on('error', (err) => reject(new Error(`could not run baresip: ${err.message}`)));
      proc.on('exit', (code, signal) => resolve({ code, signal }));
      timers.push(
        setTimeout(() => {
          timedOut = true;
          quit();
          // A call still up makes a graceful stop wait for its BYE transaction: cut it short.
          timers.push(setTimeout(() => proc.kill('SIGKILL'), 5_000));
        }, timeoutMs),
      );
    });
    const log = cleanLog(output);
    const dump = (suffix: string): WavAudio | null => {
      try {
        return readDump(recDir, suffix);
      } catch (err) {
        throw new Error(`baresip's ${suffix} dump is unreadable: ${(err as Error).message}\n${log}`);
      }
    };
    return { ...exit, timedOut, established, terminated, log, received: dump('-dec.wav'), sent: dump('-enc.wav') };
  } finally {
    for (const t of timers) clearTimeout(t);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Frames concatenated into one signal. */
export function concatFrames(frames: readonly Int16Array[]): Int16Array {
  const out = new Int16Array(frames.reduce((n, f) => n + f.length, 0));
  let off = 0;
  for (const f of frames) {
    out.set(f, off);
    off += f.length;
  }
  return out;
}

export interface ToneSpan {
  /** The part from the first to the last 20 ms block holding sound, less `edgeMs` at each end. */
  samples: Int16Array;
  /** Length of that part in ms. */
  ms: number;
  /** Strongest frequency in it, to 1 Hz (0 when silent). */
  frequency: number;
  rms: number;
}

/**
 * The tone-bearing part of a recording: leading and trailing silence (before the far end started,
 * after it stopped) is cut, then `edgeMs` more at each end for onset and jitter-buffer transients.
 * Silence or dropouts inside the span stay in it and count against the tone's share of energy.
 */
export function toneSpan(samples: Int16Array, sampleRate: number, edgeMs = 100): ToneSpan {
  const block = sampleRate / 50;
  const levels: number[] = [];
  for (let i = 0; i + block <= samples.length; i += block) levels.push(rms(samples.subarray(i, i + block)));
  const loud = Math.max(0, ...levels) * 0.1;
  const first = levels.findIndex((l) => l > loud && l > 50);
  const last = levels.length - 1 - [...levels].reverse().findIndex((l) => l > loud && l > 50);
  const edge = Math.round((edgeMs / 1000) * sampleRate);
  const span = first < 0 ? new Int16Array(0) : samples.subarray(first * block + edge, Math.max(first * block + edge, (last + 1) * block - edge));
  const coarse = span.length ? dominantFrequency(span, sampleRate, 100, sampleRate / 2 - 100, 10) : 0;
  const frequency = span.length ? dominantFrequency(span, sampleRate, coarse - 10, coarse + 10, 1) : 0;
  return { samples: span, ms: (span.length / sampleRate) * 1000, frequency, rms: rms(span) };
}
