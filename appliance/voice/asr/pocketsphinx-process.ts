// The pocketsphinx decoder as an OS process, fed through a named pipe, and a small pool of warm
// decoders (model and grammar loaded, blocked opening their pipe) so a turn does not wait for one
// to start. Pocketsphinx knowledge (flags, output format) stays in pocketsphinx.ts; this file only
// runs processes and moves bytes.
import { spawn, type ChildProcess } from 'node:child_process';
import { constants } from 'node:fs';
import { mkdtemp, open, readFile, rm } from 'node:fs/promises';
import type { FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { Clock, TimerHandle } from '../../shared/clock.js';

export interface DecoderExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  error?: Error;
}

/**
 * One decoder process reading its audio from `fifo` and writing hypotheses to stdout. The write
 * end of the pipe is ours from the start (`feeder`): should this process die without stopping
 * the decoder, the pipe closes, the decoder reads end-of-file and exits instead of waiting for
 * ever (a warm decoder would otherwise outlive us, blocked opening its pipe).
 */
export class DecoderProcess {
  readonly exited: Promise<DecoderExit>;
  readonly feeder = new FifoFeeder();
  #stdout = '';
  #gone = false;
  #disposed: Promise<void> | null = null;

  constructor(
    private readonly child: ChildProcess,
    readonly dir: string,
    readonly fifo: string,
  ) {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => (this.#stdout += chunk));
    child.stderr?.resume();
    this.exited = new Promise<DecoderExit>((resolve) => {
      child.once('error', (error) => resolve({ code: null, signal: null, error }));
      child.once('close', (code, signal) => resolve({ code, signal }));
    }).finally(() => (this.#gone = true));
    this.feeder.start(fifo, () => this.#gone);
    this.feeder.done.catch(() => undefined); // a write error shows as the decoder's exit status
  }

  /** Everything the decoder has printed so far. */
  get stdout(): string {
    return this.#stdout;
  }

  get gone(): boolean {
    return this.#gone;
  }

  /** An idle warm decoder must not keep the Node process alive; one in use does. */
  hold(held: boolean): void {
    for (const h of [this.child, this.child.stdout, this.child.stderr] as ({ ref?(): void; unref?(): void } | null)[]) {
      if (held) h?.ref?.();
      else h?.unref?.();
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }

  /** The decoder's whole log ('' when it wrote none). */
  log(): Promise<string> {
    return readFile(join(this.dir, 'decoder.log'), 'utf8').catch(() => '');
  }

  /** The last error lines of the decoder's log (for a failure report). */
  async logTail(): Promise<string[]> {
    const text = await readFile(join(this.dir, 'decoder.log'), 'utf8').catch(() => '');
    return text.split('\n').filter((l) => /ERROR|FATAL/.test(l)).slice(-3);
  }

  /** Kills the decoder if it still runs, waits for it and removes its folder. Idempotent. */
  dispose(): Promise<void> {
    this.#disposed ??= (async () => {
      this.hold(true); // so the loop stays up until it is gone
      this.feeder.abort();
      this.kill();
      await this.exited;
      await rm(this.dir, { recursive: true, force: true });
    })();
    return this.#disposed;
  }
}

/**
 * Starts a decoder in a fresh temp folder: `prepare` writes its files there and returns its flags
 * (without -infile and -logfn, added here). The FIFO is made before the process starts.
 */
export async function launchDecoder(opts: { binary: string; tmpRoot: string; prepare: (dir: string) => Promise<string[]> }): Promise<DecoderProcess> {
  const dir = await mkdtemp(join(opts.tmpRoot, 'spa-asr-'));
  try {
    const args = await opts.prepare(dir);
    const fifo = join(dir, 'audio.raw');
    await runQuiet('mkfifo', ['-m', '600', fifo]);
    const child = spawn(opts.binary, [...args, '-infile', fifo, '-logfn', join(dir, 'decoder.log')], { stdio: ['ignore', 'pipe', 'pipe'] });
    return new DecoderProcess(child, dir, fifo);
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}

/**
 * Writes audio into a decoder's named pipe as it comes, without ever blocking a libuv pool thread:
 * the FIFO is opened non-blocking (ENXIO until the decoder has opened its end: retried every few
 * ms), and a full pipe (EAGAIN) is waited out the same way. A blocking open would park a pool
 * thread until the decoder loads its model, and a decoder that dies first would park it for good,
 * starving every fs, dns and crypto call of the process. A decoder gone mid-write (EPIPE) ends the
 * feed: its exit status tells why. Writes before start() are kept and sent once the pipe opens.
 */
export class FifoFeeder {
  readonly done: Promise<void>;
  #chunks: Uint8Array[] = [];
  #ended = false;
  #aborted = false;
  #wake: (() => void) | null = null;
  #started!: (target: { fifo: string; isGone: () => boolean } | null) => void;

  constructor() {
    const target = new Promise<{ fifo: string; isGone: () => boolean } | null>((resolve) => (this.#started = resolve));
    this.done = target.then((t) => (t ? this.#run(t.fifo, t.isGone) : undefined));
  }

  /** Begins writing into `fifo` (null: there will be no decoder; writes are dropped). */
  start(fifo: string | null, isGone: () => boolean = () => false): void {
    this.#started(fifo === null ? null : { fifo, isGone });
  }

  write(audio: Int16Array): void {
    if (this.#ended || this.#aborted || audio.length === 0) return;
    this.#chunks.push(new Uint8Array(audio.buffer, audio.byteOffset, audio.byteLength));
    this.#poke();
  }

  /** No more audio: the pipe is closed once everything written is in it (the decoder sees EOF). */
  end(): void {
    this.#ended = true;
    this.#poke();
  }

  /** Stops at once; unsent audio is dropped. */
  abort(): void {
    this.#aborted = true;
    this.#chunks = [];
    this.#poke();
  }

  #poke(): void {
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  async #run(fifo: string, isGone: () => boolean): Promise<void> {
    // Polls the OS (the decoder opening its end of the pipe, a full pipe draining): real time, not a clock's.
    const pause = (): Promise<void> => new Promise((r) => setTimeout(r, 5));
    let handle: FileHandle | null = null;
    while (!handle) {
      if (isGone() || this.#aborted) return;
      try {
        handle = await open(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (err) {
        if (errorCode(err) !== 'ENXIO') throw err;
        await pause();
      }
    }
    try {
      for (;;) {
        if (this.#aborted) return;
        const bytes = this.#chunks[0];
        if (!bytes) {
          if (this.#ended) return;
          await new Promise<void>((resolve) => (this.#wake = resolve));
          continue;
        }
        try {
          const { bytesWritten } = await handle.write(bytes, 0, Math.min(65536, bytes.length));
          if (bytesWritten >= bytes.length) this.#chunks.shift();
          else this.#chunks[0] = bytes.subarray(bytesWritten);
        } catch (err) {
          if (errorCode(err) === 'EAGAIN') {
            if (isGone()) return;
            await pause();
            continue;
          }
          if (errorCode(err) === 'EPIPE') return;
          throw err;
        }
      }
    } finally {
      await handle.close();
    }
  }
}

/**
 * Decoders started ahead of need, by configuration key (flags + grammar): at most `perKey` for
 * each of the `maxKeys` most recently used keys; an unused one is killed after `idleMs`.
 */
export class WarmDecoders {
  readonly #spares = new Map<string, { decoder: DecoderProcess; timer: TimerHandle }[]>();
  readonly #starting = new Map<string, number>();
  readonly #launches = new Set<Promise<unknown>>();
  #closed = false;

  constructor(private readonly opts: { perKey: number; maxKeys: number; idleMs: number; clock: Clock; onError: (err: unknown) => void }) {}

  /** A warm decoder for `key`, or null. */
  take(key: string): DecoderProcess | null {
    const list = this.#spares.get(key);
    while (list && list.length > 0) {
      const spare = list.shift();
      if (!spare) break;
      this.opts.clock.clearTimeout(spare.timer);
      if (!spare.decoder.gone) {
        spare.decoder.hold(true);
        this.#touch(key);
        return spare.decoder;
      }
      void spare.decoder.dispose();
    }
    return null;
  }

  /** Starts decoders for `key` until it has `perKey` (no-op when disabled or closed). */
  fill(key: string, launch: () => Promise<DecoderProcess>): void {
    if (this.#closed || this.opts.perKey <= 0) return;
    const have = (this.#spares.get(key)?.length ?? 0) + (this.#starting.get(key) ?? 0);
    for (let i = have; i < this.opts.perKey; i++) {
      this.#starting.set(key, (this.#starting.get(key) ?? 0) + 1);
      const launching = launch().then(
        (decoder) => {
          this.#starting.set(key, (this.#starting.get(key) ?? 1) - 1);
          // Closed meanwhile: disposed within the launch, so close() returns only once it is gone.
          if (this.#closed) return decoder.dispose();
          decoder.hold(false);
          const timer = this.opts.clock.setTimeout(() => this.#expire(key, decoder), this.opts.idleMs, { unref: true });
          const list = this.#spares.get(key) ?? [];
          list.push({ decoder, timer });
          this.#spares.set(key, list);
          this.#touch(key);
        },
        (err: unknown) => {
          this.#starting.set(key, (this.#starting.get(key) ?? 1) - 1);
          this.opts.onError(err);
        },
      );
      this.#launches.add(launching);
      void launching.finally(() => this.#launches.delete(launching));
    }
  }

  /** Kills every warm decoder; later fills are ignored until reopen(). */
  async close(): Promise<void> {
    this.#closed = true;
    // Decoders still starting are disposed as they arrive; wait for them too.
    await Promise.all([...this.#launches]);
    const all = [...this.#spares.values()].flat();
    this.#spares.clear();
    for (const s of all) this.opts.clock.clearTimeout(s.timer);
    await Promise.all(all.map((s) => s.decoder.dispose()));
  }

  reopen(): void {
    this.#closed = false;
  }

  get size(): number {
    return [...this.#spares.values()].reduce((n, l) => n + l.length, 0);
  }

  /** Marks `key` most recently used and retires the least recently used keys beyond maxKeys. */
  #touch(key: string): void {
    const list = this.#spares.get(key);
    if (list) {
      this.#spares.delete(key);
      this.#spares.set(key, list);
    }
    while (this.#spares.size > this.opts.maxKeys) {
      const oldest = this.#spares.keys().next().value as string;
      for (const s of this.#spares.get(oldest) ?? []) {
        this.opts.clock.clearTimeout(s.timer);
        void s.decoder.dispose();
      }
      this.#spares.delete(oldest);
    }
  }

  #expire(key: string, decoder: DecoderProcess): void {
    const list = this.#spares.get(key);
    if (!list) return;
    const i = list.findIndex((s) => s.decoder === decoder);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.#spares.delete(key);
    void decoder.dispose();
  }
}

function errorCode(err: unknown): string | undefined {
  return err instanceof Error && 'code' in err ? String(err.code) : undefined;
}

function runQuiet(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, args, { stdio: 'ignore' });
    child.once('error', reject);
    child.once('close', (code) => (code === 0 ? resolve() : reject(new Error(`${binary} exit ${code ?? '?'}`))));
  });
}
