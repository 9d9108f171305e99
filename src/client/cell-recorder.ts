// Feeds one cell's request records, repeat by repeat, into metrics' streaming CellAggregator as
// they complete, so a long run keeps typed sample columns rather than every record; tallies the
// warmup outcome and the prompt lengths; and assembles the cell's BenchReport at the end.
// No metric is derived here: deriveRequestInto (core/metrics) does that.

import { CellAggregator } from '../core/metrics/cell-aggregator.js';
import {
  assembleReport,
  type CellParams,
  DEFAULT_TOKEN_MISMATCH_RATIO,
} from '../core/metrics/cell-report.js';
import { DerivedRequestSlot, deriveRequestInto } from '../core/metrics/derive-request.js';
import type { SuccessPolicy } from '../core/metrics/request-success.js';
import type { BenchReport, OutputTokenCountSource, QualityFlag } from '../core/schema/bench-report.js';
import { QUALITY_FLAGS } from '../core/schema/bench-report.js';
import type { RepeatWindow, RequestRecord } from '../core/schema/request-record.js';

const QUALITY = new Set<string>(QUALITY_FLAGS);

export class CellRecorder {
  private readonly aggregator: CellAggregator;
  private readonly policy: SuccessPolicy;
  private readonly slot = new DerivedRequestSlot();
  /** measured prompt lengths per repeat, in submission order */
  private readonly inputTokens: number[][] = [];
  /** the current repeat's expected count, or undefined while it is unknown (duration-bounded) */
  private expected: number | undefined;
  private buffered: RequestRecord[] = [];
  private currentInputs: number[] = [];
  private warmupExpected = 0;
  private warmupCompleted = 0;
  private warmupFlags: Partial<Record<QualityFlag, number>> = {};
  private readonly rowSources: string[] = [];

  constructor(params: Pick<CellParams, 'slo' | 'rules' | 'tokenMismatchRatio'>, policy: SuccessPolicy) {
    this.aggregator = new CellAggregator({
      slo: params.slo,
      rules: params.rules ?? 'seed',
      tokenMismatchRatio: params.tokenMismatchRatio ?? DEFAULT_TOKEN_MISMATCH_RATIO,
    });
    this.policy = policy;
  }

  /** Starts a repeat; `expected` measured requests when known up front (count-bounded runs). */
  beginRepeat(repeat: number, expected: number | undefined): void {
    this.expected = expected;
    this.buffered = [];
    this.currentInputs = [];
    this.warmupExpected = 0;
    this.warmupCompleted = 0;
    this.warmupFlags = {};
    if (expected !== undefined) this.aggregator.beginRepeat(repeat, expected);
  }

  /** Takes one final record of the current repeat (any order). Returns whether it succeeded. */
  add(record: RequestRecord): boolean {
    deriveRequestInto(record, this.policy, this.slot);
    const success = this.slot.success;
    if (record.warmup) {
      this.warmupExpected++;
      if (success) this.warmupCompleted++;
      for (const flag of record.flags) {
        if (QUALITY.has(flag))
          this.warmupFlags[flag as QualityFlag] = (this.warmupFlags[flag as QualityFlag] ?? 0) + 1;
      }
      return success;
    }
    this.currentInputs[record.index] = record.input_tokens;
    if (this.expected === undefined) this.buffered.push(record);
    else this.aggregator.add(record.index, this.slot);
    return success;
  }

  /** Closes the repeat with its measured window. */
  endRepeat(window: RepeatWindow): void {
    if (this.expected === undefined) {
      this.aggregator.beginRepeat(window.repeat, window.expected_requests);
      for (const record of this.buffered) {
        deriveRequestInto(record, this.policy, this.slot);
        this.aggregator.add(record.index, this.slot);
      }
      this.buffered = [];
    }
    // a window is never empty: a repeat whose loop sent nothing still lasted a moment
    const durationS = Math.max(window.end_ms - window.start_ms, 1e-3) / 1000;
    const result = this.aggregator.endRepeat(durationS, {
      expected: this.warmupExpected,
      completed: this.warmupCompleted,
      errored: this.warmupExpected - this.warmupCompleted,
      flagCounts: this.warmupFlags,
    });
    this.rowSources.push(result.row.output_token_count_source);
    this.inputTokens.push(this.currentInputs);
  }

  /** Repeats finished so far. */
  get repeatsDone(): number {
    return this.aggregator.repeats.length;
  }

  /** Warmup requests that failed, per finished repeat. */
  get warmupErrored(): number[] {
    return this.aggregator.repeats.map((r) => r.row.warmup_errored);
  }

  /** The cell's report; `nPrompt` undefined means the rounded mean of the prompts actually sent. */
  report(params: Omit<CellParams, 'nPrompt'> & { readonly nPrompt?: number }): BenchReport {
    let n = 0;
    let sum = 0;
    let min = Number.POSITIVE_INFINITY;
    let max = 0;
    for (const repeat of this.inputTokens) {
      for (const tokens of repeat) {
        n++;
        sum += tokens;
        if (tokens < min) min = tokens;
        if (tokens > max) max = tokens;
      }
    }
    const mean = n === 0 ? 0 : sum / n;
    const nPrompt = params.nPrompt ?? Math.round(mean);
    const report = assembleReport({ ...params, nPrompt }, this.aggregator);
    if (n > 0) report.actual_input_tokens = { requested: nPrompt, min, max, mean };
    report.actual_input_tokens_per_request = this.inputTokens;
    report.output_token_count_source = combinedSource(this.rowSources);
    return report;
  }
}

/** ferrum's label over repeats: the common source, or `mixed`. */
function combinedSource(sources: readonly string[]): OutputTokenCountSource {
  const distinct = new Set(sources);
  if (distinct.size === 1) return [...distinct][0] as OutputTokenCountSource;
  return distinct.size === 0 ? 'none' : 'mixed';
}
