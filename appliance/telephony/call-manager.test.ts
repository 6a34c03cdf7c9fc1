// The call manager's fault handling, on a real call log (SQLite in memory) whose writes can be made
// to fail (PRAGMA query_only: SQLITE_READONLY, as on a disk gone read-only), scripted SIP requests
// and media, on a FakeClock. No test sleeps: each waits for what it needs or steps the clock.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { IncomingInviteRequest, OutgoingRequestDelegate, SessionDelegate } from 'sip.js/lib/core/index.js';
import { createLogger } from '../log.js';
import { FakeClock } from '../shared/fake-clock.js';
import { openDatabase, type Db } from '../store/db.js';
import { CallLog } from './call-log.js';
import { CallManager, type ActiveCall, type CallHandler } from './call-manager.js';
import type { CallMedia, CallMediaEvents, CallMediaFactory, PlaybackResult } from './call-media.js';

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

class FakeSession {
  delegate: SessionDelegate | undefined;
  byes: OutgoingRequestDelegate[] = [];
  localURI = { toString: () => 'sip:reception@127.0.0.1' };
  bye(delegate?: OutgoingRequestDelegate): object {
    this.byes.push(delegate ?? {});
    return {};
  }
  /** The far end answers our BYE with 200. */
  answerBye(): void {
    for (const d of this.byes) d.onAccept?.({} as never);
  }
}

class FakeInvite {
  readonly responses: number[] = [];
  readonly session = new FakeSession();
  delegate: { onCancel?: (cancel: unknown) => void } | undefined;
  readonly message = {
    callId: 'call-1@pbx',
    body: 'v=0 (an offer)',
    ruri: { toString: () => 'sip:reception@127.0.0.1' },
    getHeaders: (): string[] => [],
    getHeader: (name: string): string | undefined => ({ from: '"Ada Lovelace" <sip:+12035550188@pbx>;tag=1', 'content-type': 'application/sdp' })[name],
  };
  trying(): void {
    this.responses.push(100);
  }
  progress(o: { statusCode: number }): void {
    this.responses.push(o.statusCode);
  }
  reject(o: { statusCode: number }): void {
    this.responses.push(o.statusCode);
  }
  accept(): { session: FakeSession } {
    this.responses.push(200);
    return { session: this.session };
  }
  get asRequest(): IncomingInviteRequest {
    return this as unknown as IncomingInviteRequest;
  }
}

class FakeMedia extends EventEmitter<CallMediaEvents> implements CallMedia {
  readonly codec = 'PCMU/8000';
  readonly answerSdp = 'v=0 (an answer)';
  stops = 0;
  private release: (() => void) | null = null;
  /** When true, stop() waits until finishStop() (a recording still being closed). */
  slowStop = false;
  start(): Promise<void> {
    return Promise.resolve();
  }
  update(): string {
    return this.answerSdp;
  }
  play(): Promise<PlaybackResult> {
    return Promise.resolve({ playedMs: 0, interrupted: false });
  }
  clear(): void {}
  pause(): void {}
  resume(): void {}
  stop(): Promise<void> {
    this.stops++;
    if (!this.slowStop) return Promise.resolve();
    return new Promise((r) => (this.release = r));
  }
  finishStop(): void {
    this.release?.();
  }
}

interface Rig {
  db: Db;
  calls: CallLog;
  manager: CallManager;
  clock: FakeClock;
  media: FakeMedia[];
  handled: ActiveCall[];
  ended: { id: number; outcome: string; reason: string }[];
  logText: () => string;
  /** Rings a call and takes it over (ring timer fired, ACK in): the call is answered. */
  answer(invite?: FakeInvite): Promise<FakeInvite>;
}

function rig(opts: { handler?: CallHandler; stopGraceMs?: number; dbPath?: string; ringTimeoutS?: number } = {}): Rig {
  const { db } = openDatabase({ path: opts.dbPath ?? ':memory:' });
  const calls = new CallLog({ db });
  const clock = new FakeClock();
  const media: FakeMedia[] = [];
  const handled: ActiveCall[] = [];
  const ended: Rig['ended'] = [];
  const lines: string[] = [];
  const factory: CallMediaFactory = {
    create: () => {
      const m = new FakeMedia();
      media.push(m);
      return Promise.resolve(m);
    },
  };
  const manager = new CallManager({
    clock,
    log: createLogger({ level: 'debug', destination: { write: (s: string) => lines.push(s) } }),
    calls,
    media: factory,
    handler: opts.handler ?? { handle: (call) => void handled.push(call) },
    settings: { ringTimeoutS: opts.ringTimeoutS ?? 0, maxCalls: 4, record: false, transferTo: null },
    ...(opts.stopGraceMs !== undefined ? { stopGraceMs: opts.stopGraceMs } : {}),
  });
  manager.on('ended', (e) => ended.push(e));
  return {
    db,
    calls,
    manager,
    clock,
    media,
    handled,
    ended,
    logText: () => lines.join(''),
    async answer(invite = new FakeInvite()) {
      manager.handleInvite(invite.asRequest, { address: '127.0.0.1', port: 5062 });
      clock.advance(0);
      while (!invite.session.delegate && invite.responses.at(-1) !== 500) await flush();
      await invite.session.delegate?.onAck?.({} as never);
      await flush();
      return invite;
    },
  };
}

test('a call rings for ringTimeoutS and is taken over (200 OK) when the ring timer fires, not a millisecond before', async () => {
  const r = rig({ ringTimeoutS: 12 });
  const invite = new FakeInvite();
  r.manager.handleInvite(invite.asRequest, { address: '127.0.0.1', port: 5062 });
  r.clock.advance(11_999);
  await flush();
  assert.deepEqual(invite.responses, [100, 180], 'still ringing: staff may answer');
  assert.equal(r.media.length, 0, 'no media opened while ringing');
  r.clock.advance(1);
  while (invite.responses.length < 3) await flush();
  assert.deepEqual(invite.responses, [100, 180, 200]);
  assert.equal(r.manager.ringingCount, 0);
});

test('a CANCEL while ringing clears the ring timer: the call is missed and never taken over', async () => {
  const r = rig({ ringTimeoutS: 12 });
  const invite = new FakeInvite();
  r.manager.handleInvite(invite.asRequest, { address: '127.0.0.1', port: 5062 });
  r.clock.advance(5000);
  invite.delegate?.onCancel?.({ getHeaders: () => [] });
  assert.equal(r.clock.pendingTimers, 0, 'the ring timer is cleared');
  r.clock.advance(60_000);
  await flush();
  assert.deepEqual(invite.responses, [100, 180, 487]);
  assert.equal(r.media.length, 0);
  assert.deepEqual(r.ended, [{ id: 1, outcome: 'missed', reason: 'cancelled' }]);
});

test('when the call log cannot be written (read-only disk), an INVITE gets 503 and the next one rings once it can', async () => {
  const r = rig();
  r.db.pragma('query_only = 1');
  const refused = new FakeInvite();
  assert.doesNotThrow(() => r.manager.handleInvite(refused.asRequest, { address: '127.0.0.1', port: 5062 }));
  assert.deepEqual(refused.responses, [503]);
  assert.equal(r.manager.ringingCount, 0);
  assert.match(r.logText(), /call log cannot be written.*503/);

  r.db.pragma('query_only = 0');
  const next = await r.answer();
  assert.deepEqual(next.responses, [100, 180, 200]);
  assert.equal(r.handled.length, 1);
  assert.equal(r.calls.list()[0]?.state, 'answered');
});

test('a call log that fails during a call does not stop it: the call is answered, hung up on RTP timeout with BYE, its media stopped, and ended is emitted', async () => {
  const r = rig();
  const invite = new FakeInvite();
  r.manager.handleInvite(invite.asRequest, { address: '127.0.0.1', port: 5062 });
  r.db.pragma('query_only = 1'); // the disk goes read-only while the call rings
  r.clock.advance(0);
  while (!invite.session.delegate) await flush();
  await invite.session.delegate.onAck?.({} as never);
  await flush();
  assert.equal(r.handled.length, 1, 'the conversation got the call');
  const media = r.media[0] as FakeMedia;
  assert.doesNotThrow(() => media.emit('timeout'));
  assert.equal(invite.session.byes.length, 1, 'BYE sent');
  assert.equal(media.stops, 1, 'media stopped');
  assert.deepEqual(r.ended, [{ id: 1, outcome: 'ai-handled', reason: 'no RTP from the caller' }]);
  assert.equal(r.manager.activeCount, 0);
  assert.match(r.logText(), /call log: could not mark the call answered/);
  assert.match(r.logText(), /call log: could not end the call/);
  invite.session.answerBye();
  assert.equal(await r.manager.stop(), true, 'nothing left to close');
});

test('call-log updates that failed are written, in order, once the store takes writes again: the row shows the call answered and ended', async () => {
  const r = rig();
  const invite = new FakeInvite();
  r.manager.handleInvite(invite.asRequest, { address: '127.0.0.1', port: 5062 });
  r.db.pragma('query_only = 1');
  r.clock.advance(0);
  while (!invite.session.delegate) await flush();
  r.media[0]?.emit('timeout');
  assert.equal(r.calls.get(1)?.state, 'ringing', 'nothing could be written');
  r.db.pragma('query_only = 0');
  await r.answer(); // the next INVITE
  const first = r.calls.get(1);
  assert.equal(first?.state, 'ended');
  assert.equal(first?.codec, 'PCMU/8000');
  assert.ok(first?.answeredAt !== null && first?.endedAt !== null && (first?.endedAt ?? 0) >= (first?.answeredAt ?? 0));
  assert.equal(first?.endReason, 'no RTP from the caller');
  assert.match(r.logText(), /call log: wrote updates that had failed/);
});

test('a hangup before our 200 OK is ACKed (RTP timeout, stop) sends its BYE as soon as the ACK arrives, and the conversation never starts', async () => {
  const r = rig();
  const invite = new FakeInvite();
  r.manager.handleInvite(invite.asRequest, { address: '127.0.0.1', port: 5062 });
  r.clock.advance(0);
  while (!invite.session.delegate) await flush();
  r.media[0]?.emit('timeout');
  assert.equal(invite.session.byes.length, 0, 'no BYE while the ACK is awaited (RFC 3261 §15)');
  assert.equal(r.calls.get(1)?.state, 'ended');
  await invite.session.delegate.onAck?.({} as never);
  await flush();
  assert.equal(invite.session.byes.length, 1, 'the BYE goes once the ACK is in');
  assert.equal(r.handled.length, 0);
  invite.session.answerBye();
  assert.equal(await r.manager.stop(), true);
});

test('SQLITE_BUSY (another process holds the write lock): a new call gets 503, and a call that ends meanwhile has its row closed once the lock is free', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'spa-busy-'));
  try {
    const path = join(dir, 'spa.db');
    const r = rig({ dbPath: path });
    r.db.pragma('busy_timeout = 0'); // fail at once instead of blocking the test's thread
    const first = await r.answer();
    const other = new Database(path);
    other.prepare('BEGIN IMMEDIATE').run();
    const second = new FakeInvite();
    r.manager.handleInvite(second.asRequest, { address: '127.0.0.1', port: 5062 });
    assert.deepEqual(second.responses, [503]);
    first.session.delegate?.onBye?.({ accept: () => undefined } as never);
    assert.equal(r.media[0]?.stops, 1, 'the call ended and its media stopped');
    assert.match(r.logText(), /SQLITE_BUSY/);
    other.prepare('COMMIT').run();
    other.close();
    await r.answer();
    assert.deepEqual([r.calls.get(1)?.state, r.calls.get(1)?.endReason], ['ended', 'caller hung up']);
    r.db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a conversation that throws at once ends that call with BYE', async () => {
  const r = rig({
    handler: {
      handle: () => {
        throw new Error('agent exploded');
      },
    },
  });
  const invite = await r.answer();
  assert.equal(invite.session.byes.length, 1);
  assert.deepEqual(r.ended.map((e) => e.reason), ['conversation error']);
  assert.equal(r.media[0]?.stops, 1);
});

test('a media failure (a listener of the call audio threw) ends that call with BYE', async () => {
  const r = rig();
  const invite = await r.answer();
  r.media[0]?.emit('failed', new Error('VAD threw'));
  assert.equal(invite.session.byes.length, 1);
  assert.deepEqual(r.ended.map((e) => e.reason), ['media error']);
});

test('an ended listener that throws does not keep the call from closing, nor the next call from being answered', async () => {
  const r = rig();
  r.manager.on('ended', () => {
    throw new Error('listener bug');
  });
  const first = await r.answer();
  assert.doesNotThrow(() => first.session.delegate?.onBye?.({ accept: () => undefined } as never));
  assert.equal(r.media[0]?.stops, 1);
  assert.equal(r.calls.get(1)?.state, 'ended');
  assert.match(r.logText(), /a call event listener failed/);
  await r.answer();
  assert.equal(r.handled.length, 2);
});

test('stop() hangs up every call and waits for the BYE answer and the media (recording) to close', async () => {
  const r = rig({ stopGraceMs: 5000 });
  const invite = await r.answer();
  const media = r.media[0] as FakeMedia;
  media.slowStop = true;
  let stopped: boolean | null = null;
  const stopping = r.manager.stop().then((inTime) => (stopped = inTime));
  await flush();
  assert.equal(invite.session.byes.length, 1, 'BYE sent');
  assert.equal(r.calls.get(1)?.endReason, 'appliance stopping', 'the call row is closed');
  assert.equal(stopped, null, 'still waiting for the BYE answer and the media');
  invite.session.answerBye();
  await flush();
  assert.equal(stopped, null, 'still waiting for the recording to close');
  media.finishStop();
  await stopping;
  assert.equal(stopped, true);
  assert.equal(r.manager.closingCount, 0);
});

test('stop() waits no longer than stopGraceMs for a peer that never answers the BYE', async () => {
  const r = rig({ stopGraceMs: 5000 });
  const invite = await r.answer();
  let stopped: boolean | null = null;
  const stopping = r.manager.stop().then((inTime) => (stopped = inTime));
  await flush();
  assert.equal(invite.session.byes.length, 1);
  assert.equal(stopped, null);
  r.clock.advance(4999);
  await flush();
  assert.equal(stopped, null, 'still within the grace');
  r.clock.advance(1);
  await stopping;
  assert.equal(stopped, false);
  assert.match(r.logText(), /did not finish closing in time/);
});

test('while stopping, new INVITEs get 503 and ringing calls are ended in the call log', async () => {
  const r = rig();
  const ringing = new FakeInvite();
  r.manager.handleInvite(ringing.asRequest, { address: '127.0.0.1', port: 5062 });
  await r.manager.stop();
  assert.deepEqual(ringing.responses, [100, 180, 503]);
  assert.equal(r.calls.get(1)?.endReason, 'appliance stopping');
  const late = new FakeInvite();
  r.manager.handleInvite(late.asRequest, { address: '127.0.0.1', port: 5062 });
  assert.deepEqual(late.responses, [503]);
});
