// The locked ferrum report schema (ferrum-behaviour §1) as zod schemas: the single source of the
// TypeScript types, the runtime validation and the shipped JSON Schema. Field ORDER in each
// object below is the contract: the ordered writer emits keys in exactly this order.
// Every object is loose: unknown keys are kept on read so a round-trip loses nothing.
// `u32`/`u64` fields are integers; everything else typed `f64` is written in Rust's float form.

import { z } from 'zod';
import { GoodputExtensionSchema } from './extension.js';

/** The largest finite double: ferrum HEAD's "unbounded" SLO sentinel (ferrum-behaviour §1.3). */
export const UNBOUNDED_SLO_MS = Number.MAX_VALUE;

export const u32 = () => z.int().min(0).max(4294967295);
export const u64 = () => z.int().min(0);
export const f64 = () => z.number();

export const ScenarioSchema = z.enum(['closed_loop', 'open_loop', 'shared_prefix', 'cli']);
export type Scenario = z.infer<typeof ScenarioSchema>;

/** A per-request threshold in ms; 0.7.7 wrote the unbounded value as null: read it as unbounded. */
const sloThreshold = () =>
  z
    .union([z.number(), z.null()])
    .transform((v) => (v === null ? UNBOUNDED_SLO_MS : v))
    .pipe(z.number().positive());

export const SloSchema = z.looseObject({
  ttft_p99_ms: sloThreshold(),
  tpot_p99_ms: sloThreshold(),
  e2e_p99_ms: sloThreshold(),
});
export type Slo = z.infer<typeof SloSchema>;

/** Cross-repeat aggregate of one scalar. stddev / ci95_hw are omitted when exactly 0 (ferrum §1.4). */
export const ScalarStatsSchema = z.looseObject({
  mean: f64(),
  stddev: f64().default(0),
  ci95_hw: f64().default(0),
});
export type ScalarStats = z.infer<typeof ScalarStatsSchema>;

export const MetricSetSchema = z.looseObject({
  p50: ScalarStatsSchema,
  p75: ScalarStatsSchema,
  p95: ScalarStatsSchema,
  p99: ScalarStatsSchema,
});
export type MetricSet = z.infer<typeof MetricSetSchema>;

export const TokenLengthStatsSchema = z.looseObject({
  requested: u32(),
  min: u32(),
  max: u32(),
  mean: f64(),
});
export type TokenLengthStats = z.infer<typeof TokenLengthStatsSchema>;

export const QUALITY_FLAGS = [
  'bad_output',
  'malformed_stream',
  'missing_done',
  'duplicate_done',
  'zero_output_tokens',
  'stream_bulk_flush',
  'http_500',
  'panic',
] as const;
export type QualityFlag = (typeof QUALITY_FLAGS)[number];

/** Eight counters, all required on read (ferrum §1.7). stream_bulk_flush is dead at HEAD. */
export const QualityIssueCountsSchema = z.looseObject({
  bad_output: u32(),
  malformed_stream: u32(),
  missing_done: u32(),
  duplicate_done: u32(),
  zero_output_tokens: u32(),
  stream_bulk_flush: u32(),
  http_500: u32(),
  panic: u32(),
});
export type QualityIssueCounts = z.infer<typeof QualityIssueCountsSchema>;

export const RepeatPercentilesSchema = z.looseObject({
  p50: f64(),
  p75: f64(),
  p95: f64(),
  p99: f64(),
});
export type RepeatPercentiles = z.infer<typeof RepeatPercentilesSchema>;

export const ItlEvidenceSourceSchema = z.enum(['none', 'sse_delta_events', 'engine_token_events']);
export type ItlEvidenceSource = z.infer<typeof ItlEvidenceSourceSchema>;

export const ITL_ELIGIBILITIES = [
  'eligible',
  'missing_evidence',
  'request_failed',
  'missing_usage',
  'too_short',
  'event_usage_mismatch',
  'interval_count_mismatch',
  'transport_coalesced',
] as const;
export const ItlEligibilitySchema = z.enum(ITL_ELIGIBILITIES);
export type ItlEligibility = z.infer<typeof ItlEligibilitySchema>;

export const RequestItlEvidenceSchema = z.looseObject({
  source: ItlEvidenceSourceSchema.default('none'),
  output_events: u32().default(0),
  usage_output_tokens: u32().optional(),
  observed_intervals: u32().default(0),
  transport_coalesced_output_chunks: u32().default(0),
  eligibility: ItlEligibilitySchema.default('missing_evidence'),
});
export type RequestItlEvidence = z.infer<typeof RequestItlEvidenceSchema>;

export const ItlEligibilityCountsSchema = z.looseObject({
  eligible: u32().default(0),
  missing_evidence: u32().default(0),
  request_failed: u32().default(0),
  missing_usage: u32().default(0),
  too_short: u32().default(0),
  event_usage_mismatch: u32().default(0),
  interval_count_mismatch: u32().default(0),
  transport_coalesced: u32().default(0),
});
export type ItlEligibilityCounts = z.infer<typeof ItlEligibilityCountsSchema>;

export const OutputTokenCountSourceSchema = z.enum(['usage', 'stream_chunks', 'none', 'mixed']);
export type OutputTokenCountSource = z.infer<typeof OutputTokenCountSourceSchema>;

export const BenchRepeatMetricsSchema = z.looseObject({
  repeat: u32(),
  duration_s: f64(),
  expected_requests: u32().default(0),
  completed_requests: u32(),
  errored_requests: u32(),
  warmup_expected: u32(),
  warmup_completed: u32(),
  warmup_errored: u32(),
  actual_input_tokens: u64(),
  output_tokens: u64(),
  output_token_count_source: z.string(),
  itl_eligible_requests: u32().default(0),
  itl_ineligible_requests: u32().default(0),
  itl_expected_intervals: u64().default(0),
  itl_observed_intervals: u64().default(0),
  itl_eligibility_counts: ItlEligibilityCountsSchema.default(() => ({
    eligible: 0,
    missing_evidence: 0,
    request_failed: 0,
    missing_usage: 0,
    too_short: 0,
    event_usage_mismatch: 0,
    interval_count_mismatch: 0,
    transport_coalesced: 0,
  })),
  ttft_ms: RepeatPercentilesSchema,
  tpot_ms: RepeatPercentilesSchema,
  itl_ms: RepeatPercentilesSchema,
  e2e_ms: RepeatPercentilesSchema,
  output_throughput_tps: f64(),
  total_throughput_tps: f64(),
  request_throughput_rps: f64(),
  goodput_rps: f64(),
  quality_issues: QualityIssueCountsSchema,
  warmup_quality_issues: QualityIssueCountsSchema,
});
export type BenchRepeatMetrics = z.infer<typeof BenchRepeatMetricsSchema>;

/** One RuntimeConfigSnapshot entry (ferrum-types runtime_config.rs, ferrum-behaviour §4.2). */
export const RuntimeConfigEntrySchema = z.looseObject({
  key: z.string(),
  effective_value: z.string(),
  source: z.enum(['default', 'config_file', 'cli', 'env', 'script_case', 'memory_profile']),
  affects: z.array(z.enum(['correctness', 'performance', 'memory', 'diagnostics'])),
});
export type RuntimeConfigEntry = z.infer<typeof RuntimeConfigEntrySchema>;

export const RuntimeConfigSnapshotSchema = z.looseObject({
  entries: z.array(RuntimeConfigEntrySchema),
});
export type RuntimeConfigSnapshot = z.infer<typeof RuntimeConfigSnapshotSchema>;

/**
 * Env, in hash order (ferrum-behaviour §4.1). `rust` names the runtime; goodput writes the Node
 * version there (e.g. "node-20.20.2"). Maps are written with sorted keys.
 * `runtime_config` is optional here because reports written before it existed do not have it, and
 * their env_hash is over the env without it; goodput always writes it.
 */
export const EnvSchema = z.looseObject({
  commit_sha: z.string(),
  hw_id: z.string(),
  driver: z.string().optional(),
  cuda: z.string().optional(),
  rust: z.string(),
  ferrum_features: z.array(z.string()),
  gpu_clock_lock_mhz: u32().optional(),
  gpu_power_limit_w: u32().optional(),
  gpu_persistence_mode: z.boolean().optional(),
  gpu_auto_boost: z.boolean().optional(),
  ferrum_env: z.record(z.string(), z.string()),
  runtime_config: RuntimeConfigSnapshotSchema.optional(),
  vllm_args: z.array(z.string()).optional(),
});
export type Env = z.infer<typeof EnvSchema>;

export const EnvHashSchema = z
  .string()
  .regex(/^sha256:[0-9a-f]{64}$/, 'expected "sha256:" followed by 64 lowercase hex digits');

const perRun = () => z.array(u32()).default(() => []);

/** One cell: a configuration × n_repeats (ferrum-behaviour §1.11), then goodput's extension. */
export const BenchReportSchema = z.looseObject({
  model: z.string(),
  backend: z.string(),
  scenario: ScenarioSchema,
  concurrency: u32().optional(),
  request_rate: f64().optional(),
  n_prompt: u32(),
  n_gen: u32(),
  actual_input_tokens: TokenLengthStatsSchema.optional(),
  actual_input_tokens_per_request: z.array(z.array(u32())).optional(),
  output_tokens_per_request: z.array(z.array(u32())).optional(),
  itl_evidence_per_request: z.array(z.array(RequestItlEvidenceSchema)).optional(),
  output_token_count_source: z.string().optional(),
  n_repeats: u32(),
  n_requests_per_run: u32(),
  warmup_requests: u32(),
  repeat_metrics: z.array(BenchRepeatMetricsSchema).optional(),
  ttft_ms: MetricSetSchema,
  tpot_ms: MetricSetSchema,
  itl_ms: MetricSetSchema,
  e2e_ms: MetricSetSchema,
  output_throughput_tps: ScalarStatsSchema,
  total_throughput_tps: ScalarStatsSchema,
  request_throughput_rps: ScalarStatsSchema,
  goodput_rps: ScalarStatsSchema,
  slo: SloSchema,
  completed_per_run: z.array(u32()),
  errored_per_run: z.array(u32()),
  bad_output_per_run: perRun(),
  malformed_stream_per_run: perRun(),
  missing_done_per_run: perRun(),
  duplicate_done_per_run: perRun(),
  zero_output_tokens_per_run: perRun(),
  stream_bulk_flush_per_run: perRun(),
  http_500_per_run: perRun(),
  panic_per_run: perRun(),
  quality_issues_per_run: z.array(QualityIssueCountsSchema).default(() => []),
  env: EnvSchema,
  env_hash: z.string(),
  goodput: GoodputExtensionSchema.optional(),
});
export type BenchReport = z.infer<typeof BenchReportSchema>;
/** What a producer builds before defaults are applied (the parser's input side). */
export type BenchReportInput = z.input<typeof BenchReportSchema>;
