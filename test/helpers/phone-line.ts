// A phone line for the hearing benches: 16 kHz speech down to 8 kHz, through a real G.711 round
// trip (the appliance's own codec), 20 ms packets of which a seeded few are lost and concealed as
// the receiver does (media/loss-concealer.ts), and back up to 16 kHz as the voice pipeline hands
// narrowband calls to the recogniser.
import { decodeAlaw, decodeUlaw, encodeAlaw, encodeUlaw } from '../../appliance/media/g711.js';
import { LossConcealer } from '../../appliance/media/loss-concealer.js';
import { Downsampler2x, Upsampler2x } from '../../appliance/media/resampler.js';
import { seededRandom } from '../../appliance/shared/random.js';

const PACKET = 160; // 20 ms at 8 kHz

export function phoneLine(audio: Int16Array, opts: { law?: 'ulaw' | 'alaw'; lossPct?: number; seed?: number } = {}): Int16Array {
  const narrow = new Downsampler2x().process(audio);
  const rng = seededRandom(opts.seed ?? 7);
  const concealer = new LossConcealer(PACKET);
  const up = new Upsampler2x();
  const out = new Int16Array(narrow.length * 2);
  for (let at = 0; at < narrow.length; at += PACKET) {
    const frame = new Int16Array(PACKET);
    frame.set(narrow.subarray(at, at + PACKET));
    let heard: Int16Array;
    if (rng() * 100 < (opts.lossPct ?? 0)) {
      heard = new Int16Array(PACKET);
      concealer.conceal(heard);
    } else {
      heard = opts.law === 'alaw' ? decodeAlaw(encodeAlaw(frame)) : decodeUlaw(encodeUlaw(frame));
      concealer.good(heard);
    }
    out.set(up.process(heard).subarray(0, Math.min(2 * PACKET, out.length - 2 * at)), 2 * at);
  }
  return out;
}
