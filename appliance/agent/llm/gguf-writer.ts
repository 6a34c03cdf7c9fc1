// A minimal GGUF v3 writer: metadata key/values and F32 tensors, laid out as llama.cpp's
// ggml/src/gguf.cpp reads them (little-endian; header, key/values, tensor infos, padding to
// `general.alignment`, then each tensor's data at its offset, every offset a multiple of the
// alignment and exactly the padded sum of the tensors before it). Used to make tiny test models.

/** GGUF value types (gguf.h `enum gguf_type`). */
const GGUF_TYPE = {
  uint8: 0,
  int8: 1,
  uint16: 2,
  int16: 3,
  uint32: 4,
  int32: 5,
  float32: 6,
  bool: 7,
  string: 8,
  array: 9,
  uint64: 10,
  int64: 11,
  float64: 12,
} as const;

/** ggml_type of F32 tensors. */
const GGML_TYPE_F32 = 0;
const DEFAULT_ALIGNMENT = 32;

export type GgufScalar =
  | { type: 'uint32'; value: number }
  | { type: 'int32'; value: number }
  | { type: 'float32'; value: number }
  | { type: 'bool'; value: boolean }
  | { type: 'string'; value: string };

export type GgufArray =
  | { type: 'array'; of: 'string'; values: readonly string[] }
  | { type: 'array'; of: 'int32'; values: readonly number[] }
  | { type: 'array'; of: 'float32'; values: readonly number[] };

export type GgufValue = GgufScalar | GgufArray;

export interface GgufTensor {
  name: string;
  /** ggml order: dims[0] is the contiguous (row) length, as in ggml's `ne`. */
  dims: readonly number[];
  data: Float32Array;
}

/** Appends little-endian values to a growing list of chunks. */
class ByteSink {
  private readonly chunks: Buffer[] = [];
  length = 0;

  push(buf: Buffer): void {
    this.chunks.push(buf);
    this.length += buf.length;
  }
  u32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(v);
    this.push(b);
  }
  i32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeInt32LE(v);
    this.push(b);
  }
  u64(v: number): void {
    const b = Buffer.alloc(8);
    b.writeBigUInt64LE(BigInt(v));
    this.push(b);
  }
  f32(v: number): void {
    const b = Buffer.alloc(4);
    b.writeFloatLE(v);
    this.push(b);
  }
  str(s: string): void {
    const bytes = Buffer.from(s, 'utf8');
    this.u64(bytes.length);
    this.push(bytes);
  }
  padTo(alignment: number): void {
    const rem = this.length % alignment;
    if (rem !== 0) this.push(Buffer.alloc(alignment - rem));
  }
  concat(): Buffer {
    return Buffer.concat(this.chunks, this.length);
  }
}

function writeValue(out: ByteSink, value: GgufValue): void {
  switch (value.type) {
    case 'uint32':
      out.u32(GGUF_TYPE.uint32);
      out.u32(value.value);
      return;
    case 'int32':
      out.u32(GGUF_TYPE.int32);
      out.i32(value.value);
      return;
    case 'float32':
      out.u32(GGUF_TYPE.float32);
      out.f32(value.value);
      return;
    case 'bool':
      out.u32(GGUF_TYPE.bool);
      out.push(Buffer.from([value.value ? 1 : 0]));
      return;
    case 'string':
      out.u32(GGUF_TYPE.string);
      out.str(value.value);
      return;
    case 'array':
      out.u32(GGUF_TYPE.array);
      out.u32(GGUF_TYPE[value.of]);
      out.u64(value.values.length);
      if (value.of === 'string') for (const s of value.values) out.str(s);
      else if (value.of === 'int32') for (const n of value.values) out.i32(n);
      else for (const n of value.values) out.f32(n);
      return;
  }
}

/** Serialises a GGUF v3 file. Throws on a tensor whose data length does not match its dims. */
export function encodeGguf(metadata: ReadonlyMap<string, GgufValue>, tensors: readonly GgufTensor[]): Buffer {
  const alignmentValue = metadata.get('general.alignment');
  if (alignmentValue && alignmentValue.type !== 'uint32') throw new Error('general.alignment must be a uint32');
  const alignment = alignmentValue?.type === 'uint32' ? alignmentValue.value : DEFAULT_ALIGNMENT;

  const out = new ByteSink();
  out.push(Buffer.from('GGUF', 'latin1'));
  out.u32(3);
  out.u64(tensors.length);
  out.u64(metadata.size);
  for (const [key, value] of metadata) {
    out.str(key);
    writeValue(out, value);
  }

  let offset = 0;
  const offsets: number[] = [];
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (elements !== t.data.length) throw new Error(`tensor ${t.name}: ${t.data.length} values for dims ${t.dims.join('x')}`);
    out.str(t.name);
    out.u32(t.dims.length);
    for (const d of t.dims) out.u64(d);
    out.u32(GGML_TYPE_F32);
    out.u64(offset);
    offsets.push(offset);
    const bytes = t.data.byteLength;
    offset += Math.ceil(bytes / alignment) * alignment;
  }

  out.padTo(alignment);
  const dataStart = out.length;
  tensors.forEach((t, i) => {
    const at = dataStart + (offsets[i] as number);
    if (out.length < at) out.push(Buffer.alloc(at - out.length));
    const le = Buffer.alloc(t.data.byteLength);
    for (let j = 0; j < t.data.length; j++) le.writeFloatLE(t.data[j] as number, j * 4);
    out.push(le);
  });
  out.padTo(alignment);
  return out.concat();
}
