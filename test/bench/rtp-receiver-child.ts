// Child process of the rtp-pacing bench: binds UDP ports, timestamps every packet on arrival, and
// reports the inter-arrival times per port when told to stop.
import { createSocket, type Socket } from 'node:dgram';

const count = Number(process.argv[2] ?? 1);
const sockets: Socket[] = [];
const arrivals: number[][] = [];

async function main(): Promise<void> {
  for (let i = 0; i < count; i++) {
    const s = createSocket('udp4');
    const list: number[] = [];
    arrivals.push(list);
    s.on('message', () => list.push(Number(process.hrtime.bigint()) / 1e6));
    await new Promise<void>((r) => s.bind(0, '127.0.0.1', () => r()));
    sockets.push(s);
  }
  process.send?.({ ports: sockets.map((s) => s.address().port) });
  process.on('message', (m) => {
    if (m !== 'stop') return;
    for (const s of sockets) s.close();
    const intervals = arrivals.map((a) => a.slice(1).map((t, i) => t - (a[i] as number)));
    process.send?.({ intervals }, () => process.exit(0));
  });
}
void main();
