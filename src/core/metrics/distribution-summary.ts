// A plain summary of one per-request quantity for the extension's side tables (intended-start
// latencies, request phases, peer dialects): n, mean, min, percentiles and max, numbers only.

import type { PooledMetric } from '../schema/extension.js';
import { OrderStatistics } from '../stats/order-statistics.js';

export type DistributionSummary = Record<string, number>;

const QS = [0.5, 0.75, 0.9, 0.95, 0.99] as const;

/** {n, mean, min, p50, p75, p90, p95, p99, max} of the multiset `samples` (read only); null when empty. */
export function summarize(samples: Float64Array | readonly Float64Array[]): DistributionSummary | null {
  const os = new OrderStatistics(samples, { summary: true });
  const n = os.n;
  if (n === 0) return null;
  const [p50, p75, p90, p95, p99] = os.quantiles(QS) as [number, number, number, number, number];
  // read in the same pass as the percentiles when the sample is large
  const { sum, min, max } = os.summary();
  return { n, mean: sum / n, min, p50, p75, p90, p95, p99, max };
}

/** The same summary read from an already computed PooledMetric; null when it is empty. */
export function summaryOfPooled(m: PooledMetric): DistributionSummary | null {
  if (m.n === 0 || m.mean === null || m.min === null || m.max === null) return null;
  const v = (p: PooledMetric['p50']) => (p === null ? 0 : p.value);
  return {
    n: m.n,
    mean: m.mean,
    min: m.min,
    p50: v(m.p50),
    p75: v(m.p75),
    p90: v(m.p90),
    p95: v(m.p95),
    p99: v(m.p99),
    max: m.max,
  };
}
