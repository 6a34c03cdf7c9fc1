// ITU-T G.711 µ-law and A-law, bit-exact with the reference implementation in ITU-T G.191 (g711.c).
// The tables are built once from the reference algorithms: encoding looks up the 14-bit (µ-law) or
// 13-bit (A-law) linear value, decoding looks up the 8-bit code.

function ulawCompressReference(sample: number): number {
  // G.191 ulaw_compress: 1's complement for negatives, then 14 significant bits plus a bias of 33.
  let absno = sample < 0 ? (~sample >> 2) + 33 : (sample >> 2) + 33;
  if (absno > 0x1fff) absno = 0x1fff;
  let i = absno >> 6;
  let segno = 1;
  while (i !== 0) {
    segno++;
    i >>= 1;
  }
  const high = 0x08 - segno;
  const low = 0x0f - ((absno >> segno) & 0x0f);
  let code = (high << 4) | low;
  if (sample >= 0) code |= 0x80;
  return code & 0xff;
}

function ulawExpandReference(code: number): number {
  const sign = code < 0x80 ? -1 : 1;
  const inverted = ~code;
  const exponent = (inverted >> 4) & 0x07;
  const segment = exponent + 1;
  const mantissa = inverted & 0x0f;
  const step = 4 << segment;
  return sign * ((0x80 << exponent) + step * mantissa + step / 2 - 4 * 33);
}

function alawCompressReference(sample: number): number {
  // G.191 alaw_compress: 1's complement for negatives, 12 significant bits, even bits toggled.
  let ix = sample < 0 ? ~sample >> 4 : sample >> 4;
  if (ix > 15) {
    let iexp = 1;
    while (ix > 16 + 15) {
      ix >>= 1;
      iexp++;
    }
    ix -= 16;
    ix += iexp << 4;
  }
  if (sample >= 0) ix |= 0x80;
  return (ix ^ 0x55) & 0xff;
}

function alawExpandReference(code: number): number {
  let ix = (code ^ 0x55) & 0x7f;
  const iexp = ix >> 4;
  let mant = ix & 0x0f;
  if (iexp > 0) mant += 16;
  mant = (mant << 4) + 0x08;
  if (iexp > 1) mant <<= iexp - 1;
  ix = code > 127 ? mant : -mant;
  return ix;
}

// µ-law depends only on sample >> 2 (14 bits), A-law only on sample >> 3 (13 bits): for negative
// samples (~s) >> k === ~(s >> k), so the shifted value indexes the table for both signs.
const ULAW_ENCODE = new Uint8Array(1 << 14);
const ALAW_ENCODE = new Uint8Array(1 << 13);
const ULAW_DECODE = new Int16Array(256);
const ALAW_DECODE = new Int16Array(256);

for (let i = 0; i < 1 << 14; i++) {
  const sample = (i << 18) >> 16; // sign-extend the 14-bit index back to a 16-bit sample
  ULAW_ENCODE[i] = ulawCompressReference(sample);
}
for (let i = 0; i < 1 << 13; i++) {
  const sample = (i << 19) >> 16;
  ALAW_ENCODE[i] = alawCompressReference(sample);
}
for (let code = 0; code < 256; code++) {
  ULAW_DECODE[code] = ulawExpandReference(code);
  ALAW_DECODE[code] = alawExpandReference(code);
}

/** µ-law code of one 16-bit linear sample. */
export function linearToUlaw(sample: number): number {
  return ULAW_ENCODE[(sample >> 2) & 0x3fff] ?? 0xff;
}

/** 16-bit linear value of one µ-law code (14-bit precision, left-justified). */
export function ulawToLinear(code: number): number {
  return ULAW_DECODE[code & 0xff] ?? 0;
}

/** A-law code of one 16-bit linear sample. */
export function linearToAlaw(sample: number): number {
  return ALAW_ENCODE[(sample >> 3) & 0x1fff] ?? 0xd5;
}

/** 16-bit linear value of one A-law code (13-bit precision, left-justified). */
export function alawToLinear(code: number): number {
  return ALAW_DECODE[code & 0xff] ?? 0;
}

export function encodeUlaw(pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = ULAW_ENCODE[((pcm[i] ?? 0) >> 2) & 0x3fff] ?? 0xff;
  return out;
}

export function decodeUlaw(payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = ULAW_DECODE[payload[i] ?? 0xff] ?? 0;
  return out;
}

export function encodeAlaw(pcm: Int16Array): Buffer {
  const out = Buffer.allocUnsafe(pcm.length);
  for (let i = 0; i < pcm.length; i++) out[i] = ALAW_ENCODE[((pcm[i] ?? 0) >> 3) & 0x1fff] ?? 0xd5;
  return out;
}

export function decodeAlaw(payload: Uint8Array): Int16Array {
  const out = new Int16Array(payload.length);
  for (let i = 0; i < payload.length; i++) out[i] = ALAW_DECODE[payload[i] ?? 0xd5] ?? 0;
  return out;
}
