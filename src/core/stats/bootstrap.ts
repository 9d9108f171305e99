// Seeded percentile-bootstrap confidence interval of a quantile, exact in distribution and O(1)
// per resample (the method is described below the imports).

import { betaVariate } from '../random/beta.js';
import type { RandomSource } from '../random/random-source.js';
import { deriveStream, STREAM_PURPOSES } from '../random/streams.js';
import { percentileAt, percentileSorted, sortedCopy } from './percentile.js';

// A bootstrap resample draws n values with replacement from the sample: Y = x(⌊n·U⌋) with U
// uniform, a non-decreasing map of U. The type-7 quantile of the resample only needs its order
// statistics at ranks lo = ⌊q(n − 1)⌋ and lo + 1, which are that map applied to the order
// statistics of n uniforms: U(lo) ~ Beta(lo + 1, n − lo) and, given U(lo) = u, U(lo+1) =
// u + (1 − u) · Beta(1, n − lo − 1). Drawing those two directly is therefore the SAME
// distribution as the naive resample-and-sort bootstrap (tested against it), at a cost that does
// not depend on n: 2 000 resamples of a 5 000 000-sample pooled p99 take milliseconds.

export interface BootstrapOptions {
  /** the run's seed (the stream is derived from it, purpose "bootstrap") */
  readonly seed: number;
  /** number of resamples, ≥ 1 */
  readonly resamples: number;
  /** distinguishes independent streams under one seed, e.g. "ttft_ms/p99" */
  readonly label?: string;
  /** two-sided confidence level, default 0.95 */
  readonly confidence?: number;
}

export interface BootstrapCi {
  /** the quantile of the sample itself */
  readonly value: number;
  readonly low: number;
  readonly high: number;
}

/** One bootstrap replicate of the q-quantile of n values with order statistics `at` (see the header). */
function replicate(n: number, at: (rank: number) => number, q: number, rng: RandomSource): number {
  const pos = q * (n - 1);
  const lo = Math.floor(pos);
  const uLo = betaVariate(rng, lo + 1, n - lo);
  const yLo = at(Math.min(n - 1, Math.floor(n * uLo)));
  if (pos === lo) return yLo;
  const v = 1 - rng.nextFloat(); // (0, 1]
  const uHi = uLo + (1 - uLo) * -Math.expm1(Math.log(v) / (n - lo - 1));
  const yHi = at(Math.min(n - 1, Math.floor(n * uHi)));
  // the resample's own type-7 quantile from its two order statistics
  return percentileAt(n, q, (rank) => (rank === lo ? yLo : yHi));
}

function checkOptions(options: BootstrapOptions): void {
  if (!(Number.isInteger(options.resamples) && options.resamples >= 1)) {
    throw new RangeError(`bootstrap resamples must be a positive integer, got ${options.resamples}`);
  }
}

/**
 * The bootstrap CI of the q-quantile of n values whose i-th smallest is `at(i)`; null when
 * n = 0. `at` is only asked for ranks near q·n (OrderStatistics answers it without a full sort).
 */
export function bootstrapPercentileCiFrom(
  n: number,
  at: (rank: number) => number,
  q: number,
  options: BootstrapOptions,
): BootstrapCi | null {
  if (n === 0) return null;
  checkOptions(options);
  const value = percentileAt(n, q, at);
  if (n === 1) return { value, low: value, high: value };
  const rng = deriveStream({
    seed: options.seed,
    purpose: STREAM_PURPOSES.bootstrap,
    cell: options.label ?? '',
  });
  const reps = new Float64Array(options.resamples);
  for (let i = 0; i < reps.length; i++) reps[i] = replicate(n, at, q, rng);
  reps.sort();
  const alpha = 1 - (options.confidence ?? 0.95);
  return { value, low: percentileSorted(reps, alpha / 2), high: percentileSorted(reps, 1 - alpha / 2) };
}

/** The bootstrap CI of the q-quantile of ALREADY SORTED values; null for an empty sample. */
export function bootstrapPercentileCiSorted(
  sorted: ArrayLike<number>,
  q: number,
  options: BootstrapOptions,
): BootstrapCi | null {
  return bootstrapPercentileCiFrom(sorted.length, (i) => sorted[i] as number, q, options);
}

/** The bootstrap CI of the q-quantile of values in any order (seeded, deterministic); null for
 * an empty sample. E.g. bootstrapPercentileCi(ttfts, 0.99, { seed: 42, resamples: 2000 }). */
export function bootstrapPercentileCi(
  values: ArrayLike<number>,
  q: number,
  options: BootstrapOptions,
): BootstrapCi | null {
  return bootstrapPercentileCiSorted(sortedCopy(values), q, options);
}
