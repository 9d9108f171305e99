// computeMetrics: the raw RequestRecords of a cell's repeats (the client's or the in-process
// bench's output, or merged shards) → its BenchReport, streamed record by record.

import { GoodputError } from '../errors.js';
import type { BenchReport } from '../schema/bench-report.js';
import { QUALITY_FLAGS } from '../schema/bench-report.js';
import type { RepeatWindow, RequestFlag, RequestRecord } from '../schema/request-record.js';
import { DEFAULT_AGGREGATION_RULES } from './aggregation-rules.js';
import { CellAggregator } from './cell-aggregator.js';
import { assembleReport, type CellParams, DEFAULT_TOKEN_MISMATCH_RATIO } from './cell-report.js';
import { DerivedRequestSlot, deriveRequestInto } from './derive-request.js';
import type { WarmupSummary } from './derived-request.js';
import { DEFAULT_SUCCESS_POLICY, type SuccessPolicy } from './request-success.js';
import { isValidSlo } from './slo-check.js';

// Each record (SPEC §3.5) is derived once
// into a reused slot (no per-record objects besides its kept ITL evidence) and streamed into the
// aggregator; records may arrive in any order (they are placed by `index`), and `records` may be
// a lazy iterable, so a requests.jsonl reader need not hold them all.
// Bad records (impossible timings, duplicates, missing requests) are INPUT_SCHEMA errors naming
// the record; what remains can only fail ferrum's preconditions through a goodput bug.

/** One repeat: its measurement window and every record of it, warmup records included. */
export interface RecordRepeat {
  readonly window: RepeatWindow;
  readonly records: Iterable<RequestRecord>;
}

export interface ComputeMetricsParams extends CellParams {
  readonly repeats: readonly RecordRepeat[];
  /** success rule; default requires exactly one [DONE] */
  readonly policy?: Partial<SuccessPolicy>;
}

function badInput(message: string, hint?: string): GoodputError {
  return new GoodputError('INPUT_SCHEMA', message, hint === undefined ? {} : { hint });
}

function checkWindow(w: RepeatWindow): number {
  const durationS = (w.end_ms - w.start_ms) / 1000;
  if (!(durationS > 0) || !Number.isFinite(durationS)) {
    throw badInput(
      `repeat ${w.repeat}: the measurement window must end after it starts (start_ms ${w.start_ms}, end_ms ${w.end_ms})`,
    );
  }
  if (!(w.expected_requests > 0))
    throw badInput(`repeat ${w.repeat}: expected_requests must be > 0, got ${w.expected_requests}`);
  return durationS;
}

/** ferrum §2.1's run-level preconditions, as input errors naming the repeat. */
function checkRepeats(params: ComputeMetricsParams): void {
  const first = params.repeats[0];
  if (first === undefined) throw badInput('a cell needs at least one repeat of request records');
  if (!isValidSlo(params.slo)) {
    throw new GoodputError('USAGE', 'every SLO threshold must be a finite number of ms > 0', {
      hint: 'check --goodput',
    });
  }
  const seen = new Set<number>();
  for (const { window: w } of params.repeats) {
    if (seen.has(w.repeat)) throw badInput(`repeat ${w.repeat} appears twice`);
    seen.add(w.repeat);
    if (w.expected_requests !== first.window.expected_requests) {
      throw badInput(
        `repeat ${w.repeat} expects ${w.expected_requests} measured requests, repeat ${first.window.repeat} expects ${first.window.expected_requests}`,
      );
    }
    if (w.warmup_expected !== params.warmupRequests) {
      throw badInput(
        `repeat ${w.repeat} expects ${w.warmup_expected} warmup requests, the cell has warmup_requests ${params.warmupRequests}`,
      );
    }
  }
}

/** The BenchReport of one cell from its raw request records. */
export function computeMetrics(params: ComputeMetricsParams): BenchReport {
  const policy: SuccessPolicy = {
    requireDone: params.policy?.requireDone ?? DEFAULT_SUCCESS_POLICY.requireDone,
  };
  checkRepeats(params);
  const durations = params.repeats.map((r) => checkWindow(r.window));
  const agg = new CellAggregator({
    slo: params.slo,
    rules: params.rules ?? DEFAULT_AGGREGATION_RULES,
    tokenMismatchRatio: params.tokenMismatchRatio ?? DEFAULT_TOKEN_MISMATCH_RATIO,
    expectedRequests: params.repeats.reduce((a, r) => a + r.window.expected_requests, 0),
    expectedOutputTokens: params.nGen,
  });
  const slot = new DerivedRequestSlot();
  params.repeats.forEach((rep, i) => {
    const w = rep.window;
    agg.beginRepeat(w.repeat, w.expected_requests);
    let measured = 0;
    let warmupSeen = 0;
    let warmupCompleted = 0;
    const warmupFlags: Partial<Record<RequestFlag, number>> = {};
    for (const record of rep.records) {
      if (record.repeat !== w.repeat) {
        throw badInput(
          `request record ${record.id} belongs to repeat ${record.repeat}, but was given with repeat ${w.repeat}`,
        );
      }
      deriveRequestInto(record, policy, slot);
      if (record.warmup) {
        warmupSeen++;
        if (slot.success) warmupCompleted++;
        for (const f of record.flags) warmupFlags[f] = (warmupFlags[f] ?? 0) + 1;
        continue;
      }
      if (record.index >= w.expected_requests) {
        throw badInput(
          `request record ${record.id}: index ${record.index} is outside repeat ${w.repeat}'s ${w.expected_requests} measured requests`,
        );
      }
      if (agg.isFilled(record.index))
        throw badInput(
          `request record ${record.id}: a second record for measured request ${record.index} of repeat ${w.repeat}`,
        );
      agg.add(record.index, slot);
      measured++;
    }
    if (measured !== w.expected_requests) {
      throw badInput(
        `repeat ${w.repeat}: ${w.expected_requests - measured} of ${w.expected_requests} measured request records are missing`,
        'every planned request must leave a record (a failed one when it could not run); check the run was not cut short',
      );
    }
    if (warmupSeen > w.warmup_expected) {
      throw badInput(
        `repeat ${w.repeat}: ${warmupSeen} warmup records, but the window expects ${w.warmup_expected}`,
      );
    }
    // Warmup requests that left no record count as errored (ferrum: errored = expected − completed).
    const flagCounts: Partial<Record<RequestFlag, number>> = {};
    for (const f of QUALITY_FLAGS) if (warmupFlags[f] !== undefined) flagCounts[f] = warmupFlags[f];
    const warmup: WarmupSummary = {
      expected: w.warmup_expected,
      completed: warmupCompleted,
      errored: w.warmup_expected - warmupCompleted,
      flagCounts,
    };
    agg.endRepeat(durations[i] as number, warmup);
  });
  return assembleReport(params, agg);
}
