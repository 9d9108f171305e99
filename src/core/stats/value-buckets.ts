// Order-preserving buckets of doubles, read straight from their bit patterns: the top BUCKET_BITS
// bits of the IEEE-754 pattern with the sign flipped (sign, exponent and 8 mantissa bits, so each
// bucket is ≤ 0.4 % wide). rank-windows.ts and histogram-rank-windows.ts find order statistics by
// bucket; their scans inline bucketFromHighWord's formula on a Uint32Array view of the values.

export const BUCKET_BITS = 20;
export const BUCKETS = 1 << BUCKET_BITS;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);

/** Index of the high 32-bit word of a double in a Uint32Array view (1 on little-endian machines). */
export function highWordIndex(): number {
  scratch[0] = 1; // 0x3ff00000_00000000
  return scratchWords[1] === 0x3ff00000 ? 1 : 0;
}

/** The bucket of a double from the high 32 bits of its pattern (negative values below positive). */
export function bucketFromHighWord(hi: number): number {
  return ((hi ^ ((hi >> 31) | 0x80000000)) >>> 0) >>> (32 - BUCKET_BITS);
}

/** The order-preserving bucket of a double. */
export function bucketOf(value: number): number {
  const index = highWordIndex();
  scratch[0] = value;
  return bucketFromHighWord(scratchWords[index] as number);
}
