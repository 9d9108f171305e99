// Sum (double-double, as accurate-sum.ts), minimum and maximum of a sample in ONE pass: the
// pooled statistics read tens of millions of ITL samples, and every extra pass over them costs
// as much as the arithmetic.

export interface ScanSummary {
  /** Σ values, effectively independent of their order (see accurate-sum.ts) */
  readonly sum: number;
  /** +∞ for an empty sample */
  readonly min: number;
  /** −∞ for an empty sample */
  readonly max: number;
}

/** Sum, min and max of the multiset `parts` (finite values). */
export function scanSummary(parts: readonly ArrayLike<number>[]): ScanSummary {
  let hi = 0;
  let lo = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const x = part[i] as number;
      if (x < min) min = x;
      if (x > max) max = x;
      const s = hi + x;
      const bp = s - hi;
      lo += hi - (s - bp) + (x - bp);
      hi = s;
    }
  }
  return { sum: hi + lo, min, max };
}
