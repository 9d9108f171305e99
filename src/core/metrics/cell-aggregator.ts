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
  type RequestItlEvidence,
  type Slo,
} from '../schema/bench-report.js';
import { REQUEST_FLAGS, type RequestFlag } from '../schema/request-record.js';
import { accurateSum } from '../stats/accurate-sum.js';
import { percentilesOf } from '../stats/order-statistics.js';
import { SampleBuffer } from '../stats/sample-buffer.js';
import type { AggregationRules } from './aggregation-rules.js';
import type { DerivedRequest, OutputTokenSource, WarmupSummary } from './derived-request.js';
import { combinedTokenSource } from './output-tokens.js';
import { checkItlSample, checkRequestInvariants, preconditionError } from './request-invariants.js';
import { NON_FAILING_FLAGS } from './request-success.js';
import { SLO_MISS_E2E, SLO_MISS_TPOT, SLO_MISS_TTFT, sloMissMask } from './slo-check.js';
import { tpotMsOf } from './tpot.js';

// Latency samples go into growable typed columns (one segment per repeat), counters into a
// per-repeat tally; the locked BenchRepeatMetrics rows come out of endRepeat, and the pooled
// columns stay for the extension (cell-extension.ts).

const LOCKED_QS = [0.5, 0.75, 0.95, 0.99] as const;
const FLAG_SLOT: Readonly<Record<string, number>> = Object.fromEntries(REQUEST_FLAGS.map((f, i) => [f, i]));
const ELIGIBILITY_SLOT: Readonly<Record<string, number>> = Object.fromEntries(
  ITL_ELIGIBILITIES.map((e, i) => [e, i]),
);

/** Everything counted over one repeat's measured requests. */
export interface RepeatTally {
  repeat: number;
  expected: number;
  records: number;
  completed: number;
  metSlo: number;
  missedTtft: number;
  missedTpot: number;
  missedE2e: number;
  inputTokensAll: number;
  outputTokensAll: number;
  inputTokensSuccessful: number;
  outputTokensSuccessful: number;
  /** requests per output-token source */
  sources: Record<OutputTokenSource, number>;
  /** usage present and |usage − events| > ratio · max(usage, 1) */
  tokenMismatches: number;
  /** per ITL_ELIGIBILITIES slot */
  eligibility: number[];
  eligible: number;
  expectedIntervals: number;
  observedIntervals: number;
  /** successful requests with ≥ 2 output tokens (those that have intervals to measure) */
  itlCoverable: number;
  /** …of which ITL-eligible */
  itlCovered: number;
  /** …of which covered although some of their events shared a network read */
  itlCoalesced: number;
  /** per REQUEST_FLAGS slot */
  flags: number[];
  /** failed requests that carry no failing flag */
  unlabelled: number;
  /** Σ E2E of successful requests (ms), for SGLang's "concurrency" */
  e2eSumSuccessfulMs: number;
  serverInputTokensSum: number;
  serverInputTokensCount: number;
  durationS: number;
}

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
  readonly outputTokensPerRequest: number[];
  readonly itlEvidencePerRequest: RequestItlEvidence[];
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

/** The largest ITL column allocated up front (32 M samples, 256 MB; pages never written are not
 * resident); beyond it, it grows. */
const MAX_ITL_HINT = 1 << 25;

/** Pooled per-request columns over every repeat (successful requests unless said otherwise). */
export interface CellColumns {
  readonly ttftMs: SampleBuffer;
  readonly tpotMs: SampleBuffer;
  /** ITL samples of the successful, ITL-eligible requests (the extension's covered ITL) */
  readonly itlCoveredMs: SampleBuffer;
  /** ITL samples of the other successful requests; with itlCoveredMs, the seed's locked ITL */
  readonly itlUncoveredMs: SampleBuffer;
  readonly e2eMs: SampleBuffer;
  /** E2E / tokens: GuideLLM's TPOT and LLMPerf's ITL */
  readonly e2ePerTokenMs: SampleBuffer;
  /** tokens / E2E in s: LLMPerf's per-request output throughput */
  readonly outputTpsPerRequest: SampleBuffer;
  /** stream end − send: ferrum's E2E */
  readonly e2eToStreamEndMs: SampleBuffer;
  /** (stream-end E2E − TTFT) / (tokens − 1): ferrum's TPOT */
  readonly tpotToStreamEndMs: SampleBuffer;
  readonly tailAfterLastTokenMs: SampleBuffer;
  readonly intendedTtftMs: SampleBuffer;
  readonly intendedE2eMs: SampleBuffer;
  /** over every measured request that has one */
  readonly clientQueueMs: SampleBuffer;
  /** over every measured request that opened a connection */
  readonly connectMs: SampleBuffer;
}

function newTally(repeat: number, expected: number): RepeatTally {
  return {
    repeat,
    expected,
    records: 0,
    completed: 0,
    metSlo: 0,
    missedTtft: 0,
    missedTpot: 0,
    missedE2e: 0,
    inputTokensAll: 0,
    outputTokensAll: 0,
    inputTokensSuccessful: 0,
    outputTokensSuccessful: 0,
    sources: { usage: 0, stream_chunks: 0, none: 0 },
    tokenMismatches: 0,
    eligibility: ITL_ELIGIBILITIES.map(() => 0),
    eligible: 0,
    expectedIntervals: 0,
    observedIntervals: 0,
    itlCoverable: 0,
    itlCovered: 0,
    itlCoalesced: 0,
    flags: REQUEST_FLAGS.map(() => 0),
    unlabelled: 0,
    e2eSumSuccessfulMs: 0,
    serverInputTokensSum: 0,
    serverInputTokensCount: 0,
    durationS: 0,
  };
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

/** Within-repeat percentiles of column segments, or null when they are empty (may reorder them). */
function percentilesOrNull(segments: Float64Array[]): RepeatPercentiles | null {
  const parts = segments.filter((s) => s.length > 0);
  return parts.length === 0 ? null : toRepeatPercentiles(percentilesOf(parts, LOCKED_QS));
}

function segmentPercentiles(buffer: SampleBuffer, start: number): RepeatPercentiles | null {
  return percentilesOrNull([buffer.view(start)]);
}

export class CellAggregator {
  readonly columns: CellColumns;
  readonly repeats: RepeatResult[] = [];
  private tally: RepeatTally | null = null;
  private outputTokens: number[] = [];
  private evidence: RequestItlEvidence[] = [];
  private start = { ttft: 0, tpot: 0, itlCovered: 0, itlUncovered: 0, e2e: 0 };

  constructor(private readonly options: CellAggregatorOptions) {
    // Sizing the columns up front avoids copying tens of MB while they grow (a hint only).
    const perRequest = Math.max(16, options.expectedRequests ?? 1024);
    const itl = Math.min(MAX_ITL_HINT, perRequest * Math.max(1, (options.expectedOutputTokens ?? 2) - 1));
    const column = () => new SampleBuffer(perRequest);
    this.columns = {
      ttftMs: column(),
      tpotMs: column(),
      itlCoveredMs: new SampleBuffer(itl),
      itlUncoveredMs: new SampleBuffer(1024),
      e2eMs: column(),
      e2ePerTokenMs: column(),
      outputTpsPerRequest: column(),
      e2eToStreamEndMs: column(),
      tpotToStreamEndMs: column(),
      tailAfterLastTokenMs: column(),
      intendedTtftMs: column(),
      intendedE2eMs: column(),
      clientQueueMs: column(),
      connectMs: column(),
    };
  }

  beginRepeat(repeat: number, expected: number): void {
    if (this.tally !== null)
      throw preconditionError(`repeat ${repeat} began before repeat ${this.tally.repeat} ended`);
    this.tally = newTally(repeat, expected);
    this.outputTokens = new Array<number>(expected);
    this.evidence = new Array<RequestItlEvidence>(expected);
    const c = this.columns;
    this.start = {
      ttft: c.ttftMs.length,
      tpot: c.tpotMs.length,
      itlCovered: c.itlCoveredMs.length,
      itlUncovered: c.itlUncoveredMs.length,
      e2e: c.e2eMs.length,
    };
  }

  /** True when submission slot `index` of the current repeat already has a request. */
  isFilled(index: number): boolean {
    return this.evidence[index] !== undefined;
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
    if (index < 0 || index >= t.expected || this.evidence[index] !== undefined) {
      throw preconditionError(`repeat ${t.repeat} request ${index}: index out of range or already filled`);
    }

    t.records++;
    this.outputTokens[index] = d.outputTokens;
    this.evidence[index] = ev;
    t.inputTokensAll += d.inputTokens;
    t.outputTokensAll += d.outputTokens;
    t.sources[d.outputTokenSource]++;
    const usage = ev.usage_output_tokens;
    if (
      usage !== undefined &&
      Math.abs(usage - ev.output_events) > this.options.tokenMismatchRatio * Math.max(usage, 1)
    ) {
      t.tokenMismatches++;
    }
    const slot = ELIGIBILITY_SLOT[ev.eligibility] as number;
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
    if (d.clientQueueMs !== undefined) c.clientQueueMs.push(d.clientQueueMs);
    if (d.connectMs !== undefined) c.connectMs.push(d.connectMs);
    const itl = d.itlMs;
    if (!d.success) {
      if (!failingFlag) t.unlabelled++;
      for (let i = 0; i < itlCount; i++) checkItlSample(itl[i] as number, t.repeat, index, i);
      return;
    }

    t.completed++;
    t.inputTokensSuccessful += d.inputTokens;
    t.outputTokensSuccessful += d.outputTokens;
    c.ttftMs.push(d.ttftMs);
    c.e2eMs.push(d.e2eMs);
    const tpot = tpotMsOf(d.ttftMs, d.e2eMs, d.outputTokens);
    if (tpot !== undefined) c.tpotMs.push(tpot);
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
    const itlColumn = covered ? c.itlCoveredMs : c.itlUncoveredMs;
    for (let i = 0; i < itlCount; i++) {
      const v = itl[i] as number;
      checkItlSample(v, t.repeat, index, i);
      itlColumn.push(v);
    }
    c.e2ePerTokenMs.push(d.e2eMs / d.outputTokens);
    if (d.e2eMs > 0) c.outputTpsPerRequest.push(d.outputTokens / (d.e2eMs / 1000));
    if (d.e2eToStreamEndMs !== undefined) {
      c.e2eToStreamEndMs.push(d.e2eToStreamEndMs);
      c.tailAfterLastTokenMs.push(d.e2eToStreamEndMs - d.e2eMs);
      const tpotToEnd = tpotMsOf(d.ttftMs, d.e2eToStreamEndMs, d.outputTokens);
      if (tpotToEnd !== undefined) c.tpotToStreamEndMs.push(tpotToEnd);
    }
    if (d.intendedTtftMs !== undefined) c.intendedTtftMs.push(d.intendedTtftMs);
    if (d.intendedE2eMs !== undefined) c.intendedE2eMs.push(d.intendedE2eMs);
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
    t.e2eSumSuccessfulMs = accurateSum(c.e2eMs.view(this.start.e2e));
    const percentiles = {
      ttft_ms: segmentPercentiles(c.ttftMs, this.start.ttft),
      tpot_ms: segmentPercentiles(c.tpotMs, this.start.tpot),
      itl_ms: percentilesOrNull([
        c.itlCoveredMs.view(this.start.itlCovered),
        c.itlUncoveredMs.view(this.start.itlUncovered),
      ]),
      e2e_ms: segmentPercentiles(c.e2eMs, this.start.e2e),
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
      outputTokensPerRequest: this.outputTokens,
      itlEvidencePerRequest: this.evidence,
    };
    this.repeats.push(result);
    this.tally = null;
    return result;
  }
}

/** Count of `flag` in a tally. */
export function flagCount(tally: RepeatTally, flag: RequestFlag): number {
  return tally.flags[FLAG_SLOT[flag] as number] as number;
}
