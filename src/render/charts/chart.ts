// One chart of a page: a stable name (the file stem of its static SVG/PNG), a title, a caption
// saying what is drawn from which data, and either a vega-lite spec or the reason it is missing.

import type { TopLevelSpec } from 'vega-lite';
import type { BenchReport } from '../../core/schema/bench-report.js';
import { CHART_WIDTH_PX } from './theme.js';

export type Chart = {
  /** stable, file-system safe: `latency-cdf-ttft`, `throughput-vs-latency`, … */
  name: string;
  title: string;
  caption: string;
  /**
   * How many marks the chart's layer named `series` draws (one line per cell, one bar per cell and
   * percentile, …): in the SVG they are the paths of the groups with class `series_marks`, which
   * lets a browser test check that every series was drawn.
   */
  seriesMarks?: number;
} & (
  | { spec: TopLevelSpec; seriesMarks: number; unavailable?: undefined }
  | { spec?: undefined; unavailable: string }
);

/** The four latency metrics of the locked schema, with display names. */
export const LATENCY_METRICS = [
  { key: 'ttft_ms', short: 'ttft', name: 'TTFT' },
  { key: 'tpot_ms', short: 'tpot', name: 'TPOT' },
  { key: 'itl_ms', short: 'itl', name: 'ITL' },
  { key: 'e2e_ms', short: 'e2e', name: 'E2E' },
] as const;
export type LatencyMetricKey = (typeof LATENCY_METRICS)[number]['key'];
export type LatencyMetric = (typeof LATENCY_METRICS)[number];

/**
 * A nominal colour encoding that gives each entry (cell or series) its fixed page colour, with a
 * bottom legend laid out in as many columns as fit the plot width. vega lays legends out with its
 * headless text estimate (0.8 × font size per character), so the estimate is used here too.
 */
export function colorEncoding(field: string, entries: readonly { label: string; color: string }[]) {
  const longest = Math.max(1, ...entries.map((e) => e.label.length));
  const entryPx = 0.8 * 11 * longest + 30;
  const columns = Math.max(1, Math.min(entries.length, Math.floor(CHART_WIDTH_PX / entryPx)));
  return {
    field,
    type: 'nominal' as const,
    title: null,
    scale: { domain: entries.map((e) => e.label), range: entries.map((e) => e.color) },
    legend: { columns, labelLimit: CHART_WIDTH_PX - 30 },
  };
}

/**
 * True when the report carries values for `metric`: ferrum writes all-zero percentiles when a
 * metric had no samples (ITL without complete evidence, TPOT when every output was one token).
 */
export function metricReported(report: BenchReport, metric: LatencyMetricKey): boolean {
  const set = report[metric];
  return set.p50.mean !== 0 || set.p75.mean !== 0 || set.p95.mean !== 0 || set.p99.mean !== 0;
}
