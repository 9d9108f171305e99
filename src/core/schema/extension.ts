// goodput's additions to a ferrum BenchReport: one object under the key `goodput`, written after
// `env_hash` (SPEC §2.1). A ferrum reader ignores it. Every field except `schema_version` is
// optional so that producers (bench-serve, bench, merge, import) fill what they know.

import { z } from 'zod';

export const GOODPUT_SCHEMA_VERSION = 1;

/** Per-request thresholds used for the goodput miss breakdown. */
const num = () => z.number();
const nullableNum = () => z.number().nullable();

/** Statistics of one metric over the pooled requests of all repeats (SPEC §2.3). */
export const PooledPercentileSchema = z.looseObject({
  value: num(),
  ci95_low: num(),
  ci95_high: num(),
  /** true when the sample is too small for this percentile (p99 from fewer than ~100 samples). */
  low_sample: z.boolean(),
});
export type PooledPercentile = z.infer<typeof PooledPercentileSchema>;

export const PooledMetricSchema = z.looseObject({
  n: z.int().min(0),
  mean: nullableNum(),
  p50: PooledPercentileSchema.nullable(),
  p75: PooledPercentileSchema.nullable(),
  p90: PooledPercentileSchema.nullable(),
  p95: PooledPercentileSchema.nullable(),
  p99: PooledPercentileSchema.nullable(),
  min: nullableNum(),
  max: nullableNum(),
});
export type PooledMetric = z.infer<typeof PooledMetricSchema>;

/** Cross-repeat statistics that treat an empty repeat as missing, not 0 (SPEC §2.3). */
export const RepeatStatsSchema = z.looseObject({
  /** number of repeats that contributed a value */
  n: z.int().min(0),
  mean: nullableNum(),
  stddev: nullableNum(),
  ci95_hw: nullableNum(),
  /** the exact Student-t quantile used (null below 2 contributing repeats) */
  t: nullableNum(),
  values: z.array(nullableNum()),
});
export type RepeatStats = z.infer<typeof RepeatStatsSchema>;

export const METRIC_NAMES = ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2e_ms'] as const;
export const PERCENTILE_NAMES = ['p50', 'p75', 'p95', 'p99'] as const;
export const RATE_NAMES = [
  'output_throughput_tps',
  'total_throughput_tps',
  'request_throughput_rps',
  'goodput_rps',
] as const;

export const EXTENDED_FLAGS = [
  'connect_error',
  'timeout',
  'http_429',
  'http_4xx',
  'http_5xx',
  'server_error_event',
  'data_after_done',
  'usage_mismatch',
  'truncated_body',
  'aborted',
] as const;

export const StatisticsSchema = z.looseObject({
  /** metric → percentile → cross-repeat stats with empty repeats missing */
  repeats: z.record(z.string(), z.record(z.string(), RepeatStatsSchema)),
  /** rate → cross-repeat stats */
  rates: z.record(z.string(), RepeatStatsSchema),
  /** metric → pooled percentiles over all requests of all repeats, with bootstrap CIs */
  pooled: z.record(z.string(), PooledMetricSchema),
  bootstrap: z.looseObject({ seed: z.int(), resamples: z.int().min(0) }),
});

export const ItlCoverageSchema = z.looseObject({
  eligible_requests: z.int().min(0),
  successful_requests: z.int().min(0),
  /** eligible / successful, 0..1 (1 when every successful request is one-token-per-event) */
  fraction: z.number(),
  /** covered requests some of whose events shared one network read (their gaps are ≈ 0 as observed) */
  transport_coalesced_requests: z.int().min(0).optional(),
  /** ITL percentiles over the covered requests, pooled across repeats */
  itl_ms: PooledMetricSchema.optional(),
});

export const GoodputMissesSchema = z.looseObject({
  successful: z.int().min(0),
  met_slo: z.int().min(0),
  /** requests that missed on each criterion (a request may miss on several) */
  ttft: z.int().min(0),
  tpot: z.int().min(0),
  e2e: z.int().min(0),
});

export const TokenProvenanceSchema = z.looseObject({
  /** output tokens: requests counted by each source */
  output_sources: z.record(z.string(), z.int().min(0)),
  /** requests whose usage and event counts differ by more than the threshold */
  mismatched_requests: z.int().min(0),
  mismatch_threshold: z.number().optional(),
  stream_options_rejected: z.boolean().optional(),
  input_tokens_client_mean: z.number().optional(),
  input_tokens_server_mean: z.number().optional(),
  tokenizer: z.string().optional(),
});

export const ClientHealthSchema = z.looseObject({
  client_limited: z.boolean(),
  reasons: z.array(z.string()),
  dispatch_lag_ms: z.looseObject({ p50: num(), p99: num(), max: num() }).optional(),
  event_loop_delay_ms: z.looseObject({ p50: num(), p99: num(), max: num() }).optional(),
  cpu_fraction: z.number().optional(),
  /** busy fraction of the busiest load-generating thread's event loop, 0..1 */
  loop_utilization: z.number().optional(),
  events_per_s: z.number().optional(),
  /** requests completed per second of the measured window (all load-generating threads) */
  requests_per_s: z.number().optional(),
  /** load-generating threads (bench-serve --workers) */
  threads: z.int().min(1).optional(),
  calibration: z
    .looseObject({
      measured_at: z.string(),
      max_events_per_s: z.number(),
      max_requests_per_s: z.number(),
      machine: z.string().optional(),
    })
    .optional(),
});

export type ClientHealth = z.infer<typeof ClientHealthSchema>;

export const ServerIdentitySchema = z.looseObject({
  base_url: z.string().optional(),
  models: z.array(z.string()).optional(),
  version: z.string().optional(),
  server_header: z.string().optional(),
  server_args: z.array(z.string()).optional(),
  server_env: z.record(z.string(), z.string()).optional(),
});

export const GoodputExtensionSchema = z.looseObject({
  schema_version: z.int().min(1),
  tool_version: z.string().optional(),
  run_id: z.string().optional(),
  cell_key: z.string().optional(),
  label: z.string().optional(),
  started_at: z.string().optional(),
  finished_at: z.string().optional(),
  command_line: z.array(z.string()).optional(),
  seed: z.int().optional(),
  dataset: z.looseObject({ name: z.string() }).optional(),
  load: z.looseObject({ kind: z.string() }).optional(),
  warmup_policy: z.looseObject({ mode: z.string() }).optional(),
  statistics: StatisticsSchema.optional(),
  itl_coverage: ItlCoverageSchema.optional(),
  goodput_misses: GoodputMissesSchema.optional(),
  /** extended error taxonomy: flag → count per repeat */
  errors_per_run: z.record(z.string(), z.array(z.int().min(0))).optional(),
  /** open loop: TTFT and E2E measured from the scheduled send time (coordinated omission) */
  intended_start: z
    .looseObject({ ttft_ms: z.record(z.string(), z.number()), e2e_ms: z.record(z.string(), z.number()) })
    .optional(),
  /** request phases (ms) over measured requests: client_queue_ms (open loop: send − scheduled),
   * connect_ms (new connections only), tail_after_last_token_ms (stream end − last output event) */
  phases: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  peer_dialects: z.record(z.string(), z.record(z.string(), z.number())).optional(),
  tokens: TokenProvenanceSchema.optional(),
  client: ClientHealthSchema.optional(),
  server: ServerIdentitySchema.optional(),
  comparability: z.looseObject({ key: z.record(z.string(), z.unknown()), hash: z.string() }).optional(),
  provenance: z.record(z.string(), z.unknown()).optional(),
  shared_prefix: z.record(z.string(), z.unknown()).optional(),
  warnings: z.array(z.string()).optional(),
});
export type GoodputExtension = z.infer<typeof GoodputExtensionSchema>;
