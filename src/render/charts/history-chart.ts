// One history chart: a metric of a cell key across runs, the mean as a line with its 95 % CI as a
// band, and each significant step ringed in its verdict's colour (worse red, better green).

import type { Chart } from './chart.js';
import type { HistorySeries } from './history-series.js';
import { VERDICT_COLORS } from './theme.js';

/** A file-system safe fragment of a free-form name. */
export function slug(text: string): string {
  return (
    text
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'x'
  );
}

export function historyChart(series: HistorySeries, index: number): Chart {
  const unit = series.unit ? ` (${series.unit})` : '';
  const rows = series.steps.map((s, i) => ({
    order: i,
    run: s.label,
    mean: s.point.mean,
    lo: s.point.mean - s.point.ci95_hw,
    hi: s.point.mean + s.point.ci95_hw,
    change: s.change?.verdict ?? null,
  }));
  const changes = rows.filter((r) => r.change !== null).length;
  const x = {
    field: 'run',
    type: 'ordinal' as const,
    title: null,
    sort: rows.map((r) => r.run),
    axis: { labelAngle: -40, labelLimit: 90 },
  };
  const y = {
    field: 'mean',
    type: 'quantitative' as const,
    title: `${series.metricLabel}${unit}`,
    scale: { zero: false, nice: true },
  };
  return {
    name: `history-${index + 1}-${slug(series.metric)}`,
    title: `${series.metricLabel}`,
    caption: `${series.steps.length} run${series.steps.length === 1 ? '' : 's'}; band = 95 % CI; ${changes === 0 ? 'no significant step' : `${changes} significant step${changes === 1 ? '' : 's'} ringed`}.`,
    seriesMarks: 1,
    spec: {
      width: 300,
      height: 150,
      data: { values: rows },
      layer: [
        {
          mark: { type: 'area', opacity: 0.18, color: '#4269d0' },
          encoding: {
            x,
            y: { field: 'lo', type: 'quantitative', scale: { zero: false } },
            y2: { field: 'hi' },
          },
        },
        {
          name: 'series',
          mark: { type: 'line', color: '#4269d0', point: { filled: true, size: 30, color: '#4269d0' } },
          encoding: { x, y },
        },
        {
          transform: [{ filter: 'datum.change !== null' }],
          mark: { type: 'point', filled: false, size: 260, strokeWidth: 2.5 },
          encoding: {
            x,
            y,
            color: {
              field: 'change',
              type: 'nominal',
              title: null,
              scale: {
                domain: ['worse', 'better', 'changed'],
                range: [VERDICT_COLORS.worse, VERDICT_COLORS.better, VERDICT_COLORS.unknown],
              },
              legend: null,
            },
          },
        },
      ],
    },
  };
}
