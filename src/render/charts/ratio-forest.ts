// Comparison at a glance: for each joined cell, the ratio B/A of each headline metric with its
// 95 % interval (Welch, delta method), coloured by the direction-aware verdict, around the line of
// no change at 1.

import type { Comparison } from '../../core/compare/comparison.js';
import { COMPARED_METRICS, DEFAULT_GATE_METRICS } from '../../core/compare/metric-catalog.js';
import type { Chart } from './chart.js';
import { VERDICT_COLORS } from './theme.js';

export const VERDICT_LABELS = {
  better: 'better',
  worse: 'worse',
  no_significant_change: 'no significant change',
  not_assessable: 'not assessable',
} as const;

/** Short column label of a joined cell: its load, with the model when the comparison spans several. */
export function shortCellLabel(comparison: Comparison, index: number): string {
  const cell = comparison.cells[index];
  if (!cell) return '';
  const models = new Set(comparison.cells.map((c) => c.key.model));
  const load =
    cell.key.concurrency !== null
      ? `c=${cell.key.concurrency}`
      : cell.key.requestRate !== null
        ? `rate=${cell.key.requestRate}`
        : cell.key.scenario;
  return models.size > 1 ? `${cell.key.model} · ${load}` : load;
}

export function ratioForestChart(
  comparison: Comparison,
  metrics: readonly string[] = DEFAULT_GATE_METRICS,
): Chart {
  const name = 'compare-ratios';
  const title = `Ratio ${comparison.labelB} / ${comparison.labelA} per metric`;
  const caption =
    'The gate metrics and every significant change. Each dot is B/A for one metric of one joined cell, with its 95 % interval (Welch, delta method on the log scale). Left of 1 is lower in B: better for latencies, worse for throughputs; the colour gives the verdict.';
  const rows = comparison.cells.flatMap((cell, i) =>
    cell.metrics
      // the headline metrics, plus any other metric with a significant change
      .filter(
        (m) =>
          (metrics.includes(m.metric) || m.verdict === 'better' || m.verdict === 'worse') && m.ratio !== null,
      )
      .map((m) => ({
        cell: shortCellLabel(comparison, i),
        metric: m.label,
        ratio: m.ratio as number,
        lo: m.welch?.ratioCi95?.[0] ?? null,
        hi: m.welch?.ratioCi95?.[1] ?? null,
        verdict: VERDICT_LABELS[m.verdict],
      })),
  );
  if (rows.length === 0)
    return { name, title, caption, unavailable: 'No joined cell has a ratio for the headline metrics.' };
  const metricOrder = COMPARED_METRICS.map((m) => m.label).filter((label) =>
    rows.some((r) => r.metric === label),
  );
  const cellOrder = [...new Set(rows.map((r) => r.cell))];
  const color = {
    field: 'verdict',
    type: 'nominal' as const,
    title: null,
    scale: {
      domain: Object.values(VERDICT_LABELS),
      range: [VERDICT_COLORS.better, VERDICT_COLORS.worse, VERDICT_COLORS.same, VERDICT_COLORS.unknown],
    },
    legend: { columns: 4, labelLimit: 300 },
  };
  const y = { field: 'metric', type: 'nominal' as const, title: null, sort: metricOrder };
  return {
    name,
    title,
    caption,
    seriesMarks: rows.length,
    spec: {
      data: { values: rows },
      facet: { column: { field: 'cell', type: 'nominal', title: null, sort: cellOrder } },
      spec: {
        width: Math.max(120, Math.min(220, Math.floor(880 / cellOrder.length))),
        height: { step: 18 },
        layer: [
          { mark: { type: 'rule', color: '#8c959f', strokeDash: [3, 3] }, encoding: { x: { datum: 1 } } },
          {
            transform: [{ filter: 'datum.lo !== null' }],
            mark: { type: 'rule', strokeWidth: 2 },
            encoding: { y, x: { field: 'lo', type: 'quantitative' }, x2: { field: 'hi' }, color },
          },
          {
            name: 'series',
            mark: { type: 'point', filled: true, size: 50, opacity: 1 },
            encoding: {
              y,
              x: { field: 'ratio', type: 'quantitative', title: 'B / A', scale: { zero: false, nice: true } },
              color,
            },
          },
        ],
      },
      resolve: { scale: { x: 'independent' } },
    },
  };
}
