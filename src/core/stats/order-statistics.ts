// Quantiles without a full sort: a one-pass read of large samples (rank-windows.ts), else
// selection in place; either way the values equal those of a sorted copy exactly.

import { percentileAt } from './percentile.js';
import { extractRankWindows, RANK_WINDOWS_MIN_LENGTH, type RankWindow } from './rank-windows.js';

// A large sample is read in one pass into sorted windows around the wanted ranks
// (rank-windows.ts). Otherwise — small samples, or a window the one-pass method
// missed — selection places the wanted order statistics in place: Hoare partition around a
// median-of-three pivot, recursing only into the sides that hold a wanted rank, and sorting a
// subrange that recurses too deep (as introselect does). Either way the values are read by the one
// quantile formula (percentile.ts), so they equal those of a sorted copy exactly.

function insertionSort(a: Float64Array, lo: number, hi: number): void {
  for (let i = lo + 1; i <= hi; i++) {
    const v = a[i] as number;
    let j = i - 1;
    while (j >= lo && (a[j] as number) > v) {
      a[j + 1] = a[j] as number;
      j--;
    }
    a[j + 1] = v;
  }
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i] as number;
  a[i] = a[j] as number;
  a[j] = t;
}

/** Hoare partition of a[lo..hi] (hi − lo ≥ 2); returns j with a[lo..j] ≤ pivot ≤ a[j+1..hi]. */
function partition(a: Float64Array, lo: number, hi: number): number {
  const mid = lo + ((hi - lo) >>> 1);
  // median of three, ordered in place so the scans below cannot run off the range
  if ((a[mid] as number) < (a[lo] as number)) swap(a, mid, lo);
  if ((a[hi] as number) < (a[lo] as number)) swap(a, hi, lo);
  if ((a[hi] as number) < (a[mid] as number)) swap(a, hi, mid);
  const pivot = a[mid] as number;
  let i = lo - 1;
  let j = hi + 1;
  for (;;) {
    do i++;
    while ((a[i] as number) < pivot);
    do j--;
    while ((a[j] as number) > pivot);
    if (i >= j) return j;
    swap(a, i, j);
  }
}

function multiselect(
  a: Float64Array,
  lo: number,
  hi: number,
  ranks: readonly number[],
  rlo: number,
  rhi: number,
  depth: number,
): void {
  while (rlo < rhi && lo < hi) {
    if (hi - lo < 24) {
      insertionSort(a, lo, hi);
      return;
    }
    if (depth-- <= 0) {
      a.subarray(lo, hi + 1).sort();
      return;
    }
    const j = partition(a, lo, hi);
    let m = rlo;
    while (m < rhi && (ranks[m] as number) <= j) m++;
    if (m > rlo && m < rhi) {
      multiselect(a, lo, j, ranks, rlo, m, depth);
      lo = j + 1;
      rlo = m;
    } else if (m > rlo) {
      hi = j;
    } else {
      lo = j + 1;
    }
  }
}

/**
 * Reorders a[lo..hi] so that every rank in `ranks` (absolute indices in lo..hi, any order) holds
 * the value a full sort of a[lo..hi] would put there, with no larger value before it and no
 * smaller one after it. Everything else stays in the range.
 */
export function selectRanksInPlace(
  a: Float64Array,
  ranks: readonly number[],
  lo = 0,
  hi = a.length - 1,
): void {
  const sorted = [...new Set(ranks)].sort((x, y) => x - y);
  multiselect(a, lo, hi, sorted, 0, sorted.length, 2 * Math.ceil(Math.log2(hi - lo + 2)) + 16);
}

/** The ranks percentileAt reads for each q on n values. */
function quantileRanks(n: number, qs: readonly number[]): number[] {
  const ranks: number[] = [];
  if (n === 0) return ranks;
  for (const q of qs) ranks.push(Math.floor(q * (n - 1)), Math.ceil(q * (n - 1)));
  return ranks;
}

function totalLength(parts: readonly Float64Array[]): number {
  let n = 0;
  for (const p of parts) n += p.length;
  return n;
}

function concat(parts: readonly Float64Array[]): Float64Array {
  if (parts.length === 1) return parts[0] as Float64Array;
  const out = new Float64Array(totalLength(parts));
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

function inWindows(windows: readonly RankWindow[], rank: number): number | undefined {
  for (const w of windows)
    if (rank >= w.from && rank < w.from + w.values.length) return w.values[rank - w.from];
  return undefined;
}

/**
 * Random access to the order statistics of the multiset `parts` with only the work each question
 * needs. Windows of a large sample are read in one pass into sorted copies; otherwise the parts
 * are joined (a single part is used as is, and REORDERED in place) and selected: ranks already
 * answered are remembered as fixed intervals, and a new selection only runs between the nearest
 * fixed ranks around it, so it never disturbs them.
 */
export class OrderStatistics {
  readonly n: number;
  private readonly parts: readonly Float64Array[];
  private joined: Float64Array | null = null;
  /** disjoint, sorted [from, to] rank intervals of `joined` that hold their final values */
  private fixed: Array<[number, number]> = [];
  /** sorted copies of rank windows read in one pass */
  private windows: RankWindow[] = [];

  constructor(parts: Float64Array | readonly Float64Array[]) {
    this.parts = parts instanceof Float64Array ? [parts] : parts;
    this.n = totalLength(this.parts);
  }

  private array(): Float64Array {
    if (this.joined === null) this.joined = concat(this.parts);
    return this.joined;
  }

  private bounds(rank: number): { lo: number; hi: number; fixedAt: boolean } {
    let lo = 0;
    let hi = this.n - 1;
    for (const [from, to] of this.fixed) {
      if (rank >= from && rank <= to) return { lo: from, hi: to, fixedAt: true };
      if (to < rank) lo = to + 1;
      else if (from > rank) {
        hi = from - 1;
        break;
      }
    }
    return { lo, hi, fixedAt: false };
  }

  private markFixed(from: number, to: number): void {
    const merged: Array<[number, number]> = [];
    let cur: [number, number] = [from, to];
    for (const iv of this.fixed) {
      if (iv[1] < cur[0] - 1) merged.push(iv);
      else if (iv[0] > cur[1] + 1) {
        merged.push(cur);
        cur = iv;
      } else cur = [Math.min(cur[0], iv[0]), Math.max(cur[1], iv[1])];
    }
    merged.push(cur);
    this.fixed = merged;
  }

  /** The rank-th smallest value (0-based). */
  at(rank: number): number {
    const cached = inWindows(this.windows, rank);
    if (cached !== undefined) return cached;
    const a = this.array();
    const b = this.bounds(rank);
    if (!b.fixedAt) {
      selectRanksInPlace(a, [rank], b.lo, b.hi);
      this.markFixed(rank, rank);
    }
    return a[rank] as number;
  }

  /** Makes each [from, to] rank window (clamped to 0..n−1) cheap to read with at(). */
  sortWindows(windows: ReadonlyArray<readonly [number, number]>): void {
    const clamped = windows
      .map(([from, to]): [number, number] => [Math.max(0, from), Math.min(this.n - 1, to)])
      .filter(([lo, hi]) => lo <= hi);
    if (this.joined === null && this.n >= RANK_WINDOWS_MIN_LENGTH) {
      const extracted = extractRankWindows(this.parts, clamped);
      if (extracted !== null) {
        this.windows.push(...extracted);
        return;
      }
    }
    // select every window boundary, one multi-selection per unfixed gap, then sort the windows
    const a = this.array();
    const boundaries = [...new Set(clamped.flat())].sort((x, y) => x - y);
    let group: number[] = [];
    let groupBounds: { lo: number; hi: number } | null = null;
    const flush = () => {
      if (groupBounds !== null && group.length > 0) {
        selectRanksInPlace(a, group, groupBounds.lo, groupBounds.hi);
        for (const r of group) this.markFixed(r, r);
      }
      group = [];
    };
    for (const rank of boundaries) {
      const b = this.bounds(rank);
      if (b.fixedAt) continue;
      if (groupBounds === null || b.lo !== groupBounds.lo || b.hi !== groupBounds.hi) {
        flush();
        groupBounds = { lo: b.lo, hi: b.hi };
      }
      group.push(rank);
    }
    flush();
    for (const [lo, hi] of clamped) {
      a.subarray(lo, hi + 1).sort();
      this.markFixed(lo, hi);
    }
  }

  /** The type-7 q-quantile (same value as percentileSorted on a sorted copy). */
  quantile(q: number): number {
    return percentileAt(this.n, q, (i) => this.at(i));
  }
}

/**
 * Type-7 quantiles of the multiset `parts` (equal to sorting a copy). Large samples are read in
 * one pass; small ones are selected in place, which REORDERS a single part.
 */
export function percentilesOf(
  parts: Float64Array | readonly Float64Array[],
  qs: readonly number[],
): number[] {
  const os = new OrderStatistics(parts);
  os.sortWindows(quantileRanks(os.n, qs).map((r): [number, number] => [r, r]));
  return qs.map((q) => os.quantile(q));
}
