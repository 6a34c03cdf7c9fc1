// A scripted call at dialog level, without SIP: the real receptionist and VoiceAgent over a test spa
// database on a fake clock, the scripted caller answering each reply. What the caller says reaches
// the agent through `hear`, given the line and the Expectation the agent asked for (the grammar or
// language model the live box would decode that turn with): the bench decodes speech there, a
// ceiling run passes the written line. Rejected results reach the agent as rejected speech, empty
// ones as silence (the live box takes a turn it heard nothing in for no turn, then the no-input
// prompt comes); keys as keys.
import { DateTime } from 'luxon';
import { createLogger } from '../../../appliance/log.js';
import { VoiceAgent } from '../../../appliance/agent/voice-agent.js';
import { CallLog } from '../../../appliance/telephony/call-log.js';
import { callerExpectation, type CallerExpects } from '../../../appliance/voice/asr/caller-grammars.js';
import type { AgentReply, Expectation, Reheard, TurnInput } from '../../../appliance/voice/turns/types.js';
import { testReceptionist } from '../../helpers/agent.js';
import { at, openTestSpa, SPA_ZONE, type TestSpa } from '../../helpers/spa.js';
import { CHECK_QUESTION } from '../../../appliance/agent/slot-check.js';
import { judgeCall, type ApptView, type Verdict } from './call-judge.js';
import { seededRandom } from '../../../appliance/shared/random.js';
import { ScriptedCaller, type ScriptedCall } from './scripted-call.js';

/** What the box heard of a line: its words, or rejected speech (its guess only for the log). */
export interface HeardLine {
  text: string;
  rejected?: boolean;
  /** The recogniser's words and confidences (the slot checks read them). */
  words?: readonly { word: string; confidence: number | null }[];
  /** A rejected line decoded again with the turn's retry grammar (Expectation.retry). */
  reheard?: Reheard;
}

export type Hear = (line: string, turn: { expects: CallerExpects; expectation: Expectation; index: number }) => Promise<HeardLine>;

export interface CallRun {
  verdict: Verdict;
  /** The exchange, for the report: box lines, caller lines with what was heard. */
  transcript: string[];
  /** Caller turns spoken (with repeats), keys pressed. */
  spoken: number;
  keys: number;
  /** Spoken turns the box rejected. */
  rejected: number;
  /** Slot checks the box asked ("Was that Lip Filler?"). */
  checks: number;
}

/** The call's "now": Monday 30 November 2026, 9 am in the spa's zone. */
export const CALL_NOW = '2026-11-30T09:00';
const MAX_TURNS = 24;
const TRANSFER_TO = '+12035550100';

function appointments(spa: TestSpa): ApptView[] {
  const from = at(CALL_NOW) - 86_400_000;
  return spa.bookings.list(from, from + 120 * 86_400_000).map((a) => ({
    id: a.id,
    service: a.serviceId,
    day: DateTime.fromMillis(a.start, { zone: SPA_ZONE }).toISODate() ?? '',
    status: a.status,
  }));
}

/**
 * What the caller knows it wants, for a check of a slot ("Was that Lip Filler?", "Thursday, is that
 * right?"): right when some word of the value checked is a word of the caller's own lines (letters
 * it spells out, "i p l", as one word too), and none of its words names another treatment or
 * provider (a surname the box adds, "Maya Chen" for "maya", contradicts nothing). Never the goal the
 * call is judged on; the day it wants now the scripted caller checks itself (the last it named).
 */
function callerKnows(call: ScriptedCall, spa: TestSpa): (value: string) => boolean {
  const words = (s: string): string[] => s.toLowerCase().split(/[^a-z0-9]+/).filter((w) => w.length > 0 && !['at', 'on', 'with', 'the', 'and', 'a'].includes(w));
  const lines = [...call.opening, ...call.rules.map((r) => r.say)];
  const spelled = lines.flatMap((l) => [...l.toLowerCase().matchAll(/\b[a-z](?: [a-z]\b)+/g)].map((m) => m[0].replace(/ /g, '')));
  const known = new Set([...lines.flatMap(words), ...spelled]);
  const naming = new Set([
    ...['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday', 'today', 'tomorrow'],
    ...spa.catalogue.services().flatMap((x) => words(x.name)),
    ...spa.catalogue.providers().map((p) => words(p.name)[0] ?? ''),
  ]);
  return (value) => words(value).some((w) => known.has(w)) && words(value).every((w) => known.has(w) || !naming.has(w));
}

/**
 * Runs one scripted call; `keypad`: the caller presses keys when the box offers them; `narrowband`:
 * the box is told the call is G.711 (it offers keys sooner).
 */
export async function runCall(call: ScriptedCall, hear: Hear, opts: { keypad: boolean; narrowband: boolean }): Promise<CallRun> {
  const spa = openTestSpa({ now: at(CALL_NOW) });
  try {
    if (call.onFile) spa.bookings.book({ serviceId: call.onFile.service, start: at(call.onFile.start), client: { phone: call.from ?? '+12035550199', name: call.onFile.name }, source: 'staff' });
    const before = appointments(spa);
    const caller = { phone: call.from, raw: '', displayName: '', source: 'From' as const, withheld: call.from === null };
    const callId = new CallLog({ db: spa.db }).invited({ sipCallId: `bench-${call.id}`, caller, called: 'spa', sourceAddress: '127.0.0.1', at: spa.clock.now() });
    const receptionist = testReceptionist(spa, { transferTo: TRANSFER_TO });
    // The spa has a modem: texts to a number reach that phone; the caller's phone is its `from`.
    const phones = new Map<string, string[]>();
    const codeRng = seededRandom([...call.id].reduce((h, c) => (h * 31 + c.charCodeAt(0)) >>> 0, 7));
    receptionist.useTexts(
      (phone, body) => {
        phones.set(phone, [...(phones.get(phone) ?? []), body]);
        return true;
      },
      { random: (n) => Array.from({ length: n }, () => String(Math.floor(codeRng() * 10))).join('') },
    );
    const catalogue = (): string[] => spa.catalogue.services().flatMap((s) => [s.name, ...s.aliases]);
    let expects: CallerExpects = 'open';
    const agent = new VoiceAgent({
      receptionist,
      expectation: (e, offered) => {
        expects = e;
        return callerExpectation(e, catalogue, offered);
      },
      log: createLogger({ level: 'silent' }),
    });
    const scripted = new ScriptedCaller(call, { keypad: opts.keypad, isRight: callerKnows(call, spa), inbox: () => (call.from ? (phones.get(call.from) ?? []) : []), today: DateTime.fromISO(CALL_NOW).toFormat('cccc') });
    const transcript: string[] = [];
    const replies: string[] = [];
    const run = { spoken: 0, keys: 0, rejected: 0, checks: 0 };
    let reply: AgentReply = agent.greeting({ id: callId, callerPhone: call.from, narrowband: opts.narrowband });
    let transferred = false;
    let silences = 0;
    try {
      for (let turn = 0; turn < MAX_TURNS; turn++) {
        replies.push(reply.text);
        transcript.push(`box [${expects}]: ${reply.text}`);
        if (CHECK_QUESTION.test(reply.text)) run.checks++;
        if (reply.transfer) transferred = true;
        if (reply.hangup || reply.transfer) break;
        const move = scripted.next(reply.text, expects);
        let input: TurnInput;
        if ('hangup' in move) {
          transcript.push(`caller hangs up: ${move.hangup}`);
          break;
        } else if ('key' in move) {
          run.keys++;
          transcript.push(`caller presses ${move.key}`);
          input = { kind: 'dtmf', digits: move.key };
        } else {
          run.spoken++;
          const expectation = reply.expect ?? callerExpectation(expects, catalogue);
          const heard = await hear(move.say, { expects, expectation, index: run.spoken });
          const again = heard.reheard ? `; reheard: ${heard.reheard.text}` : '';
          transcript.push(`caller: ${move.say}  -> heard: ${heard.rejected ? `(rejected: ${heard.text}${again})` : heard.text || '(nothing)'}`);
          if (heard.rejected) run.rejected++;
          silences = heard.text === '' && !heard.rejected ? silences + 1 : 0;
          const words = heard.words?.some((w) => w.confidence !== null) ? { words: heard.words } : {};
          input = heard.rejected ? { kind: 'speech', text: heard.text, confidence: null, rejected: true, ...(heard.reheard ? { reheard: heard.reheard } : {}) } : heard.text === '' ? { kind: 'silence', count: silences } : { kind: 'speech', text: heard.text, confidence: null, ...words };
        }
        reply = await agent.respond(input, { interrupted: false, heardText: reply.text });
      }
    } finally {
      agent.end();
    }
    const verdict = judgeCall(call.goal, { before, after: appointments(spa), replies, transferred });
    return { verdict, transcript, ...run };
  } finally {
    spa.close();
  }
}
