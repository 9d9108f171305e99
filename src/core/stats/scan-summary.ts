// Sum, minimum and maximum of a sample in ONE pass. The sum is order-independent in practice (a
// double-double accumulator), so a report does not change with the order its records arrived in.

// Knuth's TwoSum keeps the rounding error of every addition in a second accumulator, and the two
// are added once at the end. Its error is about n·ε² of the total, so the result is the correctly
// rounded sum except when the exact sum lies within that distance of a rounding boundary; in
// practice the pooled means are the same whatever order the records arrived in (completion order,
// shards merged in any order), where a plain left-to-right sum differs in the last digits. About
// 2× the cost of a plain sum. The running form lets a scan that reads the values for another
// purpose (rank-windows.ts) sum them block by block on the way.

export interface ScanSummary {
  /** Σ values, effectively independent of their order */
  readonly sum: number;
  /** +∞ for an empty sample */
  readonly min: number;
  /** −∞ for an empty sample */
  readonly max: number;
}

/** The state of a running summary: the double-double sum (hi + lo), min and max so far. */
export interface RunningSummary {
  hi: number;
  lo: number;
  min: number;
  max: number;
}

export function runningSummary(): RunningSummary {
  return { hi: 0, lo: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
}

/** Adds values[from..to) to `acc`, in order. */
export function summarizeInto(
  acc: RunningSummary,
  values: ArrayLike<number>,
  from: number,
  to: number,
): void {
  let hi = acc.hi;
  let lo = acc.lo;
  let min = acc.min;
  let max = acc.max;
  for (let i = from; i < to; i++) {
    const x = values[i] as number;
    if (x < min) min = x;
    if (x > max) max = x;
    const s = hi + x;
    const bp = s - hi;
    lo += hi - (s - bp) + (x - bp);
    hi = s;
  }
  acc.hi = hi;
  acc.lo = lo;
  acc.min = min;
  acc.max = max;
}

export function summaryOf(acc: RunningSummary): ScanSummary {
  return { sum: acc.hi + acc.lo, min: acc.min, max: acc.max };
}

/** Sum, min and max of the multiset `parts` (finite values). */
export function scanSummary(parts: readonly ArrayLike<number>[]): ScanSummary {
  const acc = runningSummary();
  for (const part of parts) summarizeInto(acc, part, 0, part.length);
  return summaryOf(acc);
}
