// Order statistics of a large sample (possibly split over several arrays) in ONE pass, without
// reordering it: a sampled value range per wanted rank window, a byte table of buckets, a scan.

// 1. Take a strided sample, sort it, and for each wanted window of ranks pick a value range that
//    contains it with a wide guard (6 binomial standard deviations of a sample rank).
// 2. Map values to 2^20 order-preserving buckets (the top 20 bits of the IEEE-754 pattern with the
//    sign flipped: sign, exponent and 8 mantissa bits, so each bucket is ≤ 0.4 % wide) and mark in
//    a byte table which buckets lie inside a wanted range. One scan then costs a table lookup per
//    value: values in marked buckets are copied, the others only counted per gap between ranges.
// 3. Sorting the copies gives the exact order statistics of every rank they cover.
// When a guard was not wide enough the wanted ranks are not covered and the caller falls back to
// in-place selection (order-statistics.ts); the result is exact either way.

/** Ranks from `from` on, in order: values[i] is the (from + i)-th smallest value. */
export interface RankWindow {
  readonly from: number;
  readonly values: Float64Array;
}

/** Below this size the in-place selection is as fast and needs no extra memory. */
export const RANK_WINDOWS_MIN_LENGTH = 100_000;

/** The sample: 1/16 of the values (sorting it stays a small part of the work), 4 096 to 262 144. */
const MAX_SAMPLE = 262_144;
const BUCKET_BITS = 20;
const BUCKETS = 1 << BUCKET_BITS;
/** Give up (and let the caller select in place) when the ranges would copy more than this share. */
const MAX_COPY_SHARE = 0.25;

const scratch = new Float64Array(1);
const scratchWords = new Uint32Array(scratch.buffer);
/** The bucket table, allocated on first use and reused: 1 MB that would otherwise be garbage
 * after every call (large buffers are what trigger full garbage collections). */
let table: Uint8Array | null = null;
function scratchTable(): Uint8Array {
  if (table === null) table = new Uint8Array(BUCKETS);
  return table;
}
/** Index of the high 32-bit word of a double in a Uint32Array view (1 on little-endian machines). */
function highWordIndex(): number {
  scratch[0] = 1; // 0x3ff00000_00000000
  return scratchWords[1] === 0x3ff00000 ? 1 : 0;
}

/** The order-preserving bucket of a double (negative values below positive ones). */
export function bucketOf(value: number): number {
  const index = highWordIndex();
  scratch[0] = value;
  const hi = scratchWords[index] as number;
  return ((hi ^ ((hi >> 31) | 0x80000000)) >>> 0) >>> (32 - BUCKET_BITS);
}

function totalLength(parts: readonly Float64Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** The i-th value of the concatenation of `parts` (for sampling). */
function valueAt(parts: readonly Float64Array[], i: number): number {
  let offset = i;
  for (const p of parts) {
    if (offset < p.length) return p[offset] as number;
    offset -= p.length;
  }
  throw new RangeError(`index ${i} is outside the sample`);
}

/**
 * Exact sorted windows covering every requested [from, to] rank range (0-based, inclusive,
 * within 0..n−1) of the multiset `parts`, or null when a guard missed or the ranges are too wide
 * to be worth copying. `parts` are read only.
 */
export function extractRankWindows(
  parts: readonly Float64Array[],
  windows: ReadonlyArray<readonly [number, number]>,
): RankWindow[] | null {
  const n = totalLength(parts);
  if (n === 0 || windows.length === 0) return [];
  const m = Math.min(n, MAX_SAMPLE, Math.max(4096, Math.floor(n / 16)));
  const sample = new Float64Array(m);
  for (let i = 0; i < m; i++) sample[i] = valueAt(parts, Math.floor(((i + 0.5) * n) / m));
  sample.sort();
  const guard = (p: number) => Math.ceil(5 * Math.sqrt(m * p * (1 - p) + 1)) + 8;
  // bucket ranges per window, merged so that every bucket belongs to at most one range
  const ranges = windows
    .map(([from, to]) => {
      const iLo = Math.floor((from / n) * m) - guard(from / n);
      const iHi = Math.ceil((to / n) * m) + guard(to / n);
      return [
        iLo < 0 ? 0 : bucketOf(sample[iLo] as number),
        iHi >= m ? BUCKETS - 1 : bucketOf(sample[iHi] as number),
      ] as [number, number];
    })
    .sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const r of ranges) {
    const last = merged.at(-1);
    if (last !== undefined && r[0] <= last[1] + 1) last[1] = Math.max(last[1], r[1]);
    else merged.push([r[0], r[1]]);
  }
  const k = merged.length;
  if (k > 120) return null;
  // table[bucket] = 2·j + 1 inside range j, 2·g in the gap g before range g (g = k above all)
  const table = scratchTable();
  let gapStart = 0;
  merged.forEach(([lo, hi], j) => {
    table.fill(2 * j, gapStart, lo);
    table.fill(2 * j + 1, lo, hi + 1);
    gapStart = hi + 1;
  });
  table.fill(2 * k, gapStart);
  let expected = 0;
  for (let i = 0; i < m; i++) if (((table[bucketOf(sample[i] as number)] as number) & 1) === 1) expected++;
  if (expected / m > MAX_COPY_SHARE) return null;
  // One scan: count the values in each gap and copy those inside a range. The ranges are disjoint
  // and ascending, so one sort of all copies puts each range's values together, in range order.
  let copies = new Float64Array(Math.max(64, Math.ceil(((expected + 32) * n * 1.3) / m)));
  let size = 0;
  const below = new Float64Array(k + 1);
  const inside = new Float64Array(k);
  const hiWord = highWordIndex();
  for (const part of parts) {
    const words = new Uint32Array(part.buffer, part.byteOffset, part.length * 2);
    for (let i = 0; i < part.length; i++) {
      const hi = words[2 * i + hiWord] as number;
      const tag = table[((hi ^ ((hi >> 31) | 0x80000000)) >>> 0) >>> (32 - BUCKET_BITS)] as number;
      const j = tag >> 1;
      if ((tag & 1) === 0) {
        below[j] = (below[j] as number) + 1;
        continue;
      }
      inside[j] = (inside[j] as number) + 1;
      if (size === copies.length) {
        const grown = new Float64Array(copies.length * 2);
        grown.set(copies);
        copies = grown;
      }
      copies[size++] = part[i] as number;
    }
  }
  const sorted = copies.subarray(0, size).sort();
  const out: RankWindow[] = [];
  let rank = 0;
  let offset = 0;
  for (let j = 0; j < k; j++) {
    rank += below[j] as number;
    const count = inside[j] as number;
    out.push({ from: rank, values: sorted.subarray(offset, offset + count) });
    rank += count;
    offset += count;
  }
  for (const [from, to] of windows) {
    if (!out.some((w) => from >= w.from && to < w.from + w.values.length)) return null;
  }
  return out;
}
