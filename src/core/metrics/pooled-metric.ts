// One metric over the pooled requests of every repeat (SPEC §2.3): n, mean, min, max and the
// p50/p75/p90/p95/p99 with seeded bootstrap 95 % intervals and a low-sample flag. Works on the
// column through OrderStatistics (no full sort, no copy of a large column), so it scales to tens
// of millions of samples.

import type { PooledMetric, PooledPercentile } from '../schema/extension.js';
import { bootstrapPercentileCiFrom } from '../stats/bootstrap.js';
import { OrderStatistics } from '../stats/order-statistics.js';

const POOLED_QUANTILES = [
  ['p50', 0.5],
  ['p75', 0.75],
  ['p90', 0.9],
  ['p95', 0.95],
  ['p99', 0.99],
] as const;

export interface PooledBootstrap {
  readonly seed: number;
  readonly resamples: number;
}

/**
 * The low-sample rule: a q-quantile is flagged when fewer than 1/(1 − q) samples exist, i.e.
 * when not even one sample is expected above it (p99 below 100 samples, p95 below 20, p90
 * below 10, p75 below 4, p50 below 2).
 */
export function isLowSample(n: number, q: number): boolean {
  return n < Math.round(1 / (1 - q));
}

/** Bootstrap ranks stay within this many standard deviations of q·n in practice; that window is
 * sorted up front so resampling reads it in O(1) (a rank outside is still answered exactly). */
const WINDOW_SIGMAS = 6;

/** The rank windows the bootstrap of each pooled percentile reads, for n samples. */
function bootstrapWindows(n: number): Array<[number, number]> {
  return POOLED_QUANTILES.map(([, q]): [number, number] => {
    const rank = Math.floor(q * (n - 1));
    const halfWidth = Math.ceil(WINDOW_SIGMAS * Math.sqrt(n * q * (1 - q))) + 2;
    return [Math.max(0, rank - halfWidth), Math.min(n - 1, rank + 1 + halfWidth)];
  });
}

const EMPTY: PooledMetric = {
  n: 0,
  mean: null,
  p50: null,
  p75: null,
  p90: null,
  p95: null,
  p99: null,
  min: null,
  max: null,
};

/** The pooled statistics from order statistics whose bootstrap windows are sorted. */
function pooledOf(os: OrderStatistics, label: string, bootstrap: PooledBootstrap): PooledMetric {
  const n = os.n;
  if (n === 0) return { ...EMPTY };
  // read in the same pass as the windows when the sample is large
  const { sum, min, max } = os.summary();
  const mean = sum / n;
  const pct = {} as Record<(typeof POOLED_QUANTILES)[number][0], PooledPercentile>;
  // a resampled rank is almost always inside its window, where at() is a lookup; outside it,
  // OrderStatistics still answers exactly
  const at = (rank: number) => os.at(rank);
  for (const [name, q] of POOLED_QUANTILES) {
    const ci = bootstrapPercentileCiFrom(n, at, q, {
      seed: bootstrap.seed,
      resamples: bootstrap.resamples,
      label: `${label}/${name}`,
    });
    if (ci === null) throw new Error('unreachable: bootstrap of a non-empty sample');
    pct[name] = { value: ci.value, ci95_low: ci.low, ci95_high: ci.high, low_sample: isLowSample(n, q) };
  }
  return {
    n,
    mean,
    p50: pct.p50,
    p75: pct.p75,
    p90: pct.p90,
    p95: pct.p95,
    p99: pct.p99,
    min,
    max,
  };
}

/** The pooled statistics of the multiset `parts` (read only). `label` names the bootstrap stream. */
export function pooledMetric(
  parts: Float64Array | readonly Float64Array[],
  label: string,
  bootstrap: PooledBootstrap,
): PooledMetric {
  const os = new OrderStatistics(parts, { summary: true });
  if (os.n > 0) os.sortWindows(bootstrapWindows(os.n));
  return pooledOf(os, label, bootstrap);
}

/**
 * pooledMetric of nested prefixes of `parts` (the first `parts` parts of each, non-decreasing),
 * reading the large ones in one shared pass: the covered requests' ITL and every request's ITL.
 */
export function nestedPooledMetrics(
  parts: readonly Float64Array[],
  prefixes: ReadonlyArray<{ readonly parts: number; readonly label: string }>,
  bootstrap: PooledBootstrap,
): PooledMetric[] {
  const all = OrderStatistics.nested(
    parts,
    prefixes.map((p) => p.parts),
    (n) => (n === 0 ? [] : bootstrapWindows(n)),
    { summary: true },
  );
  return all.map((os, i) => pooledOf(os, (prefixes[i] as { label: string }).label, bootstrap));
}
