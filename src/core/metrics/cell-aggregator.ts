// ferrum's per-repeat derivation (ferrum-behaviour §2.2) over a stream of DerivedRequests, into
// typed columns and per-repeat tallies instead of per-request objects; seed-vs-HEAD choices here.

import {
  type BenchRepeatMetrics,
  ITL_ELIGIBILITIES,
  type ItlEligibility,
  type ItlEligibilityCounts,
  QUALITY_FLAGS,
  type QualityIssueCounts,
  type RepeatPercentiles,
  type Slo,
} from '../schema/bench-report.js';
import type { RequestFlag } from '../schema/request-record.js';
import { OrderStatistics, percentilesOf } from '../stats/order-statistics.js';
import { SampleBuffer } from '../stats/sample-buffer.js';
import type { AggregationRules } from './aggregation-rules.js';
import { OptionalTimes } from './derive-request.js';
import {
  type DerivedColumn,
  deriveColumn,
  intendedDerivable,
  type SideColumns,
  type SuccessColumns,
} from './derived-columns.js';
import type { DerivedRequest, WarmupSummary } from './derived-request.js';
import { combinedTokenSource } from './output-tokens.js';
import { FLAG_SLOT, newTally, type RepeatTally } from './repeat-tally.js';
import { checkItlSample, checkRequestInvariants, preconditionError } from './request-invariants.js';
import { EvidenceIds, RequestSlots } from './request-slots.js';
import { NON_FAILING_FLAGS } from './request-success.js';
import { SLO_MISS_E2E, SLO_MISS_TPOT, SLO_MISS_TTFT, sloMissMask } from './slo-check.js';
import { tpotMsOf } from './tpot.js';

// Latency samples go into growable typed columns (one segment per repeat), counters into a
// per-repeat tally; the locked BenchRepeatMetrics rows come out of endRepeat, and the pooled
// columns stay for the extension (cell-extension.ts).

const LOCKED_QS = [0.5, 0.75, 0.95, 0.99] as const;

/** One finished repeat. */
export interface RepeatResult {
  readonly row: BenchRepeatMetrics;
  readonly tally: RepeatTally;
  /** ferrum's "fully ITL-eligible repeat" (§2.2 step 4) */
  readonly fullyEligible: boolean;
  /** within-repeat percentiles, null where the repeat had no sample (ITL: the seed's samples) */
  readonly percentiles: Readonly<
    Record<'ttft_ms' | 'tpot_ms' | 'itl_ms' | 'e2e_ms', RepeatPercentiles | null>
  >;
  /** output tokens and ITL evidence per submission slot */
  readonly requests: RequestSlots;
}

export interface CellAggregatorOptions {
  readonly slo: Slo;
  readonly rules: AggregationRules;
  /** relative usage-vs-events difference above which a request counts as a token mismatch */
  readonly tokenMismatchRatio: number;
  /** measured requests over all repeats, if known (sizes the columns) */
  readonly expectedRequests?: number;
  /** output tokens per request, if known (e.g. n_gen; sizes the ITL column) */
  readonly expectedOutputTokens?: number;
}

/**
 * Pooled per-request columns over every repeat (successful requests unless said otherwise). TPOT
 * and the other columns computed from these are derived when needed (derived-columns.ts).
 */
export interface CellColumns extends SuccessColumns, SideColumns {
  /** ITL samples of the successful, ITL-eligible requests (the extension's covered ITL) */
  readonly itlCoveredMs: SampleBuffer;
  /** ITL samples of the other successful requests; with itlCoveredMs, the seed's locked ITL */
  readonly itlUncoveredMs: SampleBuffer;
  /** over every measured request that opened a connection */
  readonly connectMs: SampleBuffer;
}

function qualityCounts(count: (flag: RequestFlag) => number): QualityIssueCounts {
  const q = {} as Record<(typeof QUALITY_FLAGS)[number], number>;
  for (const f of QUALITY_FLAGS) q[f] = count(f);
  return q;
}

function toRepeatPercentiles(values: readonly number[]): RepeatPercentiles {
  return {
    p50: values[0] as number,
    p75: values[1] as number,
    p95: values[2] as number,
    p99: values[3] as number,
  };
}

const ZERO_PERCENTILES: RepeatPercentiles = { p50: 0, p75: 0, p95: 0, p99: 0 };

/** Within-repeat percentiles of column segments (read only), or null when they are empty. */
function percentilesOrNull(parts: Float64Array[]): RepeatPercentiles | null {
  return parts.length === 0 ? null : toRepeatPercentiles(percentilesOf(parts, LOCKED_QS));
}

function segmentPercentiles(buffer: SampleBuffer, start: number): RepeatPercentiles | null {
  return percentilesOrNull(buffer.parts(start));
}

export class CellAggregator {
  readonly columns: CellColumns;
  readonly repeats: RepeatResult[] = [];
  private tally: RepeatTally | null = null;
  private readonly evidenceIds = new EvidenceIds();
  private requests = new RequestSlots(0, this.evidenceIds);
  /** where the current repeat's values start in the columns */
  private start = { success: 0, itlCovered: 0, itlUncovered: 0 };
  /** successful requests that gave no stream end (NaN in e2eToStreamEndMs) */
  private streamEndAbsent = 0;
  private readonly times = new OptionalTimes();
  /** the current repeat's TPOT column, made at endRepeat (reused from repeat to repeat) */
  private repeatScratch = new Float64Array(0);

  constructor(private readonly options: CellAggregatorOptions) {
    // The hints size the first chunk of each column (sample-buffer.ts); the successful requests'
    // columns share one, so their chunks line up (derived-columns.ts reads them side by side).
    const perRequest = Math.max(16, options.expectedRequests ?? 1024);
    const itl = perRequest * Math.max(1, (options.expectedOutputTokens ?? 2) - 1);
    const column = () => new SampleBuffer(perRequest);
    this.columns = {
      ttftMs: column(),
      e2eMs: column(),
      outputTokens: column(),
      e2eToStreamEndMs: column(),
      lateMs: column(),
      itlCoveredMs: new SampleBuffer(itl),
      itlUncoveredMs: new SampleBuffer(1024),
      connectMs: column(),
      failedLateMs: new SampleBuffer(),
      failedLateAfter: new SampleBuffer(),
      intendedAt: new SampleBuffer(),
      intendedTtftMs: new SampleBuffer(),
      intendedE2eMs: new SampleBuffer(),
    };
  }

  beginRepeat(repeat: number, expected: number): void {
    if (this.tally !== null)
      throw preconditionError(`repeat ${repeat} began before repeat ${this.tally.repeat} ended`);
    this.tally = newTally(repeat, expected);
    this.requests = new RequestSlots(expected, this.evidenceIds);
    const c = this.columns;
    this.start = {
      success: c.ttftMs.length,
      itlCovered: c.itlCoveredMs.length,
      itlUncovered: c.itlUncoveredMs.length,
    };
  }

  /**
   * A derived column over every repeat (derived-columns.ts), written into `scratch` (at least one
   * entry per successful request, reused from one call to the next: the pooled columns of millions
   * of requests are made one at a time). E2E to stream end is the stored column itself when every
   * request had one.
   */
  derived(column: DerivedColumn, scratch: Float64Array): Float64Array | Float64Array[] {
    const c = this.columns;
    if (column === 'e2e_to_stream_end_ms' && this.streamEndAbsent === 0) return c.e2eToStreamEndMs.parts();
    return deriveColumn(c, column, scratch);
  }

  /** True when submission slot `index` of the current repeat already has a request. */
  isFilled(index: number): boolean {
    return this.requests.isFilled(index);
  }

  /** Adds the measured request in submission slot `index` (0-based) of the current repeat. */
  add(index: number, d: DerivedRequest): void {
    const t = this.tally;
    if (t === null) throw preconditionError('a request was added outside a repeat');
    const ev = d.itlEvidence;
    const itlCount = d.itlCount ?? d.itlMs.length;
    checkRequestInvariants(d, itlCount, t.repeat, index);
    const eligible = ev.eligibility === 'eligible';
    // The extension's ITL coverage asks "is every event exactly one token?" (SPEC §2.3). A request
    // whose events were one token each but reached us several per network read is covered: its
    // near-zero gaps are what this client really observed. ferrum's stricter eligibility (which
    // also rejects transport coalescing) still drives the locked audit fields; the coalesced
    // requests are counted separately so the report can say how many there were.
    const covered = eligible || ev.eligibility === 'transport_coalesced';
    if (index < 0 || index >= t.expected || this.requests.isFilled(index)) {
      throw preconditionError(`repeat ${t.repeat} request ${index}: index out of range or already filled`);
    }

    t.records++;
    this.requests.set(index, d.outputTokens, ev);
    t.inputTokensAll += d.inputTokens;
    t.outputTokensAll += d.outputTokens;
    // plain comparisons: a lookup keyed by a varying string costs tens of ns on this path
    const source = d.outputTokenSource;
    if (source === 'usage') t.sources.usage++;
    else if (source === 'stream_chunks') t.sources.stream_chunks++;
    else t.sources.none++;
    const usage = ev.usage_output_tokens;
    if (
      usage !== undefined &&
      Math.abs(usage - ev.output_events) > this.options.tokenMismatchRatio * Math.max(usage, 1)
    ) {
      t.tokenMismatches++;
    }
    const slot = ITL_ELIGIBILITIES.indexOf(ev.eligibility);
    t.eligibility[slot] = (t.eligibility[slot] as number) + 1;
    if (eligible) t.eligible++;
    t.expectedIntervals += Math.max(d.outputTokens - 1, 0);
    t.observedIntervals += ev.observed_intervals;
    let failingFlag = false;
    for (const flag of d.flags) {
      const s = FLAG_SLOT[flag] as number;
      t.flags[s] = (t.flags[s] as number) + 1;
      // a label that says what went wrong (the aggregator has no [DONE] policy: missing_done counts)
      if (!NON_FAILING_FLAGS.includes(flag)) failingFlag = true;
    }
    if (d.serverInputTokens !== undefined) {
      t.serverInputTokensSum += d.serverInputTokens;
      t.serverInputTokensCount++;
    }
    const c = this.columns;
    const times = this.times;
    const notFinite = times.read(d);
    if (notFinite !== null)
      throw preconditionError(`repeat ${t.repeat} request ${index}: ${notFinite} must be finite when given`);
    if (!Number.isNaN(times.connectMs)) c.connectMs.push(times.connectMs);
    const itl = d.itlMs;
    if (!d.success) {
      if (!failingFlag) t.unlabelled++;
      // kept aside with where it came among the successful requests (derived-columns.ts)
      if (!Number.isNaN(times.clientQueueMs)) {
        c.failedLateMs.push(times.clientQueueMs);
        c.failedLateAfter.push(c.ttftMs.length);
      }
      for (let i = 0; i < itlCount; i++) checkItlSample(itl[i] as number, t.repeat, index, i);
      return;
    }

    t.completed++;
    t.inputTokensSuccessful += d.inputTokens;
    t.outputTokensSuccessful += d.outputTokens;
    c.ttftMs.push(d.ttftMs);
    c.e2eMs.push(d.e2eMs);
    c.outputTokens.push(d.outputTokens);
    // NaN marks a request that gave no stream end (derived-columns.ts skips it)
    if (Number.isNaN(times.e2eToStreamEndMs)) this.streamEndAbsent++;
    c.e2eToStreamEndMs.push(times.e2eToStreamEndMs);
    c.lateMs.push(times.clientQueueMs);
    // intended-start latencies are derived from TTFT, E2E and the client queue unless the request
    // gave something else (never for records, see deriveRequestInto)
    if (
      !intendedDerivable(d.ttftMs, d.e2eMs, times.clientQueueMs, times.intendedTtftMs, times.intendedE2eMs)
    ) {
      c.intendedAt.push(c.ttftMs.length - 1);
      c.intendedTtftMs.push(times.intendedTtftMs);
      c.intendedE2eMs.push(times.intendedE2eMs);
    }
    const tpot = tpotMsOf(d.ttftMs, d.e2eMs, d.outputTokens);
    const miss = sloMissMask(d.ttftMs, d.e2eMs, tpot, this.options.slo);
    if (miss === 0) t.metSlo++;
    if (miss & SLO_MISS_TTFT) t.missedTtft++;
    if (miss & SLO_MISS_TPOT) t.missedTpot++;
    if (miss & SLO_MISS_E2E) t.missedE2e++;
    if (d.outputTokens >= 2) {
      t.itlCoverable++;
      if (covered) t.itlCovered++;
      if (ev.eligibility === 'transport_coalesced') t.itlCoalesced++;
    }
    for (let i = 0; i < itlCount; i++) checkItlSample(itl[i] as number, t.repeat, index, i);
    (covered ? c.itlCoveredMs : c.itlUncoveredMs).pushMany(itl, itlCount);
  }

  /** Closes the current repeat: ferrum §2.2 steps 3–10 for it. */
  endRepeat(durationS: number, warmup: WarmupSummary): RepeatResult {
    const t = this.tally;
    if (t === null) throw preconditionError('endRepeat without beginRepeat');
    if (t.records !== t.expected)
      throw preconditionError(`repeat ${t.repeat} has ${t.records} records, expected ${t.expected}`);
    if (!(durationS > 0) || !Number.isFinite(durationS))
      throw preconditionError(`repeat ${t.repeat} duration_s must be finite and > 0, got ${durationS}`);
    if (warmup.completed + warmup.errored !== warmup.expected) {
      throw preconditionError(
        `repeat ${t.repeat} warmup completed (${warmup.completed}) + errored (${warmup.errored}) ≠ expected (${warmup.expected})`,
      );
    }
    t.durationS = durationS;
    const c = this.columns;
    // the E2E segment's percentiles and its double-double sum come from one read of it
    const e2e = new OrderStatistics(c.e2eMs.parts(this.start.success), { summary: true });
    const e2ePercentiles = e2e.n === 0 ? null : toRepeatPercentiles(e2e.quantiles(LOCKED_QS));
    t.e2eSumSuccessfulMs = e2e.summary().sum;
    const successful = c.ttftMs.length - this.start.success;
    if (this.repeatScratch.length < successful) this.repeatScratch = new Float64Array(successful);
    const tpot = deriveColumn(c, 'tpot_ms', this.repeatScratch, this.start.success);
    const percentiles = {
      ttft_ms: segmentPercentiles(c.ttftMs, this.start.success),
      tpot_ms: percentilesOrNull(tpot.length === 0 ? [] : [tpot]),
      itl_ms: percentilesOrNull([
        ...c.itlCoveredMs.parts(this.start.itlCovered),
        ...c.itlUncoveredMs.parts(this.start.itlUncovered),
      ]),
      e2e_ms: e2ePercentiles,
    };
    const ineligible = t.records - t.eligible;
    const fullyEligible =
      t.completed === t.expected &&
      t.eligible === t.expected &&
      ineligible === 0 &&
      t.expectedIntervals === t.observedIntervals;
    // Seed vs HEAD (aggregation-rules.ts): the seed's locked ITL is every sample of the successful
    // requests; HEAD keeps it only in a fully eligible repeat.
    const itlRow =
      this.options.rules === 'head' && !fullyEligible
        ? ZERO_PERCENTILES
        : (percentiles.itl_ms ?? ZERO_PERCENTILES);
    // Seed vs HEAD: the seed's throughput numerators count successful requests' tokens only.
    const seed = this.options.rules === 'seed';
    const inputTokens = seed ? t.inputTokensSuccessful : t.inputTokensAll;
    const outputTokens = seed ? t.outputTokensSuccessful : t.outputTokensAll;
    const counts = {} as Record<ItlEligibility, number>;
    ITL_ELIGIBILITIES.forEach((e, i) => {
      counts[e] = t.eligibility[i] as number;
    });
    const row: BenchRepeatMetrics = {
      repeat: t.repeat,
      duration_s: durationS,
      expected_requests: t.expected,
      completed_requests: t.completed,
      errored_requests: t.expected - t.completed,
      warmup_expected: warmup.expected,
      warmup_completed: warmup.completed,
      warmup_errored: warmup.errored,
      // HEAD's audit totals: over ALL measured requests, failed ones included (both rules)
      actual_input_tokens: t.inputTokensAll,
      output_tokens: t.outputTokensAll,
      output_token_count_source: combinedTokenSource(t.sources),
      itl_eligible_requests: t.eligible,
      itl_ineligible_requests: ineligible,
      itl_expected_intervals: t.expectedIntervals,
      itl_observed_intervals: t.observedIntervals,
      itl_eligibility_counts: counts as ItlEligibilityCounts,
      ttft_ms: percentiles.ttft_ms ?? ZERO_PERCENTILES,
      tpot_ms: percentiles.tpot_ms ?? ZERO_PERCENTILES,
      itl_ms: itlRow,
      e2e_ms: percentiles.e2e_ms ?? ZERO_PERCENTILES,
      output_throughput_tps: outputTokens / durationS,
      total_throughput_tps: (inputTokens + outputTokens) / durationS,
      request_throughput_rps: t.completed / durationS,
      goodput_rps: t.metSlo / durationS,
      quality_issues: qualityCounts((f) => t.flags[FLAG_SLOT[f] as number] as number),
      warmup_quality_issues: qualityCounts((f) => warmup.flagCounts[f] ?? 0),
    };
    for (const rate of [
      row.output_throughput_tps,
      row.total_throughput_tps,
      row.request_throughput_rps,
      row.goodput_rps,
    ]) {
      if (!Number.isFinite(rate)) throw preconditionError(`repeat ${t.repeat}: a rate is not finite`);
    }
    const result: RepeatResult = {
      row,
      tally: t,
      fullyEligible,
      percentiles,
      requests: this.requests,
    };
    this.repeats.push(result);
    this.tally = null;
    return result;
  }
}
