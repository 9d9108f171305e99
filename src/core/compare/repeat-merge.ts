// compare-commits runs each repeat as its own single-repeat bench-serve invocation (A B A B …, so
// drift hits both sides alike); this merges the single-repeat reports of one cell back into one
// n-repeat report. The locked fields are rebuilt exactly as ferrum's compute_metrics aggregates
// across repeats (ferrum-behaviour §2.3): each single-repeat report's value IS that repeat's
// percentile or rate, and the cross-repeat ScalarStats come from stats/scalar-stats.ts.
// Extension statistics computed from pooled requests cannot be rebuilt from the summaries and are
// dropped (a warning in the merged report says so); comparisons then use the locked fields.

import { GoodputError } from '../errors.js';
import type { BenchReport, MetricSet, QualityIssueCounts, TokenLengthStats } from '../schema/bench-report.js';
import type { GoodputExtension } from '../schema/extension.js';
import { PERCENTILE_NAMES } from '../schema/extension.js';
import { scalarStats } from '../stats/scalar-stats.js';
import { cellKeyOf, cellKeyString } from './cell-key.js';

const LATENCY_FIELDS = ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2e_ms'] as const;
const RATE_FIELDS = [
  'output_throughput_tps',
  'total_throughput_tps',
  'request_throughput_rps',
  'goodput_rps',
] as const;
const PER_RUN_FIELDS = [
  'completed_per_run',
  'errored_per_run',
  'bad_output_per_run',
  'malformed_stream_per_run',
  'missing_done_per_run',
  'duplicate_done_per_run',
  'zero_output_tokens_per_run',
  'stream_bulk_flush_per_run',
  'http_500_per_run',
  'panic_per_run',
] as const;

function mergeTokenLengths(parts: readonly TokenLengthStats[], counts: readonly number[]): TokenLengthStats {
  const total = counts.reduce((a, b) => a + b, 0);
  const first = parts[0]!;
  return {
    requested: first.requested,
    min: Math.min(...parts.map((p) => p.min)),
    max: Math.max(...parts.map((p) => p.max)),
    mean: total === 0 ? 0 : parts.reduce((s, p, i) => s + p.mean * (counts[i] ?? 0), 0) / total,
  };
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * What all parts agree on: the value when every part has the same (JSON-equal) one, else
 * undefined. With `fieldwise` (the server identity, whose fields are all optional), an object keeps
 * the fields the parts agree on: a port that changed with each restart goes, the flags stay.
 */
function agreed(values: readonly unknown[], fieldwise = false): unknown {
  const first = values[0];
  if (values.every((v) => JSON.stringify(v) === JSON.stringify(first))) return first;
  if (!fieldwise || !values.every(isPlainObject)) return undefined;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(first as Record<string, unknown>)) {
    const v = agreed(values.map((x) => (x as Record<string, unknown>)[key]));
    if (v !== undefined) out[key] = v;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * The extension fields that describe the configuration survive the merge where every repeat
 * agrees (compare-commits gives each repeat its own seed and output directory, so `seed` and
 * `command_line` usually do not); measured fields are dropped.
 */
function mergeExtension(parts: readonly BenchReport[]): GoodputExtension | undefined {
  const first = parts[0]?.goodput;
  if (first === undefined) return undefined;
  const keep: GoodputExtension = { schema_version: first.schema_version };
  const dropped: string[] = [];
  for (const key of [
    'tool_version',
    'cell_key',
    'label',
    'seed',
    'dataset',
    'load',
    'warmup_policy',
    'server',
    'comparability',
    'command_line',
  ] as const) {
    if (first[key] === undefined) continue;
    const value = agreed(
      parts.map((p) => p.goodput?.[key]),
      key === 'server',
    );
    if (value === undefined) dropped.push(key);
    else (keep as Record<string, unknown>)[key] = value;
  }
  if (first.started_at !== undefined) keep.started_at = first.started_at;
  const last = parts[parts.length - 1]?.goodput;
  if (last?.finished_at !== undefined) keep.finished_at = last.finished_at;
  const flags = new Set(parts.flatMap((p) => Object.keys(p.goodput?.errors_per_run ?? {})));
  if (flags.size > 0) {
    keep.errors_per_run = Object.fromEntries(
      [...flags]
        .sort()
        .map((f) => [
          f,
          parts.flatMap((p) => p.goodput?.errors_per_run?.[f] ?? new Array<number>(p.n_repeats).fill(0)),
        ]),
    );
  }
  keep.warnings = [
    ...(first.warnings ?? []),
    `merged from ${parts.length} interleaved single-repeat runs: pooled and missing-aware statistics were not recomputed; the locked fields hold the cross-repeat aggregates`,
    ...(dropped.length > 0
      ? [`fields that differ between the repeats were left out: ${dropped.join(', ')}`]
      : []),
  ];
  return keep;
}

/**
 * Merges single-repeat reports of ONE cell (same cell key, n_repeats = 1 each), in repeat order,
 * into one report with n_repeats = parts.length. Throws INTERNAL when the parts do not fit.
 */
export function mergeRepeatReports(parts: readonly BenchReport[]): BenchReport {
  const first = parts[0];
  if (first === undefined) throw new GoodputError('INTERNAL', 'mergeRepeatReports needs at least one report');
  const key = cellKeyString(cellKeyOf(first));
  for (const [i, p] of parts.entries()) {
    if (p.n_repeats !== 1)
      throw new GoodputError(
        'INTERNAL',
        `part ${i} of ${key} has ${p.n_repeats} repeats; each part must be one repeat`,
      );
    if (cellKeyString(cellKeyOf(p)) !== key)
      throw new GoodputError('INTERNAL', `part ${i} is cell ${cellKeyString(cellKeyOf(p))}, not ${key}`);
  }
  const metricSet = (field: (typeof LATENCY_FIELDS)[number]): MetricSet => {
    const out = {} as MetricSet;
    for (const p of PERCENTILE_NAMES) out[p] = scalarStats(parts.map((r) => r[field][p].mean));
    return out;
  };
  const merged: BenchReport = {
    ...structuredClone(first),
    n_repeats: parts.length,
    ttft_ms: metricSet('ttft_ms'),
    tpot_ms: metricSet('tpot_ms'),
    itl_ms: metricSet('itl_ms'),
    e2e_ms: metricSet('e2e_ms'),
  };
  for (const f of RATE_FIELDS) merged[f] = scalarStats(parts.map((r) => r[f].mean));
  for (const f of PER_RUN_FIELDS) merged[f] = parts.flatMap((r) => r[f]);
  merged.quality_issues_per_run = parts.flatMap((r): QualityIssueCounts[] => r.quality_issues_per_run);
  if (parts.every((r) => r.repeat_metrics !== undefined && r.repeat_metrics.length === 1)) {
    merged.repeat_metrics = parts.map((r, i) => ({ ...r.repeat_metrics![0]!, repeat: i + 1 }));
  } else {
    delete merged.repeat_metrics;
  }
  for (const f of [
    'actual_input_tokens_per_request',
    'output_tokens_per_request',
    'itl_evidence_per_request',
  ] as const) {
    if (parts.every((r) => r[f] !== undefined))
      (merged as Record<string, unknown>)[f] = parts.flatMap((r) => r[f] as unknown[]);
    else delete merged[f];
  }
  if (parts.every((r) => r.actual_input_tokens !== undefined)) {
    merged.actual_input_tokens = mergeTokenLengths(
      parts.map((r) => r.actual_input_tokens!),
      parts.map((r) => r.actual_input_tokens_per_request?.[0]?.length ?? r.n_requests_per_run),
    );
  }
  const sources = new Set(parts.map((r) => r.output_token_count_source));
  if (first.output_token_count_source !== undefined) {
    merged.output_token_count_source = sources.size === 1 ? first.output_token_count_source : 'mixed';
  }
  const ext = mergeExtension(parts);
  if (ext === undefined) delete merged.goodput;
  else merged.goodput = ext;
  return merged;
}

/** Groups single-repeat reports by cell key (first-seen order) and merges each group. */
export function mergeRepeatRuns(runs: readonly (readonly BenchReport[])[]): BenchReport[] {
  const groups = new Map<string, BenchReport[]>();
  for (const run of runs) {
    for (const report of run) {
      const key = cellKeyString(cellKeyOf(report));
      groups.set(key, [...(groups.get(key) ?? []), report]);
    }
  }
  return [...groups.values()].map(mergeRepeatReports);
}
