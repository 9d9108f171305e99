// Welch's unequal-variance t-test between two cells' per-repeat values (SPEC §2.3), with the
// ratio B/A of the means and its 95 % interval. Fewer than 3 values on either side is "not
// assessable", never significant (ferrum's CI-overlap rule made any n < 3 difference significant).

import { mean, sampleVariance } from './moments.js';
import { studentTQuantile, studentTSurvival } from './student-t.js';

// Ratio interval: the delta method on the log scale. ln(mB/mA) has approximate variance
// rA + rB with rX = sX² / (nX · mX²); its df come from Welch–Satterthwaite on rA and rB, and
// exp(ln R ± t(0.975, df) · √(rA + rB)) is the interval (asymmetric, always positive). It needs
// both means > 0, which holds for latencies and throughputs; otherwise the ratio interval is null.

/** The summary a Welch test needs; stddev is the sample stddev (divisor n − 1). */
export interface SummaryStats {
  readonly mean: number;
  readonly stddev: number;
  readonly n: number;
}

export interface WelchNotAssessable {
  readonly assessable: false;
  readonly reason: string;
  readonly nA: number;
  readonly nB: number;
}

export interface WelchAssessable {
  readonly assessable: true;
  readonly nA: number;
  readonly nB: number;
  readonly meanA: number;
  readonly meanB: number;
  /** (meanB − meanA) / √(sA²/nA + sB²/nB); ±∞ when both variances are 0 and the means differ */
  readonly t: number;
  /** Welch–Satterthwaite degrees of freedom (nA + nB − 2 when both variances are 0) */
  readonly df: number;
  /** two-sided p-value */
  readonly pValue: number;
  /** meanB / meanA; null when meanA is 0 */
  readonly ratio: number | null;
  /** 95 % interval of the ratio (delta method, log scale); null unless both means are > 0 */
  readonly ratioCi95: { readonly low: number; readonly high: number } | null;
}

export type WelchResult = WelchNotAssessable | WelchAssessable;

/** The minimum number of values on each side for a verdict. */
export const WELCH_MIN_N = 3;

function ratioInterval(a: SummaryStats, b: SummaryStats): { low: number; high: number } | null {
  if (!(a.mean > 0 && b.mean > 0)) return null;
  const ratio = b.mean / a.mean;
  const rA = (a.stddev * a.stddev) / (a.n * a.mean * a.mean);
  const rB = (b.stddev * b.stddev) / (b.n * b.mean * b.mean);
  const se = Math.sqrt(rA + rB);
  if (se === 0) return { low: ratio, high: ratio };
  const df = ((rA + rB) * (rA + rB)) / ((rA * rA) / (a.n - 1) + (rB * rB) / (b.n - 1));
  const half = studentTQuantile(0.975, df) * se;
  const logRatio = Math.log(ratio);
  return { low: Math.exp(logRatio - half), high: Math.exp(logRatio + half) };
}

/** Welch's test from summaries (what a 0.7.7 report carries: mean, stddev, n). */
export function welchTTestFromSummaries(a: SummaryStats, b: SummaryStats): WelchResult {
  if (a.n < WELCH_MIN_N || b.n < WELCH_MIN_N) {
    return {
      assessable: false,
      reason: `needs at least ${WELCH_MIN_N} repeats on each side (A has ${a.n}, B has ${b.n})`,
      nA: a.n,
      nB: b.n,
    };
  }
  const vA = (a.stddev * a.stddev) / a.n;
  const vB = (b.stddev * b.stddev) / b.n;
  const diff = b.mean - a.mean;
  const se = Math.sqrt(vA + vB);
  let t: number;
  let df: number;
  let pValue: number;
  if (se === 0) {
    t = diff === 0 ? 0 : diff > 0 ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY;
    df = a.n + b.n - 2;
    pValue = diff === 0 ? 1 : 0;
  } else {
    t = diff / se;
    df = ((vA + vB) * (vA + vB)) / ((vA * vA) / (a.n - 1) + (vB * vB) / (b.n - 1));
    pValue = Math.min(1, 2 * studentTSurvival(Math.abs(t), df));
  }
  return {
    assessable: true,
    nA: a.n,
    nB: b.n,
    meanA: a.mean,
    meanB: b.mean,
    t,
    df,
    pValue,
    ratio: a.mean === 0 ? null : b.mean / a.mean,
    ratioCi95: ratioInterval(a, b),
  };
}

function summarise(values: readonly (number | null)[]): SummaryStats {
  const present = values.filter((v): v is number => v !== null);
  const m = mean(present);
  return { mean: m, stddev: Math.sqrt(sampleVariance(present, m)), n: present.length };
}

/** Welch's test on per-repeat values of A and B (null = missing repeat, excluded). t is for B − A. */
export function welchTTest(a: readonly (number | null)[], b: readonly (number | null)[]): WelchResult {
  return welchTTestFromSummaries(summarise(a), summarise(b));
}
