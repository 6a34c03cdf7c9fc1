// npm run bench -- identity: the caller identity look-ups on a year-old busy spa's database —
// 20,000 clients, 10,000 appointments over a year (4,000 still booked ahead), 50,000 conversations
// (states of about 1.5 KB, 1 in 100 with failed identity answers). Each runs on the thread that
// also paces calls' audio, so each must stay a few milliseconds: the name-and-day check, the
// call back's client look-up, the guesses per name over a day, and a whole identity chat turn.
import { performance } from 'node:perf_hooks';
import { AgentTools } from '../../appliance/agent/tools.js';
import { newDialogState } from '../../appliance/agent/types.js';
import { at, openTestSpa } from '../helpers/spa.js';
import { testReceptionist } from '../helpers/agent.js';
import { emit, percentile } from './report.js';

const BENCH = 'identity';
const DAY = 86_400_000;
const FIRST = ['Olivia', 'Emma', 'Ava', 'Mia', 'Liam', 'Noah', 'Sophia', 'Lucas', 'Zoë', 'José', 'Grace', 'Lily', 'Ruth', 'Kate', 'Anna'];
const LAST = ['Grant', 'Smith', 'Núñez', 'Brown', 'Lee', 'Garcia', 'Miller', 'Davis', 'Wilson', 'Moore', 'Hill', 'Stone', 'Reed', 'Ward', 'Cox'];

function measure(runs: number, fn: () => unknown): number[] {
  for (let i = 0; i < 5; i++) fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b);
}

function report(metric: string, ms: number[]): void {
  emit(BENCH, `${metric}_p50`, percentile(ms, 50), 'ms');
  emit(BENCH, `${metric}_p95`, percentile(ms, 95), 'ms');
}

export async function run(): Promise<void> {
  const now = at('2026-11-30T10:00');
  const spa = openTestSpa({ now });
  try {
    const db = spa.db;
    const clients = db.prepare('INSERT INTO clients (phone, name, created_at) VALUES (?, ?, 0)');
    const appts = db.prepare(
      `INSERT INTO appointments (client_id, service_id, provider_id, start, end, block_start, block_end, status, source, created_at, updated_at)
       VALUES (?, 'chemical-peel', 'maya-chen', ?, ?, ?, ?, ?, 'staff', 0, 0)`,
    );
    const convs = db.prepare('INSERT INTO conversations (id, channel, phone, state, done, created_at, updated_at) VALUES (?, ?, ?, ?, 1, ?, ?)');
    let seed = 7;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    db.transaction(() => {
      for (let i = 0; i < 20_000; i++) clients.run(`+1203${5_000_000 + i}`, `${FIRST[i % FIRST.length] ?? ''} ${LAST[Math.floor(i / FIRST.length) % LAST.length] ?? ''} ${i}`);
      // Past year completed, 4,000 booked over the next 90 days (the fake provider times need not fit the hours).
      for (let i = 0; i < 10_000; i++) {
        const upcoming = i < 4_000;
        const start = upcoming ? now + Math.floor(rnd() * 90) * DAY + 3_600_000 * (i % 8) : now - Math.floor(rnd() * 365 + 1) * DAY;
        appts.run(1 + Math.floor(rnd() * 20_000), start, start + 1_800_000, start, start + 1_800_000, upcoming ? 'booked' : 'completed');
      }
      const padding = 'x'.repeat(1_200);
      for (let i = 0; i < 50_000; i++) {
        const state = { ...newDialogState('voice', `+1203555${String(i % 10_000).padStart(4, '0')}`), name: 'Caller', notes: padding } as Record<string, unknown>;
        if (i % 100 === 0) state.identity = { wrong: 1, tried: ['Olivia Grant'] };
        const at = now - Math.floor((i / 50_000) * 365 * DAY);
        convs.run(`c${i}`, 'voice', null, JSON.stringify(state), at, at);
      }
    })();
    const tools = new AgentTools({ db, bookings: spa.bookings, catalogue: spa.catalogue, clock: spa.clock, horizonDays: 90 });
    const day = '2026-12-10';
    report('name_and_day_check', measure(200, () => tools.clientsNamedBookedOn('Olivia Grant', day)));
    report('callback_client_lookup', measure(200, () => tools.clientsNamedWithUpcoming('Olivia Grant')));
    report('guesses_per_name_today', measure(200, () => tools.wrongGuessesFor('Olivia Grant', now - DAY, 'none')));

    // Whole chat turns: the day answer of a stranger (checks and a wrong answer) on this database.
    const r = testReceptionist(spa);
    const turnMs: number[] = [];
    for (let i = 0; i < 40; i++) {
      const first = await r.chat({ from: '+12035550177', text: 'I need to cancel my appointment' });
      await r.chat({ conversation: first.conversation, from: '+12035550177', text: `${FIRST[i % FIRST.length] ?? ''} ${LAST[i % LAST.length] ?? ''}` });
      const t0 = performance.now();
      await r.chat({ conversation: first.conversation, from: '+12035550177', text: 'december 10th' });
      turnMs.push(performance.now() - t0);
    }
    report('identity_day_turn', turnMs.sort((a, b) => a - b));
  } finally {
    spa.close();
  }
}
