// Per-repeat scatter to show drift: each repeat's TTFT p50, E2E p50 and output throughput as a
// deviation from the cell's mean over its repeats, so a warming cache or a throttling GPU shows up
// as a slope across repeats rather than hiding inside the CI.

import type { BenchReport } from '../../core/schema/bench-report.js';
import type { CellView } from './cell-view.js';
import { type Chart, colorEncoding } from './chart.js';

const DRIFT_METRICS = [
  { name: 'TTFT p50', fromRepeat: (r: RepeatRow) => r.ttft_ms.p50, ext: ['repeats', 'ttft_ms', 'p50'] },
  { name: 'E2E p50', fromRepeat: (r: RepeatRow) => r.e2e_ms.p50, ext: ['repeats', 'e2e_ms', 'p50'] },
  {
    name: 'output tok/s',
    fromRepeat: (r: RepeatRow) => r.output_throughput_tps,
    ext: ['rates', 'output_throughput_tps'],
  },
] as const;
type RepeatRow = NonNullable<BenchReport['repeat_metrics']>[number];

/** Per-repeat values of each drift metric: `repeat_metrics` (ferrum HEAD), else the extension's statistics. */
export function repeatValues(
  report: BenchReport,
): { metric: string; values: (number | null)[] }[] | undefined {
  const rows = report.repeat_metrics;
  if (rows && rows.length >= 2) {
    const successful = rows.map((r) => r.completed_requests > 0);
    return DRIFT_METRICS.map((m) => ({
      metric: m.name,
      // a repeat without a successful request has percentiles of 0 in ferrum's rows: missing, not 0
      values: rows.map((r, i) => (successful[i] || m.name === 'output tok/s' ? m.fromRepeat(r) : null)),
    }));
  }
  const stats = report.goodput?.statistics;
  if (!stats) return undefined;
  const out = DRIFT_METRICS.map((m) => {
    const s = m.ext[0] === 'repeats' ? stats.repeats[m.ext[1]]?.[m.ext[2] as string] : stats.rates[m.ext[1]];
    return { metric: m.name, values: s?.values ?? [] };
  });
  return out.some((o) => o.values.length >= 2) ? out : undefined;
}

export function repeatDriftChart(views: readonly CellView[]): Chart {
  const name = 'repeat-drift';
  const title = 'Per-repeat drift';
  const caption =
    "Each repeat's value as a deviation from its cell's mean over repeats (%). A trend across repeats is drift (warm-up, caches, throttling) that the confidence interval alone does not show.";
  const rows: { cell: string; metric: string; repeat: number; value: number; devPct: number }[] = [];
  const drawn: CellView[] = [];
  for (const v of views) {
    const series = repeatValues(v.report);
    if (!series) continue;
    let any = false;
    for (const s of series) {
      const present = s.values.filter((x): x is number => x !== null);
      if (present.length < 2) continue;
      const mean = present.reduce((a, b) => a + b, 0) / present.length;
      if (mean === 0) continue;
      s.values.forEach((value, i) => {
        if (value === null) return;
        rows.push({
          cell: v.label,
          metric: s.metric,
          repeat: i + 1,
          value,
          devPct: ((value - mean) / mean) * 100,
        });
        any = true;
      });
    }
    if (any) drawn.push(v);
  }
  if (drawn.length === 0) {
    return {
      name,
      title,
      caption,
      unavailable:
        'Needs per-repeat values (repeat_metrics or goodput statistics) from cells with two or more repeats; these reports only carry the aggregates.',
    };
  }
  const color = colorEncoding('cell', drawn);
  const x = { field: 'repeat', type: 'ordinal' as const, title: 'repeat', axis: { labelAngle: 0 } };
  return {
    name,
    title,
    caption,
    seriesMarks: new Set(rows.map((r) => `${r.cell}\u0000${r.metric}`)).size,
    spec: {
      data: { values: rows },
      facet: {
        column: { field: 'metric', type: 'nominal', title: null, sort: DRIFT_METRICS.map((m) => m.name) },
      },
      spec: {
        width: 190,
        height: 200,
        layer: [
          { mark: { type: 'rule', color: '#b6bcc3' }, encoding: { y: { datum: 0 } } },
          {
            name: 'series',
            mark: { type: 'line', strokeWidth: 1.5, opacity: 0.8, point: { filled: true, size: 36 } },
            encoding: {
              x,
              y: { field: 'devPct', type: 'quantitative', title: 'deviation from cell mean (%)' },
              color,
            },
          },
        ],
      },
      resolve: { scale: { y: 'shared' } },
    },
  };
}
