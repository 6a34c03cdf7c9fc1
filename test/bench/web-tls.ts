// npm run bench -- web-tls: what HTTPS costs the staff web UI on this machine. The certificate
// made at first start and loaded at later ones, and GET /api/health over loopback on plain HTTP
// and on TLS, each on a new connection (a full handshake) and on a kept-alive one.
import { request as httpRequest, Agent as HttpAgent } from 'node:http';
import { request as httpsRequest, Agent as HttpsAgent } from 'node:https';
import { join } from 'node:path';
import { createLogger } from '../../appliance/log.js';
import { systemClock } from '../../appliance/shared/clock.js';
import { WebListeners } from '../../appliance/web/listeners.js';
import { ensureCertificate } from '../../appliance/web/tls.js';
import { tempDir } from '../helpers/spa.js';
import { openTestWeb } from '../helpers/web.js';
import { emit, percentile } from './report.js';

const BENCH = 'web-tls';
const CERTIFICATES = 20;
const REQUESTS = 300;

type Request = typeof httpRequest | typeof httpsRequest;

function get(request: Request, url: string, opts: { agent: HttpAgent | HttpsAgent | false; ca: string }): Promise<void> {
  return new Promise((resolve, reject) => {
    request(url, opts, (res) => {
      res.resume();
      res.on('end', () => resolve());
    })
      .on('error', reject)
      .end();
  });
}

export async function run(): Promise<void> {
  const log = createLogger({ level: 'silent' });
  const names = { dns: ['spa-box', 'spa-box.local', 'localhost'], ips: ['192.168.1.5', '127.0.0.1', '::1'] };
  const clock = systemClock;
  const dir = tempDir('spa-bench-tls-');
  const made: number[] = [];
  const loaded: number[] = [];
  try {
    for (let i = 0; i < CERTIFICATES; i++) {
      const dataDir = join(dir.path, String(i));
      let t = performance.now();
      await ensureCertificate({ dataDir, names, clock, log });
      made.push(performance.now() - t);
      t = performance.now();
      await ensureCertificate({ dataDir, names, clock, log });
      loaded.push(performance.now() - t);
    }
    emit(BENCH, 'certificate_made_p50', percentile(made.sort((a, b) => a - b), 50), 'ms', { runs: CERTIFICATES });
    emit(BENCH, 'certificate_loaded_p50', percentile(loaded.sort((a, b) => a - b), 50), 'ms', { runs: CERTIFICATES });

    const cert = await ensureCertificate({ dataDir: join(dir.path, 'serve'), names, clock, log });
    const web = await openTestWeb();
    const listeners = new WebListeners({ app: web.app, log, bind: '127.0.0.1', httpPort: 0, httpsPort: 0, certificate: cert });
    await listeners.start();
    try {
      const cases: [metric: string, request: Request, url: string, agent: () => HttpAgent | HttpsAgent | false][] = [
        ['http_new_connection', httpRequest, `http://127.0.0.1:${listeners.httpPort}/api/health`, () => false],
        ['https_new_connection', httpsRequest, `https://127.0.0.1:${listeners.httpsPort}/api/health`, () => false],
        ['http_keepalive', httpRequest, `http://127.0.0.1:${listeners.httpPort}/api/health`, () => new HttpAgent({ keepAlive: true })],
        ['https_keepalive', httpsRequest, `https://127.0.0.1:${listeners.httpsPort}/api/health`, () => new HttpsAgent({ keepAlive: true, ca: cert.cert })],
      ];
      for (const [metric, request, url, makeAgent] of cases) {
        const agent = makeAgent();
        const times: number[] = [];
        for (let i = 0; i < REQUESTS; i++) {
          const t = performance.now();
          await get(request, url, { agent, ca: cert.cert });
          times.push(performance.now() - t);
        }
        if (agent) agent.destroy();
        times.sort((a, b) => a - b);
        emit(BENCH, `${metric}_p50`, percentile(times, 50), 'ms', { requests: REQUESTS });
        emit(BENCH, `${metric}_p95`, percentile(times, 95), 'ms', { requests: REQUESTS });
      }
    } finally {
      await listeners.stop();
      web.spa.close();
    }
  } finally {
    dir.remove();
  }
}
