// ferrum's cross-repeat aggregation (ferrum-behaviour §2.3) and the assembly of one cell's
// BenchReport in the locked field order, with the `goodput` extension after env_hash.

import { GoodputError } from '../errors.js';
import type { BenchReport, Env, MetricSet, ScalarStats, Scenario, Slo } from '../schema/bench-report.js';
import {
  GOODPUT_SCHEMA_VERSION,
  type GoodputExtension,
  GoodputExtensionSchema,
} from '../schema/extension.js';
import { scalarStats } from '../stats/scalar-stats.js';
import { type AggregationRules, DEFAULT_AGGREGATION_RULES } from './aggregation-rules.js';
import type { CellAggregator } from './cell-aggregator.js';
import { type ComputedExtension, computeExtension } from './cell-extension.js';
import type { PooledBootstrap } from './pooled-metric.js';

/** What describes a cell besides its requests (the parameters of ferrum's compute_metrics). */
export interface CellParams {
  readonly model: string;
  readonly backend: string;
  readonly scenario: Scenario;
  readonly concurrency?: number;
  /** requests per second (open loop) */
  readonly requestRate?: number;
  /** requested prompt length */
  readonly nPrompt: number;
  /** requested max output tokens */
  readonly nGen: number;
  /** warmup requests per repeat */
  readonly warmupRequests: number;
  readonly slo: Slo;
  readonly env: Env;
  /** env → "sha256:…" (core/env/env-hash.ts's envHash) */
  readonly envHash: (env: Env) => string;
  /** default 'seed' (aggregation-rules.ts) */
  readonly rules?: AggregationRules;
  /** pooled-percentile bootstrap; default seed 0 and 2 000 resamples */
  readonly bootstrap?: PooledBootstrap;
  /** relative usage-vs-events difference flagged as a token mismatch; default 0.1 (AIPerf's 10 %) */
  readonly tokenMismatchRatio?: number;
  /** run metadata for the extension (run id, seed, command line, …); computed fields win, its
   * `warnings` are kept before the computed ones and its `tokens` keys are added to them */
  readonly extension?: Partial<GoodputExtension>;
}

export const DEFAULT_BOOTSTRAP: PooledBootstrap = { seed: 0, resamples: 2000 };
export const DEFAULT_TOKEN_MISMATCH_RATIO = 0.1;

const LATENCY_METRICS = ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2e_ms'] as const;
const POINTS = ['p50', 'p75', 'p95', 'p99'] as const;
const RATES = [
  'output_throughput_tps',
  'total_throughput_tps',
  'request_throughput_rps',
  'goodput_rps',
] as const;

function finite(stats: ScalarStats, what: string): ScalarStats {
  if (!Number.isFinite(stats.mean) || !Number.isFinite(stats.stddev) || !Number.isFinite(stats.ci95_hw)) {
    throw new GoodputError('INTERNAL', `compute_metrics: the aggregate of ${what} is not finite`);
  }
  return stats;
}

/** ferrum §2.3 over the finished repeats. */
function lockedAggregates(
  agg: CellAggregator,
  rules: AggregationRules,
): Record<(typeof LATENCY_METRICS)[number], MetricSet> & Record<(typeof RATES)[number], ScalarStats> {
  const rows = agg.repeats.map((r) => r.row);
  // HEAD zeroes all four ITL point lists when any repeat is not fully ITL-eligible; the seed
  // aggregates the per-repeat ITL of every successful request (aggregation-rules.ts).
  const zeroItl = rules === 'head' && agg.repeats.some((r) => !r.fullyEligible);
  const out = {} as Record<string, MetricSet | ScalarStats>;
  for (const metric of LATENCY_METRICS) {
    const set = {} as Record<(typeof POINTS)[number], ScalarStats>;
    for (const p of POINTS) {
      const values = rows.map((row) => (metric === 'itl_ms' && zeroItl ? 0 : row[metric][p]));
      set[p] = finite(scalarStats(values), `${metric}.${p}`);
    }
    out[metric] = set as MetricSet;
  }
  for (const rate of RATES) out[rate] = finite(scalarStats(rows.map((row) => row[rate])), rate);
  return out as ReturnType<typeof lockedAggregates>;
}

/** The caller's extension fields and the computed ones, keys in the extension schema's order. */
function mergeExtension(
  base: Partial<GoodputExtension> | undefined,
  computed: ComputedExtension,
): GoodputExtension {
  const merged: Record<string, unknown> = { ...base, ...computed, schema_version: GOODPUT_SCHEMA_VERSION };
  if (base?.tokens !== undefined && computed.tokens !== undefined)
    merged.tokens = { ...base.tokens, ...computed.tokens };
  const warnings = [...(base?.warnings ?? []), ...(computed.warnings ?? [])];
  if (warnings.length > 0) merged.warnings = warnings;
  else delete merged.warnings;
  const ordered: Record<string, unknown> = {};
  for (const key of Object.keys(GoodputExtensionSchema.shape))
    if (merged[key] !== undefined) ordered[key] = merged[key];
  for (const key of Object.keys(merged))
    if (!(key in ordered) && merged[key] !== undefined) ordered[key] = merged[key];
  return ordered as GoodputExtension;
}

/** The BenchReport of a cell whose repeats are all finished in `agg`. */
export function assembleReport(params: CellParams, agg: CellAggregator): BenchReport {
  const rules = params.rules ?? DEFAULT_AGGREGATION_RULES;
  const locked = lockedAggregates(agg, rules);
  const extension = computeExtension(agg, {
    bootstrap: params.bootstrap ?? DEFAULT_BOOTSTRAP,
    tokenMismatchRatio: params.tokenMismatchRatio ?? DEFAULT_TOKEN_MISMATCH_RATIO,
  });
  const repeats = agg.repeats;
  const rows = repeats.map((r) => r.row);
  const perRun = (pick: (r: (typeof rows)[number]) => number) => rows.map(pick);
  const report: BenchReport = {
    model: params.model,
    backend: params.backend,
    scenario: params.scenario,
    ...(params.concurrency === undefined ? {} : { concurrency: params.concurrency }),
    ...(params.requestRate === undefined ? {} : { request_rate: params.requestRate }),
    n_prompt: params.nPrompt,
    n_gen: params.nGen,
    output_tokens_per_request: repeats.map((r) => r.requests.outputTokens()),
    itl_evidence_per_request: repeats.map((r) => r.requests.itlEvidence()),
    n_repeats: repeats.length,
    n_requests_per_run: rows[0]?.expected_requests ?? 0,
    warmup_requests: params.warmupRequests,
    repeat_metrics: rows,
    ttft_ms: locked.ttft_ms,
    tpot_ms: locked.tpot_ms,
    itl_ms: locked.itl_ms,
    e2e_ms: locked.e2e_ms,
    output_throughput_tps: locked.output_throughput_tps,
    total_throughput_tps: locked.total_throughput_tps,
    request_throughput_rps: locked.request_throughput_rps,
    goodput_rps: locked.goodput_rps,
    slo: {
      ttft_p99_ms: params.slo.ttft_p99_ms,
      tpot_p99_ms: params.slo.tpot_p99_ms,
      e2e_p99_ms: params.slo.e2e_p99_ms,
    },
    completed_per_run: perRun((r) => r.completed_requests),
    errored_per_run: perRun((r) => r.errored_requests),
    bad_output_per_run: perRun((r) => r.quality_issues.bad_output),
    malformed_stream_per_run: perRun((r) => r.quality_issues.malformed_stream),
    missing_done_per_run: perRun((r) => r.quality_issues.missing_done),
    duplicate_done_per_run: perRun((r) => r.quality_issues.duplicate_done),
    zero_output_tokens_per_run: perRun((r) => r.quality_issues.zero_output_tokens),
    stream_bulk_flush_per_run: perRun((r) => r.quality_issues.stream_bulk_flush),
    http_500_per_run: perRun((r) => r.quality_issues.http_500),
    panic_per_run: perRun((r) => r.quality_issues.panic),
    quality_issues_per_run: rows.map((r) => r.quality_issues),
    env: params.env,
    env_hash: params.envHash(params.env),
    goodput: mergeExtension(params.extension, extension),
  };
  return report;
}
