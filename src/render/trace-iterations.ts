// The per-iteration view of a trace (`trace summary|viz --per-iteration`): the phase summary (the
// first iteration vs the rest), the per-iteration totals by category as text or HTML tables, and
// a stacked bar chart per iteration — or, past ITERATION_BARS_MAX iterations, the first vs the mean.

import type { TopLevelSpec } from 'vega-lite';
import type { TraceCategory } from '../core/trace/category-map.js';
import type { IterationPhase } from '../core/trace/iteration-phases.js';
import type { IterationSplit, IterationTotals } from '../core/trace/iteration-split.js';
import type { Chart } from './charts/chart.js';
import { escapeHtml } from './escape-html.js';
import { htmlPage } from './html/page-shell.js';
import { categoryColor, categorySegment } from './trace-breakdown.js';
import { formatShare, formatUsAsMs, htmlTable, textTable } from './trace-tables.js';

/**
 * Above this many iterations one bar each would be a few pixels wide at most, and a prefill bar
 * tens of times taller than a decode bar flattens them all; the chart then shows the first
 * iteration and the per-category mean of the rest side by side, each with its own y scale.
 */
export const ITERATION_BARS_MAX = 100;

function phaseName(p: IterationPhase): string {
  return p.phase === 'first' ? 'first (iteration 0)' : `rest (1..${p.iterations})`;
}

function markerLine(split: IterationSplit): string {
  const rule =
    split.marker.rule === 'default' ? 'default rule: the first span name on the lowest tid' : 'marker given';
  return `each iteration starts at a span ${JSON.stringify(split.marker.name)} on tid ${split.marker.tid} (${rule})`;
}

function preRollLine(split: IterationSplit): string {
  const p = split.preRoll;
  return p === undefined
    ? 'pre-roll: none (no span starts before the first marker)'
    : `pre-roll "-": ${p.spans} span(s), ${formatUsAsMs(p.totalUs)} ms before the first marker`;
}

function phaseRows(split: IterationSplit, phases: readonly IterationPhase[]): string[][] {
  return phases.flatMap((p) =>
    [...split.categories, 'total' as const].map((c, i) => {
      const s = c === 'total' ? p.total : p.byCategory[c];
      return [
        i === 0 ? phaseName(p) : '',
        c,
        i === 0 ? String(p.iterations) : '',
        formatUsAsMs(s.meanUs),
        formatUsAsMs(s.p50Us),
        formatUsAsMs(s.p95Us),
        formatShare(p.total.meanUs > 0 ? s.meanUs / p.total.meanUs : 0),
      ];
    }),
  );
}

const PHASE_HEAD = ['phase', 'category', 'iterations', 'mean (ms)', 'p50 (ms)', 'p95 (ms)', 'share of mean'];

function iterationRows(split: IterationSplit): string[][] {
  const all = split.preRoll === undefined ? split.iterations : [split.preRoll, ...split.iterations];
  return all.map((it) => [
    it.label,
    formatUsAsMs(it.startUs),
    String(it.spans),
    formatUsAsMs(it.totalUs),
    ...split.categories.flatMap((c) => [
      formatUsAsMs(it.byCategoryUs[c]),
      formatShare(it.totalUs > 0 ? it.byCategoryUs[c] / it.totalUs : 0),
    ]),
  ]);
}

function iterationHead(split: IterationSplit): string[] {
  return [
    'iteration',
    'start (ms)',
    'spans',
    'total (ms)',
    ...split.categories.flatMap((c) => [`${c} (ms)`, `${c} %`]),
  ];
}

/** The text of `trace summary --per-iteration`: header, phase summary, then one row per iteration. */
export function renderIterationsText(
  split: IterationSplit,
  phases: readonly IterationPhase[],
  source: string,
  truncated: boolean,
): string {
  const lines = [
    `trace ${source}: ${split.iterations.length} iteration(s); ${markerLine(split)}${truncated ? ' — TRUNCATED file: the events before the cut' : ''}`,
    preRollLine(split),
  ];
  if (split.withoutTs > 0) lines.push(`not placed: ${split.withoutTs} span(s) without a numeric ts`);
  lines.push(
    '',
    'per-iteration totals by phase:',
    textTable(PHASE_HEAD, phaseRows(split, phases), 2),
    '',
    'per iteration (% = share of the iteration):',
    textTable(iterationHead(split), iterationRows(split)),
  );
  return `${lines.join('\n')}\n`;
}

/** The short stderr note of `trace viz --per-iteration`: header and phase summary. */
export function renderIterationsNote(
  split: IterationSplit,
  phases: readonly IterationPhase[],
  source: string,
): string {
  return `trace ${source}: ${split.iterations.length} iteration(s); ${markerLine(split)}\n${preRollLine(split)}\n${textTable(PHASE_HEAD, phaseRows(split, phases), 2)}\n`;
}

function stackedValues(
  group: string,
  byCategoryUs: (c: TraceCategory) => number,
  categories: readonly TraceCategory[],
) {
  return categories.map((c) => ({ group, ...categorySegment(c, byCategoryUs(c)) }));
}

/**
 * The per-iteration chart: one stacked bar per iteration (x = iteration index, the pre-roll "-"
 * first) up to ITERATION_BARS_MAX iterations; beyond, one panel each for the pre-roll, the first
 * iteration and the per-category mean of the rest, each panel with its own y scale.
 */
export function iterationsChart(
  split: IterationSplit,
  phases: readonly IterationPhase[],
  title: string,
): Chart {
  const cats = split.categories;
  if (cats.length === 0) {
    return {
      name: 'trace-iterations',
      title,
      caption: 'No time inside iterations.',
      unavailable: 'The iterations hold no time.',
    };
  }
  const all: IterationTotals[] =
    split.preRoll === undefined ? [...split.iterations] : [split.preRoll, ...split.iterations];
  if (split.iterations.length <= ITERATION_BARS_MAX) {
    const values = all.flatMap((it) => stackedValues(it.label, (c) => it.byCategoryUs[c], cats));
    const spec = {
      width: Math.max(480, Math.min(1600, all.length * 18)),
      height: 300,
      data: { values },
      name: 'series',
      mark: { type: 'bar' },
      encoding: {
        x: {
          field: 'group',
          type: 'ordinal',
          title: 'iteration',
          sort: all.map((it) => it.label),
          axis: { labelAngle: 0 },
        },
        y: { field: 'ms', type: 'quantitative', title: 'time (ms)', stack: 'zero' },
        color: categoryColor(cats),
        order: { field: 'order', type: 'quantitative' },
      },
    } as TopLevelSpec;
    return {
      name: 'trace-iterations',
      title,
      caption: `Time per iteration, stacked by category; ${split.iterations.length} iterations${split.preRoll === undefined ? '' : ' and the pre-roll "-"'}.`,
      spec,
      seriesMarks: values.length,
    };
  }
  // more than ITERATION_BARS_MAX iterations: both phases exist
  const [first, rest] = phases as [IterationPhase, IterationPhase];
  const panels = [
    ...(split.preRoll === undefined
      ? []
      : [{ group: 'pre-roll "-"', us: (c: TraceCategory) => split.preRoll?.byCategoryUs[c] ?? 0 }]),
    { group: phaseName(first), us: (c: TraceCategory) => first.byCategory[c].meanUs },
    { group: `rest: mean of ${rest.iterations}`, us: (c: TraceCategory) => rest.byCategory[c].meanUs },
  ];
  const values = panels.flatMap((p) => stackedValues(p.group, p.us, cats));
  const spec = {
    data: { values },
    facet: { column: { field: 'group', type: 'nominal', title: null, sort: panels.map((p) => p.group) } },
    resolve: { scale: { x: 'independent', y: 'independent' } },
    spec: {
      width: 160,
      height: 300,
      name: 'series',
      mark: { type: 'bar' },
      encoding: {
        x: { field: 'group', type: 'nominal', axis: null },
        y: { field: 'ms', type: 'quantitative', title: 'time (ms)', stack: 'zero' },
        color: categoryColor(cats),
        order: { field: 'order', type: 'quantitative' },
      },
    },
  } as TopLevelSpec;
  return {
    name: 'trace-iterations',
    title,
    caption: `${split.iterations.length} iterations are too many for one bar each (more than ${ITERATION_BARS_MAX}): the first iteration and the per-category mean of the other ${rest.iterations}, side by side, each panel with its own y scale.`,
    spec,
    seriesMarks: values.length,
  };
}

/** A self-contained page: the chart, the phase summary and the per-iteration table. */
export function renderIterationsHtml(
  split: IterationSplit,
  phases: readonly IterationPhase[],
  chart: Chart,
  svg: string,
  source: string,
  truncated: boolean,
): string {
  const body = `
<section id="chart"><h2>Breakdown per iteration</h2><figure class="chart wide" data-chart="${chart.name}" data-series-marks="${chart.seriesMarks ?? 0}"><div class="svg-wrap" role="img" aria-label="${escapeHtml(chart.title)}">${svg}</div><figcaption>${escapeHtml(chart.caption)}</figcaption></figure></section>
<section id="phases"><h2>By phase</h2><p>${escapeHtml(`${markerLine(split)}; ${preRollLine(split)}`)}</p>${htmlTable(PHASE_HEAD, phaseRows(split, phases))}</section>
<section id="iterations"><h2>Per iteration</h2><p>% = the category's share of the iteration.</p>${htmlTable(iterationHead(split), iterationRows(split))}</section>`;
  return htmlPage({
    title: chart.title,
    facts: [
      ['trace', source],
      ['iterations', String(split.iterations.length)],
      ['marker', `${split.marker.name} on tid ${split.marker.tid}`],
      ['pre-roll spans', String(split.preRoll?.spans ?? 0)],
      ...(truncated ? ([['file', 'truncated (events before the cut)']] as const) : []),
    ],
    nav: [
      ['chart', 'Chart'],
      ['phases', 'By phase'],
      ['iterations', 'Per iteration'],
    ],
    body,
    footer: 'goodput trace viz --per-iteration — iterations split at a marker span on the lowest layer',
  });
}
