// Runs receptionist scenarios over the text API (POST /api/agent/chat), as the scenario tests and
// `npm run bench -- scenarios` do: a pinned clock, a fresh demo spa per scenario, the caller's
// lines in order, then the scenario's own check of what is in the database.
import type { Appointment } from '../../appliance/booking/types.js';
import type { StaffAlert } from '../../appliance/agent/conversations.js';
import { at } from '../helpers/spa.js';
import { openTestWeb, type TestWeb } from '../helpers/web.js';
import type { Understander } from '../../appliance/agent/understand/index.js';

export interface ScenarioTurn {
  say: string;
  /** Each must appear in the reply (case-insensitive substring or regex). */
  expect?: (string | RegExp)[];
}

export interface ScenarioWorld {
  web: TestWeb;
  replies: string[];
  done: boolean;
  conversation: string;
  /** Booked appointments (status booked), by start. */
  booked(): (Appointment & { clientName: string; clientPhone: string })[];
  all(): (Appointment & { clientName: string; clientPhone: string })[];
  alerts(): StaffAlert[];
}

export interface Scenario {
  name: string;
  /** What the caller came for, for the bench's success figures. */
  task: 'book' | 'reschedule' | 'cancel' | 'lookup' | 'question' | 'handoff' | 'urgent' | 'other';
  /** Local time in the spa's zone; default Monday 2026-11-30 10:00. */
  now?: string;
  from?: string | null;
  transferTo?: string | null;
  setup?: (web: TestWeb) => void;
  turns: ScenarioTurn[];
  check: (w: ScenarioWorld) => void;
}

export interface ScenarioRun {
  world: ScenarioWorld;
  turns: number;
  /** Wall time of each POST /api/agent/chat. */
  turnMs: number[];
  failures: string[];
}

function matches(reply: string, e: string | RegExp): boolean {
  return typeof e === 'string' ? reply.toLowerCase().includes(e.toLowerCase()) : e.test(reply);
}

export async function runScenario(sc: Scenario, opts: { understander?: Understander } = {}): Promise<ScenarioRun> {
  const web = await openTestWeb({ now: at(sc.now ?? '2026-11-30T10:00'), transferTo: sc.transferTo ?? null });
  if (opts.understander) web.receptionist.useUnderstander(opts.understander);
  const cookie = await web.login();
  sc.setup?.(web);
  const failures: string[] = [];
  const replies: string[] = [];
  const turnMs: number[] = [];
  let conversation: string | undefined;
  let done = false;
  const from = sc.from === undefined ? '+12035550188' : sc.from;
  for (const [i, turn] of sc.turns.entries()) {
    const payload: Record<string, unknown> = { text: turn.say };
    if (conversation) payload.conversation = conversation;
    if (from !== null) payload.from = from;
    const t0 = performance.now();
    const res = await web.app.inject({ method: 'POST', url: '/api/agent/chat', headers: { cookie }, payload });
    turnMs.push(performance.now() - t0);
    if (res.statusCode !== 200) {
      failures.push(`turn ${i + 1}: HTTP ${res.statusCode} ${res.body}`);
      break;
    }
    const body = res.json<{ conversation: string; reply: string; done: boolean }>();
    conversation = body.conversation;
    done = body.done;
    replies.push(body.reply);
    for (const e of turn.expect ?? []) if (!matches(body.reply, e)) failures.push(`turn ${i + 1} ("${turn.say}"): reply "${body.reply}" lacks ${String(e)}`);
  }
  const rows = (status: string | null) =>
    (web.spa.db
      .prepare(`SELECT a.*, c.name AS client_name, c.phone AS client_phone FROM appointments a JOIN clients c ON c.id = a.client_id ${status ? 'WHERE a.status = ?' : ''} ORDER BY a.start`)
      .all(...(status ? [status] : [])) as Record<string, unknown>[]).map((r) => ({
      ...web.spa.bookings.get(r.id as number),
      clientName: r.client_name as string,
      clientPhone: r.client_phone as string,
    }));
  const world: ScenarioWorld = {
    web,
    replies,
    done,
    conversation: conversation ?? '',
    booked: () => rows('booked'),
    all: () => rows(null),
    alerts: () => web.receptionist.alerts(),
  };
  return { world, turns: replies.length, turnMs, failures };
}
