// ferrum's `BenchReport::has_complete_itl_evidence()` (ferrum-behaviour §1.11): whether the locked
// ITL fields may be shown. Every renderer asks it; 0.7.7 reports (no repeat_metrics) never pass.

import type { BenchReport } from './bench-report.js';

/**
 * True only if `repeat_metrics` has exactly n_repeats rows (at least one) and every row expected
 * n_requests_per_run (> 0) requests, completed all of them, found every one ITL-eligible, and
 * observed every expected interval.
 */
export function hasCompleteItlEvidence(report: BenchReport): boolean {
  const rows = report.repeat_metrics ?? [];
  if (rows.length === 0 || rows.length !== report.n_repeats) return false;
  return rows.every(
    (r) =>
      r.expected_requests > 0 &&
      r.expected_requests === report.n_requests_per_run &&
      r.completed_requests === r.expected_requests &&
      r.itl_eligible_requests === r.expected_requests &&
      r.itl_ineligible_requests === 0 &&
      r.itl_expected_intervals === r.itl_observed_intervals &&
      r.itl_eligibility_counts.eligible === r.itl_eligible_requests,
  );
}
