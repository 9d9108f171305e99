// The one quantile function of goodput: linear interpolation between order statistics, numpy's
// default ("linear", Hyndman & Fan type 7), written exactly as ferrum's stats.rs does it so the
// golden vectors match to the last digit (ferrum-behaviour §3.1).

/**
 * The q-quantile (q a fraction in [0, 1]) of n values whose i-th smallest is `at(i)`:
 * pos = q·(n − 1); result = x[lo]·(1 − frac) + x[hi]·frac. Empty input gives 0 (ferrum's rule);
 * one element gives that element. Reads only ranks ⌊pos⌋ and ⌈pos⌉, which is what lets
 * order-statistics.ts answer it after a partial selection instead of a full sort.
 */
export function percentileAt(n: number, q: number, at: (rank: number) => number): number {
  if (n === 0) return 0;
  if (n === 1) return at(0);
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const frac = pos - lo;
  return at(lo) * (1 - frac) + at(hi) * frac;
}

/** The q-quantile of values that are ALREADY sorted ascending (see percentileAt). */
export function percentileSorted(sorted: ArrayLike<number>, q: number): number {
  return percentileAt(sorted.length, q, (i) => sorted[i] as number);
}

/** The q-quantile of values in any order (copied and sorted; the input is not modified). */
export function percentile(values: ArrayLike<number>, q: number): number {
  return percentileSorted(sortedCopy(values), q);
}

/** Several quantiles of values in any order, sorting once. */
export function percentiles(values: ArrayLike<number>, qs: readonly number[]): number[] {
  const sorted = sortedCopy(values);
  return qs.map((q) => percentileSorted(sorted, q));
}

/** An ascending Float64Array copy of values (numeric order; NaN would sort last). */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const copy = Float64Array.from(values);
  copy.sort();
  return copy;
}
