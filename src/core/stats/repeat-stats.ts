// The extension's cross-repeat statistics (SPEC §2.3): a repeat without a value is missing, not
// 0; the t quantile is exact; n / stddev / ci95_hw are always written from 2 values on.

import type { RepeatStats } from '../schema/extension.js';
import { mean, sampleVariance } from './moments.js';
import { studentTQuantile } from './student-t.js';

// Unlike ferrum's ScalarStats, a missing repeat does not drag the mean towards 0, and ferrum's
// n < 3 rule with its omitted zeros no longer makes "n ≥ 3, no variance" look like "n < 3".

/**
 * Statistics of per-repeat values (in repeat order; null = missing). With n contributing values:
 * n = 0 → everything null; n = 1 → mean only; n ≥ 2 → sample stddev (divisor n − 1), the exact
 * t(0.975, n − 1) and ci95_hw = t · stddev / √n. `values` echoes the input, nulls included.
 */
export function repeatStats(values: readonly (number | null)[]): RepeatStats {
  const present = values.filter((v): v is number => v !== null);
  const n = present.length;
  if (n === 0) return { n: 0, mean: null, stddev: null, ci95_hw: null, t: null, values: [...values] };
  const m = mean(present);
  if (n === 1) return { n, mean: m, stddev: null, ci95_hw: null, t: null, values: [...values] };
  const stddev = Math.sqrt(sampleVariance(present, m));
  const t = studentTQuantile(0.975, n - 1);
  return { n, mean: m, stddev, ci95_hw: (t * stddev) / Math.sqrt(n), t, values: [...values] };
}
