// ferrum's ScalarStats, the cross-repeat aggregate of the LOCKED report fields (ferrum §3.2–3.3),
// bit-compatible on purpose, weaknesses included; the extension's honest version is repeat-stats.ts.

import type { ScalarStats } from '../schema/bench-report.js';
import { mean, sampleVariance } from './moments.js';

// Its weaknesses, kept for compatibility: no dispersion below 3 values; t from a 3-decimal table
// and 1.96 from df 30 on.

/** ferrum's two-sided 95 % t table for df 1..29 (stats.rs), three decimals. */
const FERRUM_T975_TABLE: readonly number[] = [
  12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.16, 2.145, 2.131,
  2.12, 2.11, 2.101, 2.093, 2.086, 2.08, 2.074, 2.069, 2.064, 2.06, 2.056, 2.052, 2.048, 2.045,
];

/** ferrum's t critical value: +∞ at df 0, the table for 1..29, 1.96 from 30 on. */
export function ferrumT975(df: number): number {
  if (df <= 0) return Number.POSITIVE_INFINITY;
  if (df < 30) return FERRUM_T975_TABLE[df - 1] as number;
  return 1.96;
}

/**
 * mean / sample stddev / 95 % CI half-width of per-repeat values, ferrum's rules:
 * n = 0 → all 0; n < 3 → mean only (stddev = ci = 0); n ≥ 3 → stddev with divisor n − 1 and
 * ci95_hw = t(df = n − 1) · stddev / √n, computed in that order (the last digit depends on it).
 */
export function scalarStats(values: ArrayLike<number>): ScalarStats {
  const n = values.length;
  if (n === 0) return { mean: 0, stddev: 0, ci95_hw: 0 };
  const m = mean(values);
  if (n < 3) return { mean: m, stddev: 0, ci95_hw: 0 };
  const stddev = Math.sqrt(sampleVariance(values, m));
  return { mean: m, stddev, ci95_hw: (ferrumT975(n - 1) * stddev) / Math.sqrt(n) };
}
