// The exact Student-t distribution for any real df > 0 (CDF through the regularized incomplete
// beta, quantile by safeguarded Newton), checked against SciPy (test/fixtures/student-t.json).

import { logBeta, regularizedIncompleteBeta } from './special-functions.js';

// The quantile iteration is bracketed and falls back to bisection, started from a Cornish–Fisher
// guess; it matches SciPy for df 1..1000 and beyond to 1e-9.

function checkDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df))
    throw new RangeError(`Student-t df must be finite and > 0, got ${df}`);
}

/** P(T > t) for t ≥ 0: ½ · I_{ν/(ν+t²)}(ν/2, ½), with 1 − x passed as t²/(ν + t²). */
function upperTail(t: number, df: number): number {
  const t2 = t * t;
  const denom = df + t2;
  return 0.5 * regularizedIncompleteBeta(df / 2, 0.5, df / denom, t2 / denom);
}

/** P(T > t), the survival function. */
export function studentTSurvival(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 0;
  if (t === Number.NEGATIVE_INFINITY) return 1;
  return t >= 0 ? upperTail(t, df) : 1 - upperTail(-t, df);
}

/** P(T ≤ t), the cumulative distribution function. */
export function studentTCdf(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (t === Number.POSITIVE_INFINITY) return 1;
  if (t === Number.NEGATIVE_INFINITY) return 0;
  return t >= 0 ? 1 - upperTail(t, df) : upperTail(-t, df);
}

/** The density of T at t. */
export function studentTPdf(t: number, df: number): number {
  checkDf(df);
  return Math.exp(-0.5 * Math.log(df) - logBeta(df / 2, 0.5) - ((df + 1) / 2) * Math.log1p((t * t) / df));
}

/** Acklam's rational approximation of the standard normal quantile (relative error < 1.2e-9);
 * only a starting point here, the Newton iteration below supplies the precision. */
function normalQuantile(p: number): number {
  const a = [
    -39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716,
    2.506628277459239,
  ];
  const b = [
    -54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572,
  ];
  const c = [
    -0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968,
    2.938163982698783,
  ];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const [a0, a1, a2, a3, a4, a5] = a as [number, number, number, number, number, number];
  const [b0, b1, b2, b3, b4] = b as [number, number, number, number, number];
  const [c0, c1, c2, c3, c4, c5] = c as [number, number, number, number, number, number];
  const [d0, d1, d2, d3] = d as [number, number, number, number];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c0 * q + c1) * q + c2) * q + c3) * q + c4) * q + c5) /
      ((((d0 * q + d1) * q + d2) * q + d3) * q + 1)
    );
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a0 * r + a1) * r + a2) * r + a3) * r + a4) * r + a5) * q) /
    (((((b0 * r + b1) * r + b2) * r + b3) * r + b4) * r + 1)
  );
}

/** Cornish–Fisher expansion of the t quantile around the normal one (good for df ≳ 3). */
function cornishFisherGuess(z: number, df: number): number {
  const z2 = z * z;
  const g1 = (z * (z2 + 1)) / 4;
  const g2 = (z * ((5 * z2 + 16) * z2 + 3)) / 96;
  const g3 = (z * (((3 * z2 + 19) * z2 + 17) * z2 - 15)) / 384;
  const g4 = (z * ((((79 * z2 + 776) * z2 + 1482) * z2 - 1920) * z2 - 945)) / 92160;
  return z + g1 / df + g2 / df ** 2 + g3 / df ** 3 + g4 / df ** 4;
}

/** The t > 0 with P(T > t) = alpha, for 0 < alpha < ½. */
function upperQuantile(alpha: number, df: number): number {
  if (df === 1) return Math.tan(Math.PI * (0.5 - alpha));
  if (df === 2) return (1 - 2 * alpha) / Math.sqrt(2 * alpha * (1 - alpha));
  let t = cornishFisherGuess(-normalQuantile(alpha), df);
  if (!(t > 0) || !Number.isFinite(t)) t = 1;
  // Bracket [lo, hi] with upperTail(lo) ≥ alpha ≥ upperTail(hi).
  let lo = 0;
  let hi = t;
  while (upperTail(hi, df) > alpha) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return Number.POSITIVE_INFINITY;
  }
  for (let iter = 0; iter < 200; iter++) {
    const tail = upperTail(t, df);
    if (tail === alpha) return t;
    if (tail > alpha) lo = t;
    else hi = t;
    // d(tail)/dt = −pdf, so Newton's step on tail(t) − alpha is +(tail − alpha)/pdf.
    let next = t + (tail - alpha) / studentTPdf(t, df);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    if (Math.abs(next - t) <= 1e-15 * Math.max(1, t)) return next;
    t = next;
  }
  return t;
}

/**
 * The p-quantile of Student's t with `df` degrees of freedom (real df > 0): the t with
 * P(T ≤ t) = p. E.g. studentTQuantile(0.975, 30) ≈ 2.0423 (ferrum used 1.96 there, 4 % low).
 * p = 0 gives −∞ and p = 1 gives +∞.
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p >= 0 && p <= 1)) throw new RangeError(`quantile probability must be in [0, 1], got ${p}`);
  if (p === 0) return Number.NEGATIVE_INFINITY;
  if (p === 1) return Number.POSITIVE_INFINITY;
  if (p === 0.5) return 0;
  return p > 0.5 ? upperQuantile(1 - p, df) : -upperQuantile(p, df);
}
