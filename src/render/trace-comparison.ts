// Two traces compared (`trace summary|viz A --compare B`): per-category and per-layer tables as
// text or HTML, and a chart with A and B side by side per layer, or per category when the two
// traces do not have the same layers.

import type { TopLevelSpec } from 'vega-lite';
import { sumCategoryTotals, type TraceCategory } from '../core/trace/category-map.js';
import type { Delta, LayerDelta, TraceComparison } from '../core/trace/trace-comparison.js';
import type { Chart } from './charts/chart.js';
import { escapeHtml } from './escape-html.js';
import { htmlPage } from './html/page-shell.js';
import { categoryColor, categorySegment } from './trace-breakdown.js';
import { formatRatio, formatShare, formatUsAsMs, htmlTable, textTable } from './trace-tables.js';

/** Where the two traces came from, for the headers. */
export interface ComparedSources {
  readonly a: string;
  readonly b: string;
}

const signedMs = (us: number): string => `${us > 0 ? '+' : ''}${formatUsAsMs(us)}`;

/** One line saying which normalisation the numbers use. */
export function normalisationLine(c: TraceComparison): string {
  const n = c.normalisation;
  return n.kind === 'per-iteration'
    ? `normalisation: per iteration — each trace's time inside its iterations divided by its own iteration count (A: ${n.iterationsA}, B: ${n.iterationsB}); the pre-roll is left out`
    : 'normalisation: none — whole-trace totals (split per iteration to divide each trace by its own iteration count)';
}

/** Sorted tids as runs: [0, 1, 2, 5, 7, 8] → "0–2, 5, 7–8". */
export function tidRanges(tids: readonly number[]): string {
  const runs: string[] = [];
  for (let i = 0; i < tids.length; ) {
    let j = i;
    while (j + 1 < tids.length && (tids[j + 1] as number) === (tids[j] as number) + 1) j++;
    runs.push(j === i ? String(tids[i]) : `${tids[i]}–${tids[j]}`);
    i = j + 1;
  }
  return runs.join(', ');
}

/** The layer note: same tids, or which differ (the per-layer rows then cover only common tids). */
export function layerLine(c: TraceComparison): string {
  if (c.sameLayers) return `layers: ${c.layerCount.a} in each trace, the same tids`;
  const onlyA = c.layers.filter((l) => l.b === null).map((l) => l.tid);
  const onlyB = c.layers.filter((l) => l.a === null).map((l) => l.tid);
  const common = c.layers.length - onlyA.length - onlyB.length;
  const list = (tids: number[]) => (tids.length === 0 ? 'none' : tidRanges(tids));
  return `NOTE: the traces have different layers (A: ${c.layerCount.a} tids, B: ${c.layerCount.b} tids); per-layer deltas cover the ${common} tid(s) in both; only in A: ${list(onlyA)}; only in B: ${list(onlyB)}`;
}

const CATEGORY_HEAD = ['category', 'A (ms)', 'B (ms)', 'delta (ms)', 'B/A', 'share A', 'share B'];
const LAYER_HEAD = ['layer (tid)', 'A (ms)', 'B (ms)', 'delta (ms)', 'B/A'];

function deltaCells(d: Delta): string[] {
  return [formatUsAsMs(d.aUs), formatUsAsMs(d.bUs), signedMs(d.deltaUs), formatRatio(d.ratio)];
}

function categoryRows(c: TraceComparison): string[][] {
  return [
    ...c.byCategory.map((d) => [d.category, ...deltaCells(d), formatShare(d.shareA), formatShare(d.shareB)]),
    [
      'total',
      ...deltaCells(c.total),
      formatShare(c.total.aUs > 0 ? 1 : 0),
      formatShare(c.total.bUs > 0 ? 1 : 0),
    ],
  ];
}

function layerRows(layers: readonly LayerDelta[]): string[][] {
  const sum = (t: LayerDelta['a']) => (t === null ? '—' : formatUsAsMs(sumCategoryTotals(t)));
  return layers.map((l) =>
    l.delta === null
      ? [String(l.tid), sum(l.a), sum(l.b), '—', '—']
      : [String(l.tid), ...deltaCells(l.delta)],
  );
}

function header(c: TraceComparison, sources: ComparedSources): string[] {
  return [`compare A = ${c.labelA} (${sources.a}) with B = ${c.labelB} (${sources.b})`, normalisationLine(c)];
}

/** The text of `trace summary A --compare B`. */
export function renderTraceComparisonText(c: TraceComparison, sources: ComparedSources): string {
  const lines = [
    ...header(c, sources),
    '',
    textTable(CATEGORY_HEAD, categoryRows(c)),
    '',
    layerLine(c),
    `top ${c.topLayerChanges.length} layer change(s) by |delta|:`,
    textTable(LAYER_HEAD, layerRows(c.topLayerChanges)),
  ];
  return `${lines.join('\n')}\n`;
}

/** The short stderr note of `trace viz A --compare B`. */
export function renderTraceComparisonNote(c: TraceComparison, sources: ComparedSources): string {
  return `${[...header(c, sources), textTable(CATEGORY_HEAD, categoryRows(c)), layerLine(c)].join('\n')}\n`;
}

/**
 * A and B side by side (A solid, B lighter), stacked by category: per layer when both traces have
 * the same tids, else per category, since bars of unmatched layers would not compare anything.
 */
export function traceComparisonChart(c: TraceComparison, title: string): Chart {
  const cats = c.categories;
  if (cats.length === 0) {
    return {
      name: 'trace-comparison',
      title,
      caption: 'Neither trace has time.',
      unavailable: 'Neither trace has time.',
    };
  }
  const sides = [c.labelA, c.labelB];
  const point = (group: number | string, side: string, category: TraceCategory, us: number) => ({
    group,
    side,
    ...categorySegment(category, us),
  });
  const values = c.sameLayers
    ? c.layers.flatMap((l) =>
        cats.flatMap((cat) => [
          point(l.tid, c.labelA, cat, l.a?.[cat] ?? 0),
          point(l.tid, c.labelB, cat, l.b?.[cat] ?? 0),
        ]),
      )
    : c.byCategory.flatMap((d) => [
        point(d.category, c.labelA, d.category, d.aUs),
        point(d.category, c.labelB, d.category, d.bUs),
      ]);
  const perIteration = c.normalisation.kind === 'per-iteration';
  const groups = c.sameLayers ? c.layers.length : cats.length;
  const spec = {
    width: Math.max(480, Math.min(1600, groups * 30)),
    height: 300,
    data: { values },
    name: 'series',
    mark: { type: 'bar' },
    encoding: {
      x: {
        field: 'group',
        type: 'ordinal',
        title: c.sameLayers ? 'layer (tid)' : 'category',
        ...(c.sameLayers ? {} : { sort: [...cats] }),
        axis: { labelAngle: 0 },
      },
      xOffset: { field: 'side', type: 'ordinal', sort: sides },
      y: {
        field: 'ms',
        type: 'quantitative',
        title: perIteration ? 'time per iteration (ms)' : 'time (ms)',
        stack: 'zero',
      },
      color: categoryColor(cats),
      opacity: {
        field: 'side',
        type: 'ordinal',
        title: 'trace',
        sort: sides,
        scale: { domain: sides, range: [1, 0.5] },
      },
      order: { field: 'order', type: 'quantitative' },
    },
  } as TopLevelSpec;
  const how = perIteration ? 'time per iteration' : 'total time';
  return {
    name: 'trace-comparison',
    title,
    caption: c.sameLayers
      ? `${c.labelA} (solid) and ${c.labelB} (light) side by side per layer (tid), ${how}, stacked by category.`
      : `${c.labelA} (solid) and ${c.labelB} (light) side by side per category, ${how}: the traces have different layers (A: ${c.layerCount.a}, B: ${c.layerCount.b}).`,
    spec,
    seriesMarks: values.length,
  };
}

/** A self-contained page: the chart, the category table and every layer's delta. */
export function renderTraceComparisonHtml(
  c: TraceComparison,
  chart: Chart,
  svg: string,
  sources: ComparedSources,
): string {
  const body = `
<section id="chart"><h2>A and B</h2><figure class="chart wide" data-chart="${chart.name}" data-series-marks="${chart.seriesMarks ?? 0}"><div class="svg-wrap" role="img" aria-label="${escapeHtml(chart.title)}">${svg}</div><figcaption>${escapeHtml(chart.caption)}</figcaption></figure></section>
<section id="categories"><h2>By category</h2><p>${escapeHtml(normalisationLine(c))}</p>${htmlTable(CATEGORY_HEAD, categoryRows(c))}</section>
<section id="layers"><h2>By layer</h2><p>${escapeHtml(layerLine(c))}</p>${htmlTable(LAYER_HEAD, layerRows(c.layers))}</section>`;
  return htmlPage({
    title: chart.title,
    facts: [
      ['A', `${c.labelA} (${sources.a})`],
      ['B', `${c.labelB} (${sources.b})`],
      [
        'normalisation',
        c.normalisation.kind === 'per-iteration'
          ? `per iteration (A: ${c.normalisation.iterationsA}, B: ${c.normalisation.iterationsB})`
          : 'none (totals)',
      ],
    ],
    nav: [
      ['chart', 'Chart'],
      ['categories', 'By category'],
      ['layers', 'By layer'],
    ],
    body,
    footer: 'goodput trace viz --compare — B against A, categories matched exactly through the alias map',
  });
}
