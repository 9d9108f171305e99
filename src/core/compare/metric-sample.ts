// The summary statistics (mean, sample stddev, n repeats, CI half-width) of one metric of one cell,
// which is all the significance test needs. Welch's test works from summaries, so the same rule
// applies to 0.7.7 reports (mean/stddev/n only) and to reports with per-repeat values.
//
// Source, in order of preference:
// 1. goodput's extension `statistics.repeats` / `statistics.rates`: repeats without a successful
//    request are MISSING there rather than 0 (SPEC §2.3), so n counts contributing repeats only;
// 2. the locked ferrum aggregate: mean, stddev (omitted = 0) and n = n_repeats. Its stddev is the
//    sample stddev over the per-repeat values (`repeat_metrics` when present), so for a report
//    with `repeat_metrics` this equals computing from the per-repeat values directly.

import type { BenchReport } from '../schema/bench-report.js';
import type { RepeatStats } from '../schema/extension.js';
import { lockedStats, type MetricDef } from './metric-catalog.js';

export interface MetricSample {
  /** null when the metric is unavailable in this cell */
  readonly mean: number | null;
  readonly stddev: number | null;
  /** repeats that contributed a value */
  readonly n: number;
  /** the locked 95 % CI half-width (ferrum's rule: 0 below 3 repeats), for the seed's overlap rule */
  readonly ci95Hw: number;
  readonly source: 'extension' | 'locked';
  /** why the metric is unavailable, when it is */
  readonly unavailable?: string;
}

function extensionStats(report: BenchReport, metric: MetricDef): RepeatStats | undefined {
  const stats = report.goodput?.statistics;
  if (stats === undefined) return undefined;
  if (metric.percentile === null) return stats.rates[metric.field];
  return stats.repeats[metric.field]?.[metric.percentile];
}

/** Reads one metric of one cell as summary statistics. */
export function metricSample(report: BenchReport, metric: MetricDef): MetricSample {
  const locked = lockedStats(report, metric);
  const ext = extensionStats(report, metric);
  if (ext !== undefined) {
    if (ext.mean === null || ext.n === 0) {
      return {
        mean: null,
        stddev: null,
        n: 0,
        ci95Hw: 0,
        source: 'extension',
        unavailable: 'no repeat produced a value',
      };
    }
    return {
      mean: ext.mean,
      stddev: ext.stddev ?? 0,
      n: ext.n,
      // the locked half-width: it only feeds the seed's overlap rule, which is ferrum's
      ci95Hw: locked.ci95_hw,
      source: 'extension',
    };
  }
  // A latency percentile of exactly 0 is never a measurement: ferrum writes 0 for an empty repeat
  // and for ITL without complete evidence (rendered "unavailable").
  if (metric.unit === 'ms' && locked.mean === 0) {
    const reason =
      metric.field === 'itl_ms'
        ? 'ITL unavailable (no complete ITL evidence)'
        : 'no samples (0 in the report)';
    return { mean: null, stddev: null, n: 0, ci95Hw: 0, source: 'locked', unavailable: reason };
  }
  return {
    mean: locked.mean,
    stddev: locked.stddev,
    n: report.n_repeats,
    ci95Hw: locked.ci95_hw,
    source: 'locked',
  };
}
