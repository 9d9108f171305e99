// The charts of one report page, grouped as the page shows them: sweep curves, latency CDFs,
// percentile bars, per-repeat drift, the token timeline and errors by reason. The same list is
// inlined in the HTML report and written as static SVG/PNG files, under the same names.

import type { CellView } from './cell-view.js';
import { type Chart, LATENCY_METRICS } from './chart.js';
import { errorBreakdownChart } from './error-breakdown.js';
import { goodputLoadChart } from './goodput-load.js';
import { kneeIndex } from './knee-marker.js';
import { latencyCdfChart } from './latency-cdf.js';
import { percentileBarsChart } from './percentile-bars.js';
import { repeatDriftChart } from './repeat-drift.js';
import { type LatencySamples, latencySamples } from './request-samples.js';
import { sweepsOf, throughputLatencyChart } from './throughput-latency.js';
import { tokenTimelineChart } from './token-timeline.js';

export interface ReportCharts {
  sweep: Chart[];
  cdf: Chart[];
  percentiles: Chart[];
  drift: Chart;
  timeline: Chart;
  errors: Chart;
}

/** Builds every chart of the page from the cell views. */
export function reportCharts(views: readonly CellView[]): ReportCharts {
  const concurrencySweeps = sweepsOf(views, 'concurrency').map((s) => ({
    ...s,
    kneeIndex: kneeIndex(s),
  }));
  const rateSweeps = sweepsOf(views, 'rate');
  const sweep: Chart[] = [];
  if (concurrencySweeps.length > 0 || rateSweeps.length === 0)
    sweep.push(throughputLatencyChart(concurrencySweeps));
  if (rateSweeps.length > 0) sweep.push(goodputLoadChart(rateSweeps, 'rate'));
  else if (concurrencySweeps.length > 0) sweep.push(goodputLoadChart(concurrencySweeps, 'concurrency'));
  else sweep.push(goodputLoadChart([], 'rate'));

  const samples = new Map<number, LatencySamples>();
  for (const v of views) if (v.requests.length > 0) samples.set(v.index, latencySamples(v.requests));
  return {
    sweep,
    cdf: LATENCY_METRICS.map((m) =>
      latencyCdfChart(views, m, (v) => {
        const s = samples.get(v.index)?.[m.key];
        return s && s.length > 0 ? s : undefined;
      }),
    ),
    percentiles: LATENCY_METRICS.map((m) => percentileBarsChart(views, m)),
    drift: repeatDriftChart(views),
    timeline: tokenTimelineChart(views),
    errors: errorBreakdownChart(views),
  };
}

/** Every chart of the page in display order. */
export function allCharts(charts: ReportCharts): Chart[] {
  return [
    ...charts.sweep,
    ...charts.cdf,
    ...charts.percentiles,
    charts.drift,
    charts.timeline,
    charts.errors,
  ];
}
