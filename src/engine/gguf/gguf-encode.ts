// The GGUF v3 binary layout (ggml's gguf.md): header, typed metadata key/values, tensor infos,
// then F32 tensor data at aligned offsets. Encodes in memory; the caller decides where it goes.

/** Metadata value types of GGUF (ggml's `gguf_type`). Only the ones goodput writes. */
const GGUF_TYPE = { uint32: 4, int32: 5, float32: 6, bool: 7, string: 8, array: 9 } as const;

/** ggml tensor type id of 32-bit floats. */
const GGML_TYPE_F32 = 0;
const GGUF_VERSION = 3;
/** Default alignment of tensor data when `general.alignment` is not set (gguf.md). */
const GGUF_DEFAULT_ALIGNMENT = 32;

export type GgufScalar =
  | { readonly kind: 'uint32'; readonly value: number }
  | { readonly kind: 'int32'; readonly value: number }
  | { readonly kind: 'float32'; readonly value: number }
  | { readonly kind: 'bool'; readonly value: boolean }
  | { readonly kind: 'string'; readonly value: string };

export type GgufValue =
  | GgufScalar
  | { readonly kind: 'array'; readonly itemKind: 'string'; readonly values: readonly string[] }
  | { readonly kind: 'array'; readonly itemKind: 'float32' | 'int32'; readonly values: readonly number[] };

export interface GgufTensor {
  readonly name: string;
  /** ggml order: dims[0] is the innermost (contiguous) dimension */
  readonly dims: readonly number[];
  readonly data: Float32Array;
}

/** Growable little-endian byte sink. */
class ByteSink {
  private buf = Buffer.alloc(1 << 16);
  length = 0;

  private reserve(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = Buffer.alloc(size);
    this.buf.copy(next, 0, 0, this.length);
    this.buf = next;
  }
  u32(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.length);
    this.length += 4;
  }
  i32(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v, this.length);
    this.length += 4;
  }
  u64(v: number): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt(v), this.length);
    this.length += 8;
  }
  f32(v: number): void {
    this.reserve(4);
    this.buf.writeFloatLE(v, this.length);
    this.length += 4;
  }
  u8(v: number): void {
    this.reserve(1);
    this.buf.writeUInt8(v, this.length);
    this.length += 1;
  }
  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.length);
    this.length += b.length;
  }
  /** gguf_string: u64 byte length, then UTF-8 bytes without a terminator */
  str(s: string): void {
    const b = Buffer.from(s, 'utf8');
    this.u64(b.length);
    this.bytes(b);
  }
  padTo(alignment: number): void {
    const pad = (alignment - (this.length % alignment)) % alignment;
    this.reserve(pad);
    this.buf.fill(0, this.length, this.length + pad);
    this.length += pad;
  }
  result(): Buffer {
    return this.buf.subarray(0, this.length);
  }
}

function writeScalar(sink: ByteSink, v: GgufScalar): void {
  if (v.kind === 'uint32') sink.u32(v.value);
  else if (v.kind === 'int32') sink.i32(v.value);
  else if (v.kind === 'float32') sink.f32(v.value);
  else if (v.kind === 'bool') sink.u8(v.value ? 1 : 0);
  else sink.str(v.value);
}

function writeValue(sink: ByteSink, v: GgufValue): void {
  sink.u32(GGUF_TYPE[v.kind]);
  if (v.kind !== 'array') {
    writeScalar(sink, v);
    return;
  }
  sink.u32(GGUF_TYPE[v.itemKind]);
  sink.u64(v.values.length);
  if (v.itemKind === 'string') for (const s of v.values) sink.str(s);
  else if (v.itemKind === 'float32') for (const x of v.values) sink.f32(x);
  else for (const x of v.values) sink.i32(x);
}

/**
 * Encodes a complete GGUF v3 file. Tensor data is aligned to `general.alignment` when the metadata
 * sets it (as a uint32), else to 32 bytes; each tensor's offset is relative to the data section.
 */
export function encodeGguf(
  metadata: ReadonlyArray<readonly [string, GgufValue]>,
  tensors: readonly GgufTensor[],
): Buffer {
  const alignmentEntry = metadata.find(([k]) => k === 'general.alignment')?.[1];
  const alignment = alignmentEntry?.kind === 'uint32' ? alignmentEntry.value : GGUF_DEFAULT_ALIGNMENT;
  const sink = new ByteSink();
  sink.bytes(Buffer.from('GGUF', 'ascii'));
  sink.u32(GGUF_VERSION);
  sink.u64(tensors.length);
  sink.u64(metadata.length);
  for (const [key, value] of metadata) {
    sink.str(key);
    writeValue(sink, value);
  }
  let offset = 0;
  for (const t of tensors) {
    const elements = t.dims.reduce((a, b) => a * b, 1);
    if (elements !== t.data.length) {
      throw new RangeError(
        `tensor ${t.name}: dims ${t.dims.join('×')} hold ${elements} values, data has ${t.data.length}`,
      );
    }
    sink.str(t.name);
    sink.u32(t.dims.length);
    for (const d of t.dims) sink.u64(d);
    sink.u32(GGML_TYPE_F32);
    sink.u64(offset);
    offset += Math.ceil(t.data.byteLength / alignment) * alignment;
  }
  sink.padTo(alignment);
  for (const t of tensors) {
    sink.bytes(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
    sink.padTo(alignment);
  }
  return sink.result();
}
