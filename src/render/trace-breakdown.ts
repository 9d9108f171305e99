// The layer-wise breakdown of a trace as the trace tools show it (SPEC §8.3): a text table of
// totals and shares per category and per layer, the stacked bar chart (one bar per tid,
// categories stacked in their fixed order and colours) as SVG, and a self-contained HTML page.

import type { TopLevelSpec } from 'vega-lite';
import { CATEGORY_ALIASES, TRACE_CATEGORIES, type TraceCategory } from '../core/trace/category-map.js';
import type { LayerBreakdown } from '../core/trace/layer-breakdown.js';
import type { Chart } from './charts/chart.js';
import { renderChartSvg } from './charts/chart-svg.js';
import { escapeHtml } from './escape-html.js';
import { htmlPage } from './html/page-shell.js';
import { htmlTable, formatUsAsMs as ms, formatShare as pct, textTable as table } from './trace-tables.js';

/** One fixed colour per category, so two traces' charts read the same way. */
export const TRACE_CATEGORY_COLORS: Readonly<Record<TraceCategory, string>> = {
  attention: '#4269d0',
  gemm: '#efb118',
  quant: '#a463f2',
  moe: '#ff725c',
  routing: '#ff8ab7',
  norm: '#6cc5b0',
  act: '#3ca951',
  comm: '#97bbf5',
  sampling: '#9c6b4e',
  scheduling: '#59636e',
  other: '#b6bcc3',
};

/** A bar segment's fields every trace chart shares: its category, stacking order and ms. */
export function categorySegment(category: TraceCategory, us: number) {
  return { category, order: TRACE_CATEGORIES.indexOf(category), ms: us / 1000 };
}

/** The colour encoding of the trace charts: each category its fixed colour. */
export function categoryColor(categories: readonly TraceCategory[]) {
  return {
    field: 'category',
    type: 'nominal' as const,
    title: 'category',
    scale: { domain: [...categories], range: categories.map((c) => TRACE_CATEGORY_COLORS[c]) },
  };
}

/**
 * The totals table of `goodput trace summary`; `withLayers: false` leaves out the per-layer table
 * (the short note `trace viz` prints).
 */
export function renderTraceBreakdownText(
  b: LayerBreakdown,
  source: string,
  truncated: boolean,
  withLayers = true,
): string {
  const lines: string[] = [
    `trace ${source}: ${b.events} complete events on ${b.layers.length} layer(s) (tid), total ${ms(b.totalUs)} ms${truncated ? ' — TRUNCATED file: the events before the cut' : ''}`,
    '',
  ];
  const cats = b.categories;
  lines.push(
    table(
      ['category', 'time (ms)', 'share'],
      [
        ...cats.map((c) => [c, ms(b.totalsUs[c]), pct(b.shares[c])]),
        ['total', ms(b.totalUs), pct(b.totalUs > 0 ? 1 : 0)],
      ],
    ),
    '',
  );
  if (withLayers) {
    lines.push(
      table(
        ['layer (tid)', 'time (ms)', 'share', ...cats.map((c) => `${c} (ms)`)],
        b.layers.map((l) => [
          String(l.tid),
          ms(l.totalUs),
          pct(l.share),
          ...cats.map((c) => ms(l.byCategoryUs[c])),
        ]),
      ),
    );
  }
  if (b.unknownCategories.length > 0) {
    lines.push('', 'counted as other (not in the category map):');
    for (const u of b.unknownCategories)
      lines.push(`  ${JSON.stringify(u.raw)}: ${u.events} event(s), ${ms(u.us)} ms`);
  }
  const skipped = b.skipped.notComplete + b.skipped.badDuration + b.skipped.badTid;
  if (skipped > 0) {
    lines.push(
      '',
      `skipped: ${b.skipped.notComplete} non-complete event(s), ${b.skipped.badDuration} without a valid dur, ${b.skipped.badTid} without an integer tid`,
    );
  }
  return `${lines.join('\n')}\n`;
}

/** The stacked bar chart: x = layer (tid), y = time in ms, one colour per category. */
export function traceBreakdownChart(b: LayerBreakdown, title: string): Chart {
  if (b.totalUs === 0) {
    return {
      name: 'trace-breakdown',
      title,
      caption: 'No complete events with time.',
      unavailable: 'The trace has no complete events with a duration.',
    };
  }
  const values = b.layers.flatMap((l) =>
    b.categories.map((c) => ({ layer: l.tid, ...categorySegment(c, l.byCategoryUs[c]) })),
  );
  const spec = {
    width: Math.max(480, Math.min(1600, b.layers.length * 18)),
    height: 300,
    data: { values },
    name: 'series',
    mark: { type: 'bar' },
    encoding: {
      x: { field: 'layer', type: 'ordinal', title: 'layer (tid)', axis: { labelAngle: 0 } },
      y: { field: 'ms', type: 'quantitative', title: 'time (ms)', stack: 'zero' },
      color: categoryColor(b.categories),
      order: { field: 'order', type: 'quantitative' },
    },
  } as TopLevelSpec;
  return {
    name: 'trace-breakdown',
    title,
    caption: `Time per layer (tid), stacked by category; ${b.events} complete events, ${ms(b.totalUs)} ms in total.`,
    spec,
    seriesMarks: values.length,
  };
}

/**
 * Any trace chart as a standalone SVG with its title; a chart without data becomes a small SVG
 * that says so (the reason is the chart's `unavailable` text).
 */
export async function renderTraceChartSvg(chart: Chart): Promise<string> {
  if (chart.spec === undefined) return emptySvg(chart.title, chart.unavailable);
  return renderChartSvg(chart as Chart & { spec: TopLevelSpec }, { withTitle: true, idPrefix: 'trace' });
}

function emptySvg(title: string, reason: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="80" viewBox="0 0 480 80"><rect width="480" height="80" fill="#ffffff"/><text x="12" y="30" font-family="sans-serif" font-size="14">${escapeHtml(title)}</text><text x="12" y="56" font-family="sans-serif" font-size="12" fill="#59636e">${escapeHtml(reason)}</text></svg>`;
}

/** A self-contained page: the chart, the totals, the per-layer table and the category map. */
export function renderTraceBreakdownHtml(
  b: LayerBreakdown,
  title: string,
  svg: string,
  source: string,
  truncated: boolean,
): string {
  const cats = b.categories;
  const totals = htmlTable(
    ['category', 'time (ms)', 'share'],
    [
      ...cats.map((c) => [c, ms(b.totalsUs[c]), pct(b.shares[c])]),
      ['total', ms(b.totalUs), pct(b.totalUs > 0 ? 1 : 0)],
    ],
  );
  const layers = htmlTable(
    ['layer (tid)', 'time (ms)', 'share', ...cats.map((c) => `${c} (ms)`)],
    b.layers.map((l) => [
      String(l.tid),
      ms(l.totalUs),
      pct(l.share),
      ...cats.map((c) => ms(l.byCategoryUs[c])),
    ]),
  );
  const unknown =
    b.unknownCategories.length === 0
      ? '<p>Every category was in the map.</p>'
      : htmlTable(
          ['raw category (counted as other)', 'events', 'time (ms)'],
          b.unknownCategories.map((u) => [u.raw, String(u.events), ms(u.us)]),
        );
  const map = htmlTable(
    ['category', 'accepted names (exact, case-insensitive)'],
    TRACE_CATEGORIES.map((c) => [c, CATEGORY_ALIASES[c].join(', ')]),
  );
  const body = `
<section id="chart"><h2>Breakdown by layer</h2><figure class="chart wide" data-chart="trace-breakdown" data-series-marks="${b.layers.length * cats.length}"><div class="svg-wrap" role="img" aria-label="${escapeHtml(title)}">${svg}</div></figure></section>
<section id="totals"><h2>Totals by category</h2>${totals}</section>
<section id="layers"><h2>Per layer</h2>${layers}</section>
<section id="unknown"><h2>Categories outside the map</h2>${unknown}</section>
<section id="map"><h2>Category map</h2>${map}</section>`;
  return htmlPage({
    title,
    facts: [
      ['trace', source],
      ['complete events', String(b.events)],
      ['layers', String(b.layers.length)],
      ['total', `${ms(b.totalUs)} ms`],
      ...(truncated ? ([['file', 'truncated (events before the cut)']] as const) : []),
    ],
    nav: [
      ['chart', 'Chart'],
      ['totals', 'Totals'],
      ['layers', 'Per layer'],
      ['unknown', 'Outside the map'],
      ['map', 'Category map'],
    ],
    body,
    footer:
      'goodput trace viz — categories matched exactly through the alias map; unknown ones count as other',
  });
}
