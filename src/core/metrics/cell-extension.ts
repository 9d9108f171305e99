// The computed part of goodput's `goodput` extension for one cell (SPEC §2.3, §3.5, §3.6): the
// statistics, ITL coverage, goodput misses, error taxonomy, intended start, phases, dialects, tokens.

import {
  EXTENDED_FLAGS,
  type GoodputExtension,
  METRIC_NAMES,
  PERCENTILE_NAMES,
  type PooledMetric,
  RATE_NAMES,
} from '../schema/extension.js';
import { repeatStats } from '../stats/repeat-stats.js';
import type { CellAggregator } from './cell-aggregator.js';
import { type DerivedColumn, derivedLength } from './derived-columns.js';
import { type DistributionSummary, summarize } from './distribution-summary.js';
import { peerDialects } from './peer-dialects.js';
import { isLowSample, nestedPooledMetrics, type PooledBootstrap, pooledMetric } from './pooled-metric.js';
import { flagCount } from './repeat-tally.js';

export interface ExtensionOptions {
  readonly bootstrap: PooledBootstrap;
  readonly tokenMismatchRatio: number;
}

/** The extension fields computeMetrics fills (the caller adds run metadata around them). */
export type ComputedExtension = Pick<
  GoodputExtension,
  | 'statistics'
  | 'itl_coverage'
  | 'goodput_misses'
  | 'errors_per_run'
  | 'intended_start'
  | 'phases'
  | 'peer_dialects'
  | 'tokens'
  | 'warnings'
>;

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

function percent(fraction: number): string {
  return `${(fraction * 100).toFixed(1)} %`;
}

export function computeExtension(agg: CellAggregator, options: ExtensionOptions): ComputedExtension {
  const repeats = agg.repeats;
  const tallies = repeats.map((r) => r.tally);
  const cols = agg.columns;
  const warnings: string[] = [];

  // Cross-repeat statistics. A repeat without a sample is missing (null), not 0 (SPEC §2.3).
  // Rates are never missing: a repeat in which every request failed really delivered 0 tokens/s
  // over its window, and dropping it would overstate the throughput a user can expect.
  const repeatsStats: Record<string, Record<string, ReturnType<typeof repeatStats>>> = {};
  for (const metric of METRIC_NAMES) {
    const perPercentile: Record<string, ReturnType<typeof repeatStats>> = {};
    for (const p of PERCENTILE_NAMES)
      perPercentile[p] = repeatStats(repeats.map((r) => r.percentiles[metric]?.[p] ?? null));
    repeatsStats[metric] = perPercentile;
  }
  const rates: Record<string, ReturnType<typeof repeatStats>> = {};
  for (const rate of RATE_NAMES) rates[rate] = repeatStats(repeats.map((r) => r.row[rate]));

  // one scratch array for every derived column, made and summarised one at a time
  const scratch = new Float64Array(derivedLength(cols));
  const derive = (column: DerivedColumn) => agg.derived(column, scratch);
  // The locked ITL pools every successful request's samples; the extension's covered ITL only the
  // one-token-per-event requests', a prefix of the same parts: both come from one read of them,
  // and are one statistic when every sample is covered.
  const coveredParts = cols.itlCoveredMs.parts();
  const itlParts = [...coveredParts, ...cols.itlUncoveredMs.parts()];
  let itlMs: PooledMetric;
  let coveredItl: PooledMetric;
  if (cols.itlUncoveredMs.length === 0) {
    itlMs = pooledMetric(itlParts, 'itl_ms', options.bootstrap);
    coveredItl = itlMs;
  } else {
    [coveredItl, itlMs] = nestedPooledMetrics(
      itlParts,
      [
        { parts: coveredParts.length, label: 'itl_covered_ms' },
        { parts: itlParts.length, label: 'itl_ms' },
      ],
      options.bootstrap,
    ) as [PooledMetric, PooledMetric];
  }
  const pooled = {
    ttft_ms: pooledMetric(cols.ttftMs.parts(), 'ttft_ms', options.bootstrap),
    tpot_ms: pooledMetric(derive('tpot_ms'), 'tpot_ms', options.bootstrap),
    itl_ms: itlMs,
    e2e_ms: pooledMetric(cols.e2eMs.parts(), 'e2e_ms', options.bootstrap),
  };

  // ITL coverage: one-token-per-event requests (eligible, or eligible but for transport
  // coalescing: see CellAggregator.add) over the successful ones that have intervals to measure
  // (≥ 2 output tokens); single-token successes are neither covered nor uncovered (ferrum's
  // too_short made one of them hide ITL for a whole report, ferrum-behaviour §13 item 14).
  const covered = sum(tallies.map((t) => t.itlCovered));
  const coverable = sum(tallies.map((t) => t.itlCoverable));
  const fraction = coverable === 0 ? 0 : covered / coverable;
  if (coverable > 0 && covered < coverable) {
    warnings.push(
      `ITL coverage ${percent(fraction)}: ${coverable - covered} of ${coverable} successful requests are not provably one token per event; extension.itl_coverage.itl_ms holds ITL over the covered ones`,
    );
  }

  const successful = sum(tallies.map((t) => t.completed));
  const goodputMisses = {
    successful,
    met_slo: sum(tallies.map((t) => t.metSlo)),
    ttft: sum(tallies.map((t) => t.missedTtft)),
    tpot: sum(tallies.map((t) => t.missedTpot)),
    e2e: sum(tallies.map((t) => t.missedE2e)),
  };

  const errorsPerRun: Record<string, number[]> = {};
  for (const flag of EXTENDED_FLAGS) errorsPerRun[flag] = tallies.map((t) => flagCount(t, flag));
  errorsPerRun.unlabelled = tallies.map((t) => t.unlabelled);
  const unlabelled = sum(errorsPerRun.unlabelled);
  if (unlabelled > 0) warnings.push(`${unlabelled} failed request(s) carry no error flag`);

  const intendedTtft = summarize(derive('intended_ttft_ms'));
  const intendedE2e = summarize(derive('intended_e2e_ms'));
  const phases: Record<string, DistributionSummary> = {};
  // each summarised before the next derived column reuses the scratch
  for (const [name, samples] of [
    ['client_queue_ms', () => derive('client_queue_ms')],
    ['connect_ms', () => cols.connectMs.parts()],
    ['tail_after_last_token_ms', () => derive('tail_after_last_token_ms')],
  ] as const) {
    const s = summarize(samples());
    if (s !== null) phases[name] = s;
  }

  const records = sum(tallies.map((t) => t.records));
  const mismatched = sum(tallies.map((t) => t.tokenMismatches));
  const serverCount = sum(tallies.map((t) => t.serverInputTokensCount));
  if (mismatched > 0) {
    warnings.push(
      `${mismatched} request(s) whose server usage and streamed event count differ by more than ${percent(options.tokenMismatchRatio)}`,
    );
  }
  const tokens = {
    output_sources: {
      usage: sum(tallies.map((t) => t.sources.usage)),
      stream_chunks: sum(tallies.map((t) => t.sources.stream_chunks)),
      none: sum(tallies.map((t) => t.sources.none)),
    },
    mismatched_requests: mismatched,
    mismatch_threshold: options.tokenMismatchRatio,
    ...(records === 0
      ? {}
      : { input_tokens_client_mean: sum(tallies.map((t) => t.inputTokensAll)) / records }),
    ...(serverCount === 0
      ? {}
      : { input_tokens_server_mean: sum(tallies.map((t) => t.serverInputTokensSum)) / serverCount }),
  };

  if (repeats.length < 3) {
    warnings.push(
      `n_repeats = ${repeats.length} < 3: no dispersion or confidence interval; comparisons are not assessable`,
    );
  }
  for (const t of tallies) {
    if (t.completed === 0) {
      warnings.push(
        `repeat ${t.repeat} had no successful request: its percentiles are 0 in the locked fields and missing in the extension`,
      );
    }
  }
  for (const metric of METRIC_NAMES) {
    const n = pooled[metric].n;
    if (n > 0 && isLowSample(n, 0.99))
      warnings.push(`${metric} p99 from ${n} samples (fewer than 100): flagged low_sample`);
  }

  return {
    statistics: {
      repeats: repeatsStats,
      rates,
      pooled,
      bootstrap: { seed: options.bootstrap.seed, resamples: options.bootstrap.resamples },
    },
    itl_coverage: {
      eligible_requests: covered,
      successful_requests: coverable,
      fraction,
      transport_coalesced_requests: sum(tallies.map((t) => t.itlCoalesced)),
      ...(coveredItl.n > 0 ? { itl_ms: coveredItl } : {}),
    },
    goodput_misses: goodputMisses,
    errors_per_run: errorsPerRun,
    ...(intendedTtft === null || intendedE2e === null
      ? {}
      : { intended_start: { ttft_ms: intendedTtft, e2e_ms: intendedE2e } }),
    ...(Object.keys(phases).length === 0 ? {} : { phases }),
    peer_dialects: peerDialects(derive, pooled.tpot_ms, repeats),
    tokens,
    warnings,
  };
}
