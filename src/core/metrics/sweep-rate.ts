// "Highest rate still meeting the goodput SLO" for a rate sweep (SPEC §3.2; the rule is below).

import { GoodputError } from '../errors.js';
import type { BenchReport } from '../schema/bench-report.js';

// Rule. A rate meets the SLO when its attainment, the share of ALL measured requests (errored ones
// included, as AIPerf's good_request_fraction) that succeeded within every SLO threshold, is at
// least the target (default 0.9, DistServe's convention for goodput). Walking the rates upwards,
// the answer is the highest rate before the first one that misses: once a server falls behind,
// a lucky pass at a higher rate is not capacity. null when even the lowest rate misses.

export interface RatePoint {
  readonly rateRps: number;
  /** measured requests that succeeded and met every SLO threshold */
  readonly metSlo: number;
  /** every measured request, errored ones included */
  readonly requests: number;
}

export interface RateSweepResult {
  /** the highest rate meeting the SLO, or null */
  readonly rateRps: number | null;
  /** the first rate that missed (null when none did) */
  readonly firstMissRps: number | null;
  readonly points: Array<RatePoint & { readonly attainment: number; readonly meets: boolean }>;
  readonly target: number;
}

/** Applies the rule above to the points of a rate sweep. */
export function highestRateMeetingSlo(points: readonly RatePoint[], target = 0.9): RateSweepResult {
  if (!(target > 0 && target <= 1))
    throw new GoodputError('USAGE', `SLO attainment target must be in (0, 1], got ${target}`);
  const sorted = [...points].sort((a, b) => a.rateRps - b.rateRps);
  let rateRps: number | null = null;
  let firstMissRps: number | null = null;
  const out = sorted.map((p, i) => {
    if (!(p.requests > 0))
      throw new GoodputError('USAGE', `rate ${p.rateRps} req/s has no measured requests`);
    if (i > 0 && p.rateRps === sorted[i - 1]?.rateRps)
      throw new GoodputError('USAGE', `rate ${p.rateRps} req/s appears twice in the sweep`);
    const attainment = p.metSlo / p.requests;
    const meets = attainment >= target;
    if (firstMissRps === null) {
      if (meets) rateRps = p.rateRps;
      else firstMissRps = p.rateRps;
    }
    return { ...p, attainment, meets };
  });
  return { rateRps, firstMissRps, points: out, target };
}

/**
 * A rate-sweep point from an open-loop cell: met-SLO requests from the extension's goodput
 * misses, else recovered from each repeat's goodput_rps × duration_s (ferrum HEAD reports).
 * null when the report has no request_rate or neither source.
 */
export function ratePointFromReport(report: BenchReport): RatePoint | null {
  if (report.request_rate === undefined) return null;
  const requests = report.n_requests_per_run * report.n_repeats;
  const fromExtension = report.goodput?.goodput_misses?.met_slo;
  if (fromExtension !== undefined) return { rateRps: report.request_rate, metSlo: fromExtension, requests };
  const rows = report.repeat_metrics;
  if (rows === undefined || rows.length === 0) return null;
  const metSlo = rows.reduce((a, r) => a + Math.round(r.goodput_rps * r.duration_s), 0);
  return { rateRps: report.request_rate, metSlo, requests };
}
