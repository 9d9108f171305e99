// Exact order statistics of a large sample in two passes and bounded memory, whatever its values:
// a count per bucket (value-buckets.ts) finds the bucket of every wanted rank, and only the
// buckets that hold more than one distinct value are copied. What order-statistics.ts falls back
// to when the one-pass read (rank-windows.ts) cannot be used, e.g. on heavily tied samples.

// A timer with a coarse resolution makes ties: ITL samples of 0, 1 and 2 ms put a third of a
// sample in one bucket each, more than the one-pass read copies. Here a bucket whose values are all
// equal is never copied, so such a sample costs two passes and the tables (about 20 MB), not a
// copy of the sample (a 35 M-sample column is 280 MB).

import type { RankWindow, RankWindowScan } from './rank-windows.js';
import { mergeWindows } from './rank-windows.js';
import { runningSummary, summarizeInto, summaryOf } from './scan-summary.js';
import { BUCKET_BITS, BUCKETS, highWordIndex } from './value-buckets.js';

/** Values per block: the bucket loop and the summing loop read a block while it is in cache. */
const BLOCK = 4096;

/** True when y is not the same double as x (−0 and +0 differ: a sort puts −0 first). */
function differs(x: number, y: number): boolean {
  return x !== y || (x === 0 && 1 / x !== 1 / y);
}

/**
 * Sorted windows for every requested [from, to] rank range (0-based, inclusive, within 0..n−1) of
 * the multiset `parts` (read only), and when `summary` is asked the sum, min and max (read in the
 * first pass, as scan-summary.ts). Never misses.
 */
export function histogramRankWindows(
  parts: readonly Float64Array[],
  windows: ReadonlyArray<readonly [number, number]>,
  options: { readonly summary?: boolean } = {},
): RankWindowScan {
  const counts = new Uint32Array(BUCKETS);
  /** the first value seen in each bucket, and whether another one came */
  const first = new Float64Array(BUCKETS);
  const mixed = new Uint8Array(BUCKETS);
  const acc = runningSummary();
  const w = highWordIndex();
  const shift = 32 - BUCKET_BITS;
  for (const part of parts) {
    const words = new Uint32Array(part.buffer, part.byteOffset, part.length * 2);
    for (let from = 0; from < part.length; from += BLOCK) {
      const to = Math.min(part.length, from + BLOCK);
      for (let i = from; i < to; i++) {
        const hi = words[2 * i + w] as number;
        const b = ((hi ^ ((hi >> 31) | 0x80000000)) >>> 0) >>> shift;
        const x = part[i] as number;
        const c = counts[b] as number;
        if (c === 0) first[b] = x;
        else if (mixed[b] === 0 && differs(x, first[b] as number)) mixed[b] = 1;
        counts[b] = c + 1;
      }
      if (options.summary === true) summarizeInto(acc, part, from, to);
    }
  }
  // the buckets the wanted ranks fall in; the mixed ones get a slice of `copies`, in bucket order
  const wanted = mergeWindows(windows);
  /** copy offset of each wanted mixed bucket, −1 for the others */
  const cursor = new Int32Array(BUCKETS).fill(-1);
  /** per wanted window: its buckets as [bucket, first rank in it] */
  const spans: Array<Array<[number, number]>> = wanted.map(() => []);
  let copied = 0;
  let rank = 0;
  let next = 0;
  for (let b = 0; b < BUCKETS && next < wanted.length; b++) {
    const c = counts[b] as number;
    if (c === 0) continue;
    // every window overlapping [rank, rank + c) wants this bucket
    for (let j = next; j < wanted.length; j++) {
      const [from, to] = wanted[j] as [number, number];
      if (from >= rank + c) break;
      if (to < rank) continue;
      spans[j]?.push([b, rank]);
      if (mixed[b] === 1 && cursor[b] === -1) {
        cursor[b] = copied;
        copied += c;
      }
    }
    rank += c;
    while (next < wanted.length && (wanted[next] as [number, number])[1] < rank) next++;
  }
  // second pass, only when a wanted bucket holds different values: copy those buckets, each into
  // its slice, then sort each slice
  const copies = new Float64Array(copied);
  if (copied > 0) {
    const start = cursor.slice();
    for (const part of parts) {
      const words = new Uint32Array(part.buffer, part.byteOffset, part.length * 2);
      for (let i = 0; i < part.length; i++) {
        const hi = words[2 * i + w] as number;
        const b = ((hi ^ ((hi >> 31) | 0x80000000)) >>> 0) >>> shift;
        const at = cursor[b] as number;
        if (at >= 0) {
          copies[at] = part[i] as number;
          cursor[b] = at + 1;
        }
      }
    }
    for (let b = 0; b < BUCKETS; b++) {
      const from = start[b] as number;
      if (from >= 0) copies.subarray(from, from + (counts[b] as number)).sort();
    }
    cursor.set(start);
  }
  const out: RankWindow[] = wanted.map(([from, to], j) => {
    const values = new Float64Array(to - from + 1);
    for (const [b, bucketRank] of spans[j] ?? []) {
      const lo = Math.max(from, bucketRank);
      const hi = Math.min(to, bucketRank + (counts[b] as number) - 1);
      const at = cursor[b] as number;
      for (let r = lo; r <= hi; r++)
        values[r - from] = at >= 0 ? (copies[at + r - bucketRank] as number) : (first[b] as number);
    }
    return { from, values };
  });
  return { windows: out, summary: options.summary === true ? summaryOf(acc) : null };
}
