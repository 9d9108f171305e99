// The metrics a comparison covers, each with its direction (ferrum's compare_bench.py printed
// arrows that ignored it), its unit and how to read it from a report. Ids are what `--metrics`
// accepts: `ttft_p50` … `e2e_p99`, `output_throughput`, `total_throughput`, `request_throughput`, `goodput`.

import { GoodputError } from '../errors.js';
import type { BenchReport, ScalarStats } from '../schema/bench-report.js';
import { PERCENTILE_NAMES } from '../schema/extension.js';

export type Direction = 'lower_is_better' | 'higher_is_better';

export interface MetricDef {
  readonly id: string;
  readonly label: string;
  readonly unit: 'ms' | 'tok/s' | 'req/s';
  readonly direction: Direction;
  /** the report field: `ttft_ms` … or `output_throughput_tps` … */
  readonly field:
    | 'ttft_ms'
    | 'tpot_ms'
    | 'itl_ms'
    | 'e2e_ms'
    | 'output_throughput_tps'
    | 'total_throughput_tps'
    | 'request_throughput_rps'
    | 'goodput_rps';
  /** the percentile of a latency metric; null for rates */
  readonly percentile: (typeof PERCENTILE_NAMES)[number] | null;
}

const LATENCIES = [
  ['ttft', 'TTFT', 'ttft_ms'],
  ['tpot', 'TPOT', 'tpot_ms'],
  ['itl', 'ITL', 'itl_ms'],
  ['e2e', 'E2E', 'e2e_ms'],
] as const;

const RATES = [
  ['output_throughput', 'output throughput', 'tok/s', 'output_throughput_tps'],
  ['total_throughput', 'total throughput', 'tok/s', 'total_throughput_tps'],
  ['request_throughput', 'request throughput', 'req/s', 'request_throughput_rps'],
  ['goodput', 'goodput', 'req/s', 'goodput_rps'],
] as const;

/** Every compared metric, in display order: latencies by percentile, then rates. */
export const COMPARED_METRICS: readonly MetricDef[] = [
  ...LATENCIES.flatMap(([id, label, field]) =>
    PERCENTILE_NAMES.map(
      (p): MetricDef => ({
        id: `${id}_${p}`,
        label: `${label} ${p}`,
        unit: 'ms',
        direction: 'lower_is_better',
        field,
        percentile: p,
      }),
    ),
  ),
  ...RATES.map(
    ([id, label, unit, field]): MetricDef => ({
      id,
      label,
      unit,
      direction: 'higher_is_better',
      field,
      percentile: null,
    }),
  ),
];

/** The gate's default metrics (SPEC §7.1). */
export const DEFAULT_GATE_METRICS: readonly string[] = [
  'ttft_p50',
  'ttft_p99',
  'tpot_p50',
  'tpot_p99',
  'itl_p50',
  'e2e_p50',
  'output_throughput',
  'goodput',
];

export function metricById(id: string): MetricDef | undefined {
  return COMPARED_METRICS.find((m) => m.id === id);
}

/** Parses a `--metrics a,b,c` list; unknown ids are a USAGE error listing the valid ones. */
export function parseMetricList(text: string, flag = '--metrics'): string[] {
  const ids = text
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (ids.length === 0) throw new GoodputError('USAGE', `${flag} is empty`);
  const unknown = ids.filter((id) => metricById(id) === undefined);
  if (unknown.length > 0) {
    throw new GoodputError('USAGE', `${flag}: unknown metric ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      hint: `valid metrics: ${COMPARED_METRICS.map((m) => m.id).join(', ')}`,
    });
  }
  return [...new Set(ids)];
}

/** The locked cross-repeat aggregate of a metric in a report. */
export function lockedStats(report: BenchReport, metric: MetricDef): ScalarStats {
  if (metric.percentile === null) return report[metric.field as 'goodput_rps'];
  return report[metric.field as 'ttft_ms'][metric.percentile];
}
