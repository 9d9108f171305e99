// Is B different from A for one metric? Welch's t-test from summary statistics (mean, sample
// stddev, n repeats; stats/welch.ts) with the p-value and the 95 % interval of the ratio B/A, the
// seed's CI-overlap rule beside it for compatibility, and a direction-aware verdict (SPEC §2.3, §7.1).
// Fewer than 3 repeats on either side is NOT ASSESSABLE, never significant (ferrum-behaviour §3.5.3).

import { WELCH_MIN_N, welchTTestFromSummaries } from '../stats/welch.js';
import type { Direction } from './metric-catalog.js';
import type { MetricSample } from './metric-sample.js';

export type Verdict = 'better' | 'worse' | 'no_significant_change' | 'not_assessable';

/** The minimum repeats per side for any claim (ferrum PLAYBOOK "3 minimum for claims"). */
export const MIN_REPEATS = WELCH_MIN_N;

export interface WelchResult {
  /** (mean_B − mean_A) / standard error; ±∞ when neither side has spread and the means differ */
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom (fractional) */
  readonly df: number;
  /** two-sided p-value */
  readonly pValue: number;
  /** 95 % interval of mean_B / mean_A (stats/welch.ts: delta method on the log scale); null unless both means > 0 */
  readonly ratioCi95: readonly [number, number] | null;
}

/** The seed's rule (`differs_from`): differ iff |mean_A − mean_B| > ci95_A + ci95_B. */
export type OverlapRule = 'differ' | 'overlap' | 'n/a';

export interface Assessment {
  readonly ratio: number | null;
  /** (B − A) / A × 100 */
  readonly changePct: number | null;
  /** how much worse B is than A, in % of A (negative when B is better); null when A is 0 or missing */
  readonly regressionPct: number | null;
  readonly welch: WelchResult | null;
  readonly overlap: OverlapRule;
  readonly verdict: Verdict;
  /** why the verdict is not_assessable, or a caveat */
  readonly reason?: string;
}

function overlapRule(a: MetricSample, b: MetricSample): OverlapRule {
  if (a.mean === null || b.mean === null) return 'n/a';
  return Math.abs(a.mean - b.mean) > a.ci95Hw + b.ci95Hw ? 'differ' : 'overlap';
}

/** Compares one metric of two cells. `alpha` is the two-sided significance level (0.05). */
export function assess(a: MetricSample, b: MetricSample, direction: Direction, alpha: number): Assessment {
  const overlap = overlapRule(a, b);
  if (a.mean === null || b.mean === null) {
    const reason = [a.unavailable && `A: ${a.unavailable}`, b.unavailable && `B: ${b.unavailable}`]
      .filter(Boolean)
      .join('; ');
    return {
      ratio: null,
      changePct: null,
      regressionPct: null,
      welch: null,
      overlap,
      verdict: 'not_assessable',
      reason,
    };
  }
  const ratio = a.mean === 0 ? null : b.mean / a.mean;
  const changePct = ratio === null ? null : (ratio - 1) * 100;
  const regressionPct = changePct === null ? null : direction === 'lower_is_better' ? changePct : -changePct;
  const base = { ratio, changePct, regressionPct, overlap };
  if (a.n < MIN_REPEATS || b.n < MIN_REPEATS) {
    return {
      ...base,
      welch: null,
      verdict: 'not_assessable',
      reason: `fewer than ${MIN_REPEATS} repeats (A n=${a.n}, B n=${b.n})`,
    };
  }
  const test = welchTTestFromSummaries(
    { mean: a.mean, stddev: a.stddev ?? 0, n: a.n },
    { mean: b.mean, stddev: b.stddev ?? 0, n: b.n },
  );
  if (!test.assessable) return { ...base, welch: null, verdict: 'not_assessable', reason: test.reason };
  const ci = test.ratioCi95;
  const welch: WelchResult = {
    t: test.t,
    df: test.df,
    pValue: test.pValue,
    ratioCi95: ci === null ? null : [ci.low, ci.high],
  };
  if (welch.pValue >= alpha) return { ...base, welch, verdict: 'no_significant_change' };
  const bHigher = b.mean > a.mean;
  const better = direction === 'higher_is_better' ? bHigher : !bHigher;
  return { ...base, welch, verdict: better ? 'better' : 'worse' };
}
