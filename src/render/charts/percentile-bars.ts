// Percentile bars of one latency metric: p50 / p95 / p99 per cell (the cross-repeat mean of the
// per-repeat percentile, ferrum's locked value) with 95 % CI whiskers where the cell has them.

import type { CellView } from './cell-view.js';
import { type Chart, colorEncoding, type LatencyMetric, metricReported } from './chart.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX } from './theme.js';

const SHOWN_PERCENTILES = ['p50', 'p95', 'p99'] as const;

export function percentileBarsChart(views: readonly CellView[], metric: LatencyMetric): Chart {
  const drawn = views.filter((v) => metricReported(v.report, metric.key));
  const rows = drawn.flatMap((v) =>
    SHOWN_PERCENTILES.map((pct) => {
      const s = v.report[metric.key][pct];
      // ferrum: no dispersion below 3 repeats (ci95_hw is 0 then); draw no whisker rather than a fake one
      const ci = v.report.n_repeats >= 3 && s.ci95_hw > 0 ? s.ci95_hw : 0;
      // a latency is never negative: the whisker stops at 0 even when mean − ci would not
      return {
        cell: v.label,
        percentile: pct,
        ms: s.mean,
        lo: Math.max(0, s.mean - ci),
        hi: s.mean + ci,
        ci,
      };
    }),
  );
  const name = `percentiles-${metric.short}`;
  const title = `${metric.name} percentiles`;
  const caption = `${metric.name} p50 / p95 / p99 per cell: mean over repeats of each repeat's percentile, with the 95 % confidence interval as a whisker (none below 3 repeats).`;
  if (drawn.length === 0)
    return { name, title, caption, unavailable: `No cell reports ${metric.name} values.` };
  const color = colorEncoding('cell', drawn);
  const x = {
    field: 'percentile',
    type: 'nominal' as const,
    title: null,
    sort: [...SHOWN_PERCENTILES],
    axis: { labelAngle: 0 },
  };
  const xOffset = { field: 'cell', type: 'nominal' as const, sort: drawn.map((v) => v.label) };
  return {
    name,
    title,
    caption,
    seriesMarks: drawn.length * SHOWN_PERCENTILES.length,
    spec: {
      width: CHART_WIDTH_PX,
      height: CHART_HEIGHT_PX,
      data: { values: rows },
      layer: [
        {
          name: 'series',
          mark: { type: 'bar', cornerRadiusTopLeft: 2, cornerRadiusTopRight: 2 },
          encoding: {
            x,
            xOffset,
            y: { field: 'ms', type: 'quantitative', title: `${metric.name} (ms)` },
            color,
          },
        },
        {
          transform: [{ filter: 'datum.ci > 0' }],
          mark: { type: 'rule', color: '#1f2328', strokeWidth: 1.5 },
          encoding: { x, xOffset, y: { field: 'lo', type: 'quantitative' }, y2: { field: 'hi' } },
        },
      ],
    },
  };
}
