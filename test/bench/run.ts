// npm run bench -- NAME: runs one benchmark; each prints one JSON line per figure:
// {"bench":NAME,"metric":...,"value":N,"unit":...}
const BENCHES: Record<string, () => Promise<{ run(): Promise<void> }>> = {
  availability: () => import('./availability.js'),
  'sip-load': () => import('./sip-load.js'),
  'sip-refused': () => import('./sip-refused.js'),
  'rtp-pacing': () => import('./rtp-pacing.js'),
  takeover: () => import('./takeover.js'),
  'turn-latency': () => import('./turn-latency.js'),
  'barge-in': () => import('./barge-in.js'),
  engines: () => import('./engines.js'),
  scenarios: () => import('./scenarios.js'),
  'web-tls': () => import('./web-tls.js'),
  'web-ui': () => import('./web-ui.js'),
  identity: () => import('./identity.js'),
  understanding: () => import('./understanding.js'),
  'hearing-lm': () => import('./hearing-lm.js'),
  'hearing-nlu': () => import('./hearing-nlu.js'),
  sms: () => import('./sms.js'),
  'hearing-nb': () => import('./hearing-nb.js'),
  hearing: () => import('./hearing.js'),
};

const name = process.argv[2];
if (!name || !(name in BENCHES)) {
  console.error(`usage: npm run bench -- NAME   (one of: ${Object.keys(BENCHES).join(', ')})`);
  process.exit(2);
}
const mod = await (BENCHES[name] as () => Promise<{ run(): Promise<void> }>)();
await mod.run();
