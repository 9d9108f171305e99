// Quantiles without a full sort and without touching the caller's arrays: large samples are read
// in one or two passes, small ones selected on a copy; either way the values equal those of a
// sorted copy exactly.

import { histogramRankWindows } from './histogram-rank-windows.js';
import { percentileAt } from './percentile.js';
import {
  extractNestedRankWindows,
  extractRankWindows,
  RANK_WINDOWS_MIN_LENGTH,
  type RankWindow,
} from './rank-windows.js';
import { type ScanSummary, scanSummary } from './scan-summary.js';
import { selectRanksInPlace } from './select-ranks.js';

// A large sample is read into sorted windows around the wanted ranks in one pass
// (rank-windows.ts), or in two by histogram when that cannot be used (histogram-rank-windows.ts);
// it is never copied whole (a column can be hundreds of MB). A small sample is copied and
// multi-selection places the wanted order statistics (select-ranks.ts). Either way the values are
// read by the one quantile formula (percentile.ts), so they equal those of a sorted copy exactly.

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
 * Random access to the order statistics of the multiset `parts` (never modified) with only the
 * work each question needs. Windows of a large sample are read into sorted copies, and so is any
 * other rank asked of it; a small sample is copied into one array and selected: ranks already
 * answered are remembered as fixed intervals, and a new selection only runs between the nearest
 * fixed ranks around it, so it never disturbs them.
 */
export class OrderStatistics {
  readonly n: number;
  private readonly parts: readonly Float64Array[];
  private joined: Float64Array | null = null;
  /** sum, min and max, once a scan has read them */
  private scanned: ScanSummary | null = null;
  /** disjoint, sorted [from, to] rank intervals of `joined` that hold their final values */
  private fixed: Array<[number, number]> = [];
  /** sorted copies of rank windows read in one pass */
  private windows: RankWindow[] = [];

  /** @param options.summary read the sum, min and max in the one-pass scan of a large sample, for
   * summary() (without it summary() costs a pass of its own) */
  constructor(
    parts: Float64Array | readonly Float64Array[],
    private readonly options: { readonly summary?: boolean } = {},
  ) {
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

  /** Sum (in the order of `parts`, see scan-summary.ts), min and max of the sample; read in the
   * same pass as the windows of a large sample when asked for in the constructor. */
  summary(): ScanSummary {
    if (this.scanned === null) this.scanned = scanSummary(this.parts);
    return this.scanned;
  }

  /** The rank-th smallest value (0-based). */
  at(rank: number): number {
    const cached = inWindows(this.windows, rank);
    if (cached !== undefined) return cached;
    // a rank far from every window of a large sample: one more read rather than a copy of it all
    if (this.readWindows([[rank, rank]])) return inWindows(this.windows, rank) as number;
    const a = this.array();
    const b = this.bounds(rank);
    if (!b.fixedAt) {
      selectRanksInPlace(a, [rank], b.lo, b.hi);
      this.markFixed(rank, rank);
    }
    return a[rank] as number;
  }

  /** Reads sorted windows of a large sample without reordering or copying it: in one pass, or
   * when that cannot be used (a guard missed, or too many values to copy) in two passes by
   * histogram; false when the sample is small. */
  private readWindows(windows: ReadonlyArray<readonly [number, number]>): boolean {
    if (this.n < RANK_WINDOWS_MIN_LENGTH) return false;
    const wantSummary = () => this.options.summary === true && this.scanned === null;
    let scan = extractRankWindows(this.parts, windows, { summary: wantSummary() });
    if (scan?.summary) this.scanned = scan.summary;
    if (scan?.windows == null) {
      scan = histogramRankWindows(this.parts, windows, { summary: wantSummary() });
      if (scan.summary) this.scanned = scan.summary;
    }
    this.windows.push(...(scan.windows ?? []));
    return true;
  }

  /** Windows clamped to 0..n−1, without those already read in one pass. */
  private unread(windows: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
    return windows
      .map(([from, to]): [number, number] => [Math.max(0, from), Math.min(this.n - 1, to)])
      .filter(([lo, hi]) => lo <= hi)
      .filter(([lo, hi]) => !this.windows.some((w) => lo >= w.from && hi < w.from + w.values.length));
  }

  /** Makes each [from, to] rank window (clamped to 0..n−1) cheap to read with at(). */
  sortWindows(windows: ReadonlyArray<readonly [number, number]>): void {
    const clamped = this.unread(windows);
    if (clamped.length === 0 || this.readWindows(clamped)) return;
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

  /**
   * Order statistics of nested prefixes of `parts` (the first prefixes[i] parts, non-decreasing),
   * each with the windows `windowsOf(its size)` sorted as sortWindows() sorts them; the windows of
   * the large ones are read in ONE shared pass (e.g. the ITL of the covered requests, a prefix of
   * the ITL of all of them).
   */
  static nested(
    parts: readonly Float64Array[],
    prefixes: readonly number[],
    windowsOf: (n: number) => ReadonlyArray<readonly [number, number]>,
    options: { readonly summary?: boolean } = {},
  ): OrderStatistics[] {
    const all = prefixes.map((count) => new OrderStatistics(parts.slice(0, count), options));
    const large = all
      .map((os, i) => ({ os, parts: prefixes[i] as number, windows: os.unread(windowsOf(os.n)) }))
      .filter((q) => q.os.n >= RANK_WINDOWS_MIN_LENGTH && q.windows.length > 0);
    const scans = large.length < 2 ? null : extractNestedRankWindows(parts, large, options);
    scans?.forEach((scan, i) => {
      const { os } = large[i] as (typeof large)[number];
      if (scan.summary !== null) os.scanned = scan.summary;
      if (scan.windows !== null) os.windows.push(...scan.windows);
    });
    // whatever the shared pass did not answer, each prefix reads alone
    for (const os of all) os.sortWindows(windowsOf(os.n));
    return all;
  }

  /** Type-7 quantiles for every q, reading all the ranks they need at once. */
  quantiles(qs: readonly number[]): number[] {
    this.sortWindows(quantileRanks(this.n, qs).map((r): [number, number] => [r, r]));
    return qs.map((q) => this.quantile(q));
  }
}

/**
 * Type-7 quantiles of the multiset `parts` (equal to sorting a copy; `parts` are not modified).
 * Large samples are read in one pass; small ones are selected on a copy.
 */
export function percentilesOf(
  parts: Float64Array | readonly Float64Array[],
  qs: readonly number[],
): number[] {
  return new OrderStatistics(parts).quantiles(qs);
}
