// The acoustic model's mixture weights in the form sphinxtrain reads. Debian's en-us model (a PTM
// model for pocketsphinx) ships its weights only as `sendump`: pocketsphinx's 8-bit quantised
// negative logs (read_sendump in pocketsphinx's ptm_mgau.c), while sphinxtrain's `bw`, which
// collects the statistics for MLLR and MAP adaptation, needs a sphinx3 `mixture_weights` file of
// float32 probabilities. Pure: bytes in, bytes out.

/** Mixture weights: probabilities indexed [senone][feature stream][density]. */
export interface MixtureWeights {
  senones: number;
  features: number;
  densities: number;
  /** senones * features * densities values, the density varying fastest. */
  weights: Float32Array;
}

/** pocketsphinx's log base (-logbase 1.0001) and the shift of its 8-bit weights (SENSCR_SHIFT). */
const LOG_BASE = 1.0001;
const SHIFT = 10;

export class SendumpFormatError extends Error {
  readonly code = 'ERR_SENDUMP_FORMAT';
}

/**
 * Reads a sendump as pocketsphinx does: a title, header strings up to an empty one (feature_count,
 * cluster_count), then for cluster_count 0 the rows (densities) and columns (senones) and, per
 * feature stream and density, one byte per senone: w = LOG_BASE^-(byte << SHIFT).
 */
export function readSendump(buf: Buffer): MixtureWeights {
  let at = 0;
  const int = (): number => {
    if (at + 4 > buf.length) throw new SendumpFormatError('sendump cut short');
    const v = buf.readInt32LE(at);
    at += 4;
    return v;
  };
  const header: string[] = [];
  for (let first = true; ; first = false) {
    const n = int();
    if (n === 0 && !first) break;
    if (n < 1 || n > 65536) throw new SendumpFormatError(`header string length ${n} out of range (big-endian files are not read)`);
    header.push(buf.toString('latin1', at, at + n - 1));
    at += n;
  }
  const value = (key: string): number | null => {
    // The last one counts, as in pocketsphinx (each line read overwrites the value).
    const line = header.findLast((h) => h.startsWith(`${key} `));
    return line === undefined ? null : Number(line.slice(key.length + 1));
  };
  const features = value('feature_count') ?? 1;
  if ((value('cluster_count') ?? 0) !== 0) throw new SendumpFormatError('clustered (compressed) sendump files are not read');
  if ((value('cluster_bits') ?? 8) !== 8) throw new SendumpFormatError('only 8-bit sendump files are read');
  const densities = int();
  const senones = int();
  if (buf.length - at !== features * densities * senones) {
    throw new SendumpFormatError(`sendump holds ${buf.length - at} weight bytes, expected ${features}x${densities}x${senones}`);
  }
  const weights = new Float32Array(senones * features * densities);
  const lnBase = Math.log(LOG_BASE);
  for (let f = 0; f < features; f++) {
    for (let d = 0; d < densities; d++) {
      for (let s = 0; s < senones; s++) {
        const q = buf[at++] as number;
        weights[(s * features + f) * densities + d] = Math.exp(-(q << SHIFT) * lnBase);
      }
    }
  }
  return { senones, features, densities, weights };
}

/**
 * A sphinx3 binary mixture_weights file (s3mixw_write): the "s3" header, the byte-order magic,
 * the three dimensions, the value count and the float32 values, little-endian. No checksum is
 * written (the header does not claim one), which sphinxtrain's reader accepts.
 */
export function mixtureWeightsFile(m: MixtureWeights): Buffer {
  const head = Buffer.from('s3\nversion 1.0\nendhdr\n', 'latin1');
  const dims = Buffer.alloc(4 * 5);
  dims.writeUInt32LE(0x11223344, 0);
  dims.writeUInt32LE(m.senones, 4);
  dims.writeUInt32LE(m.features, 8);
  dims.writeUInt32LE(m.densities, 12);
  dims.writeUInt32LE(m.weights.length, 16);
  const body = Buffer.alloc(m.weights.length * 4);
  for (let i = 0; i < m.weights.length; i++) body.writeFloatLE(m.weights[i] as number, i * 4);
  return Buffer.concat([head, dims, body]);
}
