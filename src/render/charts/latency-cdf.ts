// Latency CDF of one metric, one line per cell: the empirical CDF of the cell's request records
// when the page has them (downsampled to a fixed number of points), else the cell's reported
// percentile points (pooled percentiles of the goodput extension when present, else ferrum's p50–p99).

import type { BenchReport } from '../../core/schema/bench-report.js';
import type { CellView } from './cell-view.js';
import { type Chart, colorEncoding, type LatencyMetric, metricReported } from './chart.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX } from './theme.js';

/** Points per cell of a CDF drawn from request records: bounds the page size whatever the run size. */
export const MAX_CDF_POINTS = 200;

export interface CdfPoint {
  ms: number;
  /** cumulative probability, 0..1 */
  p: number;
}

/**
 * The empirical CDF of `sortedMs` (ascending) as at most `maxPoints` points: evenly spaced ranks
 * plus the tail ranks at p99, p99.5 and p99.9 and the maximum, so the tail keeps its shape.
 * Point j of n samples has probability (j+1)/n.
 */
export function cdfPoints(sortedMs: ArrayLike<number>, maxPoints = MAX_CDF_POINTS): CdfPoint[] {
  const n = sortedMs.length;
  if (n === 0) return [];
  const ranks = new Set<number>();
  if (n <= maxPoints) {
    for (let j = 0; j < n; j++) ranks.add(j);
  } else {
    const tail = [0.99, 0.995, 0.999].map((q) => Math.ceil(q * n) - 1);
    const even = maxPoints - tail.length;
    for (let i = 0; i < even; i++) ranks.add(Math.round((i * (n - 1)) / (even - 1)));
    for (const r of tail) ranks.add(Math.min(n - 1, Math.max(0, r)));
  }
  return [...ranks].sort((a, b) => a - b).map((j) => ({ ms: sortedMs[j] as number, p: (j + 1) / n }));
}

/** The CDF points a report itself carries for `metric`: pooled percentiles with min/max, else p50–p99. */
export function reportedCdfPoints(report: BenchReport, metric: LatencyMetric['key']): CdfPoint[] {
  const pooled = report.goodput?.statistics?.pooled?.[metric];
  if (pooled && pooled.n > 0) {
    const pts: CdfPoint[] = [];
    if (pooled.min !== null) pts.push({ ms: pooled.min, p: 0 });
    for (const [name, p] of [
      ['p50', 0.5],
      ['p75', 0.75],
      ['p90', 0.9],
      ['p95', 0.95],
      ['p99', 0.99],
    ] as const) {
      const v = pooled[name];
      if (v) pts.push({ ms: v.value, p });
    }
    if (pooled.max !== null) pts.push({ ms: pooled.max, p: 1 });
    return pts;
  }
  if (!metricReported(report, metric)) return [];
  const set = report[metric];
  return [
    { ms: set.p50.mean, p: 0.5 },
    { ms: set.p75.mean, p: 0.75 },
    { ms: set.p95.mean, p: 0.95 },
    { ms: set.p99.mean, p: 0.99 },
  ];
}

/**
 * The CDF chart of `metric` over `views`. `samplesOf` gives a cell's per-request values of the
 * metric (ascending), or undefined when the page has no records for that cell.
 */
export function latencyCdfChart(
  views: readonly CellView[],
  metric: LatencyMetric,
  samplesOf: (view: CellView) => ArrayLike<number> | undefined,
): Chart {
  const rows: { cell: string; ms: number; p: number; from: string }[] = [];
  let fromRecords = 0;
  let fromPercentiles = 0;
  const drawn: CellView[] = [];
  for (const view of views) {
    const samples = samplesOf(view);
    const fromSamples = samples !== undefined && samples.length > 0;
    const points = fromSamples ? cdfPoints(samples) : reportedCdfPoints(view.report, metric.key);
    if (points.length === 0) continue;
    drawn.push(view);
    if (fromSamples) fromRecords++;
    else fromPercentiles++;
    const from = fromSamples ? 'request records' : 'reported percentiles';
    for (const pt of points) rows.push({ cell: view.label, ms: pt.ms, p: pt.p, from });
  }
  const name = `latency-cdf-${metric.short}`;
  const title = `${metric.name} distribution (CDF)`;
  const source =
    fromPercentiles === 0
      ? `the empirical CDF of each cell's request records (≤ ${MAX_CDF_POINTS} points per cell)`
      : fromRecords === 0
        ? 'the percentile points each report carries (dots; lines between them are interpolated)'
        : 'request records where the page has them (lines), else the reported percentile points (dots)';
  const caption = `Share of successful requests with ${metric.name} at or below x, per cell; from ${source}.`;
  if (drawn.length === 0) {
    return { name, title, caption, unavailable: `No cell reports ${metric.name} values.` };
  }
  const color = colorEncoding('cell', drawn);
  return {
    name,
    title,
    caption,
    seriesMarks: drawn.length,
    spec: {
      width: CHART_WIDTH_PX,
      height: CHART_HEIGHT_PX,
      data: { values: rows },
      encoding: {
        x: {
          field: 'ms',
          type: 'quantitative',
          title: `${metric.name} (ms)`,
          scale: { zero: false, nice: true },
        },
        y: {
          field: 'p',
          type: 'quantitative',
          title: 'share of requests',
          axis: { format: '.0%' },
          // percentile points only know the distribution from p50 up: do not draw an empty lower half
          scale: { domain: [rows.some((r) => r.p < 0.5) ? 0 : 0.4, 1] },
        },
        color,
      },
      layer: [
        {
          name: 'series',
          mark: { type: 'line', interpolate: 'linear' },
          encoding: { detail: { field: 'cell' } },
        },
        {
          mark: { type: 'point', filled: true, size: 36 },
          transform: [{ filter: "datum.from === 'reported percentiles'" }],
        },
      ],
    },
  };
}
