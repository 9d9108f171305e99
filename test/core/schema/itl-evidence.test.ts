import { describe, expect, it } from 'vitest';
import type { BenchRepeatMetrics, BenchReport } from '../../../src/core/schema/bench-report.js';
import { hasCompleteItlEvidence } from '../../../src/core/schema/itl-evidence.js';
import { appendixA3Report, appendixA4Report } from '../../fixtures/appendix-a-reports.js';

const withRow = (r: BenchReport, change: Partial<BenchRepeatMetrics>): BenchReport => ({
  ...r,
  repeat_metrics: (r.repeat_metrics ?? []).map((row, i) => (i === 2 ? { ...row, ...change } : row)),
});

describe('hasCompleteItlEvidence (ferrum has_complete_itl_evidence)', () => {
  it('is true for Appendix A.3 and false for A.4 (a too_short request, a failed repeat)', () => {
    expect(hasCompleteItlEvidence(appendixA3Report())).toBe(true);
    expect(hasCompleteItlEvidence(appendixA4Report())).toBe(false);
  });

  const a3 = appendixA3Report();
  const counts = a3.repeat_metrics?.[0]?.itl_eligibility_counts;
  it.each<[string, BenchReport]>([
    ['no repeat_metrics (0.7.7)', { ...a3, repeat_metrics: undefined }],
    ['fewer rows than repeats', { ...a3, repeat_metrics: a3.repeat_metrics?.slice(0, 2) }],
    ['zero expected requests', { ...withRow(a3, { expected_requests: 0 }), n_requests_per_run: 0 }],
    ['expected differs from n_requests_per_run', withRow(a3, { expected_requests: 5 })],
    ['an incomplete repeat', withRow(a3, { completed_requests: 3 })],
    ['an ineligible request', withRow(a3, { itl_eligible_requests: 3, itl_ineligible_requests: 1 })],
    ['missing intervals', withRow(a3, { itl_observed_intervals: 7 })],
    ['counts that disagree', withRow(a3, { itl_eligibility_counts: { ...counts!, eligible: 3 } })],
  ])('is false with %s', (_name, report) => {
    expect(hasCompleteItlEvidence(report)).toBe(false);
  });
});
