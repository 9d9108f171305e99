// Order statistics of a large sample (possibly split over several arrays) in ONE pass, without
// reordering it: a sampled value range per wanted rank window, a byte table of buckets, a scan
// that also gives the sample's sum, min and max (every pass over tens of millions of values costs
// as much as the arithmetic on them).

// 1. Take a strided sample and, for each wanted window of ranks, pick a value range that contains
//    it with a wide guard (5 binomial standard deviations of a sample rank): only the sample ranks
//    at the guards are selected (select-ranks.ts), the sample is not sorted.
// 2. Map values to order-preserving buckets (value-buckets.ts) and mark in a byte table which
//    buckets lie inside a wanted range. One scan then costs a table lookup per value: values in
//    marked buckets are copied, the others only counted per gap between ranges.
// 3. The copies of each range hold the ranks right after the values counted below it, so selecting
//    each wanted window's bounds among the copies and sorting between them gives its exact values.
// When a guard was not wide enough the wanted ranks are not covered, and when the ranges would copy
// too much (heavy ties) no scan is made: the caller then reads by histogram
// (histogram-rank-windows.ts); the result is exact either way.

import {
  type RunningSummary,
  runningSummary,
  type ScanSummary,
  summarizeInto,
  summaryOf,
} from './scan-summary.js';
import { selectRanksInPlace } from './select-ranks.js';
import { BUCKET_BITS, BUCKETS, bucketOf, highWordIndex } from './value-buckets.js';

/** Ranks from `from` on, in order: values[i] is the (from + i)-th smallest value. */
export interface RankWindow {
  readonly from: number;
  readonly values: Float64Array;
}

/** What one scan read. */
export interface RankWindowScan {
  /** sorted windows covering every requested one, or null when a guard missed */
  readonly windows: RankWindow[] | null;
  /** when asked for: the same values as scanSummary(parts) gives (same order of summation) */
  readonly summary: ScanSummary | null;
}

export interface RankWindowOptions {
  /** also read the sum, min and max in the scan; default false */
  readonly summary?: boolean;
}

/** Below this size the in-place selection is as fast and needs no extra memory. */
export const RANK_WINDOWS_MIN_LENGTH = 100_000;

/**
 * The sample size: reading a sampled value costs a cache miss (tens of ns), while a smaller sample
 * needs wider guards and so copies more values; the two balance near 2·n^⅔ (20 000 of 1 M values,
 * 58 000 of 5 M, 210 000 of 35 M), kept within 4 096 and 262 144.
 */
function sampleSize(n: number): number {
  return Math.min(n, 262_144, Math.max(4096, Math.round(2 * n ** (2 / 3))));
}
/** Give up (and let the caller read by histogram) when the ranges would copy more than this share
 * of a sample, unless that is still few values (a small sample needs wide guards). */
const MAX_COPY_SHARE = 0.25;
const ALWAYS_COPYABLE = 1 << 20;

/** The bucket table, allocated on first use and reused: 1 MB that would otherwise be garbage
 * after every call (large buffers are what trigger full garbage collections). */
let table: Uint8Array | null = null;
function scratchTable(): Uint8Array {
  if (table === null) table = new Uint8Array(BUCKETS);
  return table;
}

export function totalLength(parts: readonly Float64Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

/** m values of the concatenation of `parts` at evenly spaced positions (i + ½)·n/m. */
function stridedSample(parts: readonly Float64Array[], n: number, m: number): Float64Array {
  const sample = new Float64Array(m);
  let part = 0;
  let offset = 0;
  for (let i = 0; i < m; i++) {
    const at = Math.floor(((i + 0.5) * n) / m);
    while (at >= offset + (parts[part] as Float64Array).length)
      offset += (parts[part++] as Float64Array).length;
    sample[i] = (parts[part] as Float64Array)[at - offset] as number;
  }
  return sample;
}

/** Merges [from, to] rank windows into disjoint ascending ones (overlapping or adjacent joined). */
export function mergeWindows(windows: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const sorted = windows.map(([from, to]): [number, number] => [from, to]).sort((x, y) => x[0] - y[0]);
  const merged: Array<[number, number]> = [];
  for (const w of sorted) {
    const last = merged.at(-1);
    if (last !== undefined && w[0] <= last[1] + 1) last[1] = Math.max(last[1], w[1]);
    else merged.push(w);
  }
  return merged;
}

/** What scanTagged had read at a checkpoint. */
interface TaggedScan {
  /** the values in tagged-odd buckets, in scan order: copies[0..size) */
  readonly copies: Float64Array;
  readonly size: number;
  /** values whose bucket carries `tag` */
  countOf(tag: number): number;
  readonly summary: ScanSummary | null;
}

const EMPTY = new Float64Array(0);

/** The copies of the last scan, reused by the next one (a few MB stay allocated): writing fresh
 * memory costs a page fault per 4 KB, about as much as the copying itself. Windows are copied out
 * of it before extractNestedRankWindows returns. */
let copiesScratch = EMPTY;
function copiesBuffer(capacity: number, keep = 0): Float64Array {
  if (copiesScratch.length < capacity) {
    const grown = new Float64Array(capacity);
    grown.set(copiesScratch.subarray(0, keep));
    copiesScratch = grown;
  }
  return copiesScratch;
}

/** Values per block: the tagging loop and the summing loop read a block while it is in cache. */
const BLOCK = 4096;

/**
 * One pass over `parts`: counts the values per bucket tag (`table`), copies those whose tag is
 * odd, and when `summing` adds them up with min and max; what it had read after the first
 * `checkpoints[i]` parts (non-decreasing counts) is its i-th result. The tagging loop handles four values at a
 * time with a counter set per lane, so that consecutive values with the same tag do not wait on
 * each other's increment; the sum runs as its own loop over the same block, which keeps both loops
 * simple enough to compile well (together they took twice as long).
 */
function scanTagged(
  parts: readonly Float64Array[],
  table: Uint8Array,
  capacity: number,
  summing: boolean,
  checkpoints: readonly number[],
): TaggedScan[] {
  let copies = copiesBuffer(Math.max(64, capacity));
  let size = 0;
  // counts[tag · 4 + lane]; a lane counts at most a quarter of the values, so 32 bits hold any
  // sample that fits in memory
  const counts = new Uint32Array(256 * 4);
  const acc: RunningSummary = runningSummary();
  const w = highWordIndex();
  const shift = 32 - BUCKET_BITS;
  const results: TaggedScan[] = [];
  const checkpoint = () => {
    const at = counts.slice();
    const summary = summing ? summaryOf(acc) : null;
    const total = (tag: number) =>
      (at[tag << 2] as number) +
      (at[(tag << 2) | 1] as number) +
      (at[(tag << 2) | 2] as number) +
      (at[(tag << 2) | 3] as number);
    // `copies` may still be replaced by a larger copy: read it through the final result
    results.push({ copies: EMPTY, size, countOf: total, summary });
  };
  let done = 0;
  while (results.length < checkpoints.length && checkpoints[results.length] === 0) checkpoint();
  for (const part of parts) {
    const words = new Uint32Array(part.buffer, part.byteOffset, part.length * 2);
    const length = part.length;
    for (let from = 0; from < length; from += BLOCK) {
      const to = Math.min(length, from + BLOCK);
      if (size + (to - from) > copies.length) {
        copies = copiesBuffer(2 * copies.length + (to - from), size);
      }
      let i = from;
      for (; i + 3 < to; i += 4) {
        const h0 = words[2 * i + w] as number;
        const h1 = words[2 * i + 2 + w] as number;
        const h2 = words[2 * i + 4 + w] as number;
        const h3 = words[2 * i + 6 + w] as number;
        const t0 = table[((h0 ^ ((h0 >> 31) | 0x80000000)) >>> 0) >>> shift] as number;
        const t1 = table[((h1 ^ ((h1 >> 31) | 0x80000000)) >>> 0) >>> shift] as number;
        const t2 = table[((h2 ^ ((h2 >> 31) | 0x80000000)) >>> 0) >>> shift] as number;
        const t3 = table[((h3 ^ ((h3 >> 31) | 0x80000000)) >>> 0) >>> shift] as number;
        counts[t0 << 2] = (counts[t0 << 2] as number) + 1;
        counts[(t1 << 2) | 1] = (counts[(t1 << 2) | 1] as number) + 1;
        counts[(t2 << 2) | 2] = (counts[(t2 << 2) | 2] as number) + 1;
        counts[(t3 << 2) | 3] = (counts[(t3 << 2) | 3] as number) + 1;
        if (((t0 | t1 | t2 | t3) & 1) !== 0) {
          copies[size] = part[i] as number;
          size += t0 & 1;
          copies[size] = part[i + 1] as number;
          size += t1 & 1;
          copies[size] = part[i + 2] as number;
          size += t2 & 1;
          copies[size] = part[i + 3] as number;
          size += t3 & 1;
        }
      }
      for (; i < to; i++) {
        const h = words[2 * i + w] as number;
        const t = table[((h ^ ((h >> 31) | 0x80000000)) >>> 0) >>> shift] as number;
        counts[t << 2] = (counts[t << 2] as number) + 1;
        copies[size] = part[i] as number;
        size += t & 1;
      }
      if (summing) summarizeInto(acc, part, from, to);
    }
    done++;
    while (results.length < checkpoints.length && checkpoints[results.length] === done) checkpoint();
  }
  return results.map((r) => ({ ...r, copies }));
}

/** Rank windows wanted of the multiset formed by the first `parts` parts. */
export interface NestedRankQuery {
  readonly parts: number;
  readonly windows: ReadonlyArray<readonly [number, number]>;
}

/**
 * Exact sorted windows covering every requested [from, to] rank range (0-based, inclusive,
 * within 0..n−1) of the multiset `parts`, and optionally their sum, min and max, in one pass;
 * `windows` null in the result when a guard missed. Null (no scan made) when the ranges are too
 * wide to be worth copying. `parts` are read only.
 */
export function extractRankWindows(
  parts: readonly Float64Array[],
  windows: ReadonlyArray<readonly [number, number]>,
  options: RankWindowOptions = {},
): RankWindowScan | null {
  return extractNestedRankWindows(parts, [{ parts: parts.length, windows }], options)?.[0] ?? null;
}

/**
 * extractRankWindows for several multisets that are prefixes of one list of parts (the ITL of the
 * covered requests and the ITL of all of them), in ONE pass: one result per query, in order.
 * Queries must be ordered by `parts` (non-decreasing), each prefix non-empty, with windows. Null
 * (no scan made) when the ranges are too wide to be worth copying.
 */
export function extractNestedRankWindows(
  parts: readonly Float64Array[],
  queries: readonly NestedRankQuery[],
  options: RankWindowOptions = {},
): RankWindowScan[] | null {
  const summing = options.summary === true;
  // per query: its size, wanted windows and the bucket range around each
  const plans = queries.map((q) => {
    const prefix = parts.slice(0, q.parts);
    const n = totalLength(prefix);
    const wanted = mergeWindows(q.windows);
    const m = sampleSize(n);
    const sample = stridedSample(prefix, n, m);
    const guard = (p: number) => Math.ceil(5 * Math.sqrt(m * p * (1 - p) + 1)) + 8;
    // the sample ranks that bound each window with its guard; only those are selected, not sorted
    const bounds = wanted.map(([from, to]): [number, number] => [
      Math.floor((from / n) * m) - guard(from / n),
      Math.ceil((to / n) * m) + guard(to / n),
    ]);
    selectRanksInPlace(
      sample,
      bounds.flat().filter((i) => i >= 0 && i < m),
    );
    const ranges = bounds.map(([iLo, iHi]): [number, number] => [
      iLo < 0 ? 0 : bucketOf(sample[iLo] as number),
      iHi >= m ? BUCKETS - 1 : bucketOf(sample[iHi] as number),
    ]);
    return { n, wanted, sample, ranges };
  });
  const last = plans.at(-1);
  if (last === undefined || plans.some((p) => p.n === 0 || p.wanted.length === 0)) return null;
  // bucket ranges of every query, merged so that every bucket belongs to at most one range
  const merged = mergeWindows(plans.flatMap((p) => p.ranges));
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
  // the largest query sees every copy: its sample tells how many there will be
  let expected = 0;
  for (const v of last.sample) if (((table[bucketOf(v)] as number) & 1) === 1) expected++;
  const m = last.sample.length;
  if (expected / m > MAX_COPY_SHARE && (expected / m) * last.n > ALWAYS_COPYABLE) return null;
  // One scan (see scanTagged), read at the end of each query's prefix. The ranges are disjoint and
  // ascending in value, so in sorted order the copies of range j come right after those of ranges
  // 0..j−1, and their ranks right after everything below range j.
  const scans = scanTagged(
    parts,
    table,
    Math.ceil(((expected + 32) * last.n * 1.3) / m),
    summing,
    queries.map((q) => q.parts),
  );
  // Each query in prefix order: selecting inside copies[0, size) reorders only that prefix of the
  // copies, which keeps the multiset of every longer prefix; its windows are copied out first.
  return plans.map(({ wanted }, qi) => {
    const scan = scans[qi] as TaggedScan;
    const summary = scan.summary;
    // Each wanted window must lie inside one range; its place among the copies is then known, and
    // selecting the window bounds there and sorting between them gives its exact values.
    const placed: Array<[number, number]> = [];
    let rank = 0;
    let offset = 0;
    let w = 0;
    for (let j = 0; j < k && w < wanted.length; j++) {
      rank += scan.countOf(2 * j);
      const count = scan.countOf(2 * j + 1);
      for (; w < wanted.length; w++) {
        const [from, to] = wanted[w] as [number, number];
        if (from < rank || (from < rank + count && to >= rank + count)) return { windows: null, summary };
        if (from >= rank + count) break; // above this range: try the next one
        placed.push([offset + from - rank, offset + to - rank]);
      }
      rank += count;
      offset += count;
    }
    if (placed.length < wanted.length) return { windows: null, summary };
    const found = scan.copies.subarray(0, scan.size);
    selectRanksInPlace(found, placed.flat());
    return {
      windows: placed.map(([lo, hi], i) => ({
        from: (wanted[i] as [number, number])[0],
        values: found.slice(lo, hi + 1).sort(),
      })),
      summary,
    };
  });
}
