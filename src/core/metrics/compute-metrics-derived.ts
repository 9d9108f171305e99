// Producers that already hold TTFT / E2E / ITL lists (ferrum's in-memory RequestRecord, the
// golden vectors of Appendix A.3/A.4) call it directly. Preconditions (§2.1) that fail are
// goodput bugs: INTERNAL errors.

import type { BenchReport } from '../schema/bench-report.js';
import { DEFAULT_AGGREGATION_RULES } from './aggregation-rules.js';
import { CellAggregator } from './cell-aggregator.js';
import { assembleReport, type CellParams, DEFAULT_TOKEN_MISMATCH_RATIO } from './cell-report.js';
import type { DerivedRequest, WarmupSummary } from './derived-request.js';
import { preconditionError } from './request-invariants.js';
import { isValidSlo } from './slo-check.js';

// ferrum's compute_metrics (ferrum-behaviour §2) over ferrum-style per-request values: the lower
// entry point. Producers that already hold TTFT / E2E / ITL lists (ferrum's in-memory
// RequestRecord, the golden vectors of Appendix A.3/A.4) call it directly; computeMetrics() feeds
// it from raw RequestRecords. Preconditions (§2.1) that fail are goodput bugs: INTERNAL errors.

/** One repeat as ferrum's RunRecord: every measured request (failed ones included) in
 * submission order, the expected count, the measurement window and the warmup outcome. */
export interface DerivedRun {
  readonly requests: Iterable<DerivedRequest>;
  readonly expectedRequests: number;
  /** the throughput denominator (s), finite and > 0 */
  readonly durationS: number;
  readonly warmup: WarmupSummary;
}

/** Checks ferrum §2.1 items 1–4 that do not need the requests. */
function checkCellPreconditions(
  params: CellParams,
  runs: readonly { expectedRequests: number; durationS: number; warmup: WarmupSummary }[],
): void {
  if (runs.length === 0) throw preconditionError('at least one run is required');
  if (!isValidSlo(params.slo)) throw preconditionError('every SLO threshold must be finite and > 0');
  const expected = runs[0]?.expectedRequests ?? 0;
  if (!(Number.isInteger(expected) && expected > 0))
    throw preconditionError(`n_requests_per_run must be > 0, got ${expected}`);
  runs.forEach((run, i) => {
    const name = `run ${i + 1}`;
    if (run.expectedRequests !== expected)
      throw preconditionError(`${name} expects ${run.expectedRequests} requests, run 1 expects ${expected}`);
    if (!(run.durationS > 0) || !Number.isFinite(run.durationS))
      throw preconditionError(`${name} duration_s must be finite and > 0, got ${run.durationS}`);
    if (run.warmup.expected !== params.warmupRequests) {
      throw preconditionError(
        `${name} warmup expected ${run.warmup.expected}, warmup_requests is ${params.warmupRequests}`,
      );
    }
    if (run.warmup.completed + run.warmup.errored !== run.warmup.expected) {
      throw preconditionError(`${name} warmup completed + errored ≠ expected`);
    }
  });
}

/**
 * One cell's BenchReport from ferrum-style runs, exactly as ferrum's compute_metrics (with the
 * seed-vs-HEAD choices of aggregation-rules.ts), plus goodput's extension.
 */
export function computeMetricsFromDerived(
  params: CellParams & { readonly runs: readonly DerivedRun[] },
): BenchReport {
  checkCellPreconditions(params, params.runs);
  const agg = new CellAggregator({
    slo: params.slo,
    rules: params.rules ?? DEFAULT_AGGREGATION_RULES,
    tokenMismatchRatio: params.tokenMismatchRatio ?? DEFAULT_TOKEN_MISMATCH_RATIO,
    expectedRequests: params.runs.reduce((a, r) => a + r.expectedRequests, 0),
    expectedOutputTokens: params.nGen,
  });
  params.runs.forEach((run, i) => {
    agg.beginRepeat(i + 1, run.expectedRequests);
    let index = 0;
    for (const request of run.requests) {
      if (index >= run.expectedRequests)
        throw preconditionError(`run ${i + 1} has more than ${run.expectedRequests} records`);
      agg.add(index++, request);
    }
    if (index !== run.expectedRequests) {
      throw preconditionError(
        `run ${i + 1} has ${index} records, expected ${run.expectedRequests} (add a failed record for every lost request)`,
      );
    }
    agg.endRepeat(run.durationS, run.warmup);
  });
  return assembleReport(params, agg);
}
