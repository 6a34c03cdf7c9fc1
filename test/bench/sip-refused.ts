// CPU the appliance spends per INVITE from a source it refuses, now (dropped on the source address
// before any parsing) against what refusing cost before (parsed by our intake and SIP.js, then a
// stateless 403; and parsed, then dropped, which is what a source past the 403 budget got). Also
// what an INVITE flood from an allowed source costs once past its rate: our scan, no SIP.js parse.
// sipp floods INVITEs from 127.0.0.2 (another host as far as the box can tell) at the box's
// transport in this process; process.cpuUsage() over the flood, less the same wall time idle,
// divided by the INVITEs the transport handled.
import { randomBytes } from 'node:crypto';
import { Grammar, IncomingRequestMessage, UserAgentCore, type UserAgentCoreConfiguration } from 'sip.js/lib/core/index.js';
import { createLogger } from '../../appliance/log.js';
import { sipjsContact, sipjsLoggerFactory, SipTransport, type TransportStats } from '../../appliance/telephony/transport/index.js';
import { runSipp } from '../helpers/sipp.js';
import { emit } from './report.js';

const BENCH = 'sip-refused';
// A rate the old parse-and-403 path can keep up with on a Pi-class core, so every INVITE sent is
// handled in each mode and the figures compare like with like.
const INVITES = Number(process.env.SIP_REFUSED_INVITES ?? 8_000);
const RATE = Number(process.env.SIP_REFUSED_RATE ?? 400);

type Mode = 'refused-unread' | 'parsed-403' | 'parsed-dropped' | 'flood-shed';

const log = createLogger({ level: 'silent' });

function cpuMicros(since: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(since);
  return d.user + d.system;
}

/** The old agent's refusal, on SIP.js's core: a stateless 403 to every request. */
function forbiddingCore(transport: SipTransport): UserAgentCore {
  const aor = Grammar.URIParse(`sip:reception@${transport.sentBy()}`);
  if (!aor) throw new Error('no AOR');
  const config: UserAgentCoreConfiguration = {
    aor,
    contact: sipjsContact('reception', transport.local),
    displayName: '',
    loggerFactory: sipjsLoggerFactory(log),
    hackViaTcp: false,
    routeSet: [],
    sipjsId: randomBytes(5).toString('hex'),
    supportedOptionTags: [],
    supportedOptionTagsResponse: [],
    userAgentHeaderFieldValue: 'bench',
    viaForceRport: true,
    viaHost: transport.sentBy(),
    authenticationFactory: () => undefined,
    transportAccessor: () => transport,
  };
  return new UserAgentCore(config, {});
}

function handled(mode: Mode, s: TransportStats): number {
  switch (mode) {
    case 'refused-unread':
      return s.droppedNotAllowed;
    case 'flood-shed':
      return s.droppedInviteFlood;
    case 'parsed-403':
    case 'parsed-dropped':
      return s.received;
  }
}

const METRIC: Record<Mode, string> = {
  'refused-unread': 'cpu_per_refused_invite',
  'parsed-403': 'cpu_per_parsed_403_invite',
  'parsed-dropped': 'cpu_per_parsed_dropped_invite',
  'flood-shed': 'cpu_per_shed_flood_invite',
};

async function measure(mode: Mode): Promise<{ perInviteUs: number; handled: number; wallS: number; replies: number }> {
  const transport = new SipTransport({
    log,
    bind: '127.0.0.1',
    port: 0,
    allowNetworks: mode === 'refused-unread' ? ['127.0.0.1/32'] : ['127.0.0.0/8'],
    // The flood limit out of the way where the old paths are measured; all but nothing allowed where shedding is.
    inviteFlood: mode === 'flood-shed' ? { burst: 1, perSecond: 0.0001 } : { burst: 1e9, perSecond: 1e9 },
  });
  await transport.start();
  let replies = 0;
  if (mode === 'parsed-403') {
    const core = forbiddingCore(transport);
    transport.on('message', ({ message }) => {
      if (message instanceof IncomingRequestMessage && message.method !== 'ACK') {
        core.replyStateless(message, { statusCode: 403, reasonPhrase: 'Forbidden' });
        replies++;
      }
    });
  }
  try {
    const target = `127.0.0.1:${transport.port}`;
    // Warm-up: JIT and the first-use costs of each path.
    await runSipp({ scenario: 'uac-invite-only.xml', target, localIp: '127.0.0.2', calls: 400, args: ['-r', String(RATE)], timeoutMs: 60_000 });
    await settle(transport, mode);
    const before = handled(mode, transport.stats());
    const repliesBefore = replies;
    const t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const r = await runSipp({ scenario: 'uac-invite-only.xml', target, localIp: '127.0.0.2', calls: INVITES, args: ['-r', String(RATE), '-l', String(INVITES)], timeoutMs: 120_000 });
    if (r.code !== 0) throw new Error(`sipp failed: ${r.errors.slice(0, 500) || r.stderr.slice(-500)}`);
    await settle(transport, mode);
    const busy = cpuMicros(cpu0);
    const wallMs = performance.now() - t0;
    // The same wall time with nothing arriving: what the process costs anyway.
    const idle0 = process.cpuUsage();
    await new Promise((resolve) => setTimeout(resolve, wallMs));
    const idle = cpuMicros(idle0);
    const count = handled(mode, transport.stats()) - before;
    return { perInviteUs: (busy - idle) / count, handled: count, wallS: wallMs / 1000, replies: replies - repliesBefore };
  } finally {
    await transport.stop();
  }
}

/** Waits until the transport's count stops moving (the flood is all read). */
async function settle(transport: SipTransport, mode: Mode): Promise<void> {
  let last = -1;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const now = handled(mode, transport.stats());
    if (now === last) return;
    last = now;
  }
}

export async function run(): Promise<void> {
  const results = new Map<Mode, Awaited<ReturnType<typeof measure>>>();
  for (const mode of ['refused-unread', 'flood-shed', 'parsed-403', 'parsed-dropped'] as const) {
    const r = await measure(mode);
    results.set(mode, r);
    const extra = { mode, invites_sent: INVITES, invites_handled: r.handled, rate_per_s: RATE, wall_s: Math.round(r.wallS * 10) / 10, ...(mode === 'parsed-403' ? { replies_403: r.replies } : {}) };
    emit(BENCH, METRIC[mode], r.perInviteUs, 'us', extra);
  }
  const unread = results.get('refused-unread')?.perInviteUs ?? Number.NaN;
  const parsed403 = results.get('parsed-403')?.perInviteUs ?? Number.NaN;
  emit(BENCH, 'parsed_403_vs_refused_unread', parsed403 / unread, 'x');
}
