// The public library API of goodput: the typed core (schemas, metrics, statistics, env hash,
// schedules, comparison), the simulator, the client entry, the ledger and the renderers.
// Every export is named; values and types are exported separately.

export { runServeBenchmark } from './client/serve-benchmark.js';
export type { Comparison } from './core/compare/comparison.js';
// ── comparison
export { compareRuns } from './core/compare/comparison.js';
export { evaluateGate } from './core/compare/gate.js';
export { parityTable } from './core/compare/parity.js';
// ── environment
export { canonicalEnvJson, envHash, verifyEnvHash } from './core/env/canonical-env.js';
export { comparabilityHash, comparabilityKey, diffComparability } from './core/env/comparability.js';
export type { ErrorCode } from './core/errors.js';
// ── errors
export { ERROR_CODES, GoodputError, isGoodputError } from './core/errors.js';
export type { ComputeMetricsParams } from './core/metrics/compute-metrics.js';
// ── metrics and statistics
export { computeMetrics } from './core/metrics/compute-metrics.js';
export { computeMetricsFromDerived } from './core/metrics/compute-metrics-derived.js';
export { deriveRequest } from './core/metrics/derive-request.js';
export { detectKnee } from './core/metrics/sweep-knee.js';
export { highestRateMeetingSlo } from './core/metrics/sweep-rate.js';
// ── schedules
export { buildSchedule, buildTraceSchedule } from './core/schedule/build-schedule.js';
export { parseScheduleFile, serializeSchedule } from './core/schedule/schedule-file.js';
export { shardSchedule } from './core/schedule/shard.js';
export type {
  BenchRepeatMetrics,
  BenchReport,
  BenchReportInput,
  Env,
  ItlEligibility,
  MetricSet,
  QualityIssueCounts,
  RequestItlEvidence,
  ScalarStats,
  Scenario,
  Slo,
  TokenLengthStats,
} from './core/schema/bench-report.js';
// ── schema: types, validation, reading and writing reports
export {
  BenchRepeatMetricsSchema,
  BenchReportSchema,
  EnvSchema,
  MetricSetSchema,
  QUALITY_FLAGS,
  QualityIssueCountsSchema,
  RequestItlEvidenceSchema,
  ScalarStatsSchema,
  ScenarioSchema,
  SloSchema,
  TokenLengthStatsSchema,
  UNBOUNDED_SLO_MS,
} from './core/schema/bench-report.js';
export type { GoodputExtension } from './core/schema/extension.js';
export { GOODPUT_SCHEMA_VERSION, GoodputExtensionSchema } from './core/schema/extension.js';
export { benchReportJsonSchema } from './core/schema/json-schema.js';
export { writeOrderedJson, writeReportJson } from './core/schema/json-writer.js';
export { parseReportFile, parseReports } from './core/schema/report-reader.js';
export type { RepeatWindow, RequestFlag, RequestRecord } from './core/schema/request-record.js';
export { REQUEST_FLAGS, RepeatWindowSchema, RequestRecordSchema } from './core/schema/request-record.js';
export type { RunEnvelope } from './core/schema/run-envelope.js';
export { createRunEnvelope, RunEnvelopeSchema, writeRunEnvelopeJson } from './core/schema/run-envelope.js';
export { formatRustFloat } from './core/schema/rust-float.js';
export { bootstrapPercentileCi } from './core/stats/bootstrap.js';
export { percentile, percentiles } from './core/stats/percentile.js';
export { repeatStats } from './core/stats/repeat-stats.js';
export { scalarStats } from './core/stats/scalar-stats.js';
export { studentTQuantile } from './core/stats/student-t.js';
export { welchTTest, welchTTestFromSummaries } from './core/stats/welch.js';
// ── traces (the layer-wise breakdown, per iteration, A/B comparison)
export type { LayerBreakdown, LayerRow } from './core/trace/layer-breakdown.js';
export { layerBreakdown } from './core/trace/layer-breakdown.js';
export type { TraceAnalysis, TraceAnalysisOptions } from './core/trace/trace-analysis.js';
export { analyseTrace, comparisonSide } from './core/trace/trace-analysis.js';
export type { ComparisonSide, TraceComparison } from './core/trace/trace-comparison.js';
export { compareTraces } from './core/trace/trace-comparison.js';
export type { ParsedTrace } from './core/trace/trace-parse.js';
export { parseTraceText } from './core/trace/trace-parse.js';
export { renderHtmlReport } from './render/html/report-page.js';
// ── rendering
export { renderSingle, renderSweep } from './render/markdown.js';
export type { SimulatorOptions } from './server/sim-options.js';
export { spawnSimulator } from './server/spawn-simulator.js';
// ── running things
export { startSimulator } from './server/start-simulator.js';
export type { Ledger } from './store/ledger.js';
export { openLedger } from './store/ledger.js';
