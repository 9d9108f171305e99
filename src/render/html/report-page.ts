// `renderHtmlReport`: one self-contained HTML page for a run or any set of cells (goodput runs and
// ferrum report files alike): summary tables, sweep curves with the knee, latency CDFs, percentile
// bars, per-repeat drift, a token timeline, errors and ITL coverage, and environment differences.

import { type CellView, cellViews, loadLabel, type ReportData } from '../charts/cell-view.js';
import type { Chart } from '../charts/chart.js';
import { renderChartSvgs } from '../charts/chart-svg.js';
import { allCharts, reportCharts } from '../charts/report-charts.js';
import { escapeHtml } from '../escape-html.js';
import { chartFigure } from './chart-figure.js';
import { environmentSection } from './environment-section.js';
import { htmlPage } from './page-shell.js';
import { qualitySection } from './quality-section.js';
import { reportNotes, runWarnings } from './report-notes.js';
import { latencyTable, throughputTable } from './summary-tables.js';

/** The page title when the data has none: ferrum's single-cell and sweep headings. */
export function defaultTitle(views: readonly CellView[]): string {
  const first = views[0];
  if (!first) return 'goodput report';
  const models = [...new Set(views.map((v) => v.report.model))];
  if (views.length === 1)
    return `${first.report.model} — ${first.report.scenario} · ${loadLabel(first.report)}`;
  return `Bench sweep (${views.length} cells) — ${models.length === 1 ? models[0] : `${models.length} models`}`;
}

/** The runs' warnings in one note: open when there are a few, folded when there are many. */
function warningsNote(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const open = warnings.length <= 4 ? ' open' : '';
  const items = warnings.map((w) => `<li>${escapeHtml(w)}</li>`).join('');
  return `<div class="note"><details${open}><summary>${warnings.length} warning${warnings.length === 1 ? '' : 's'} recorded by the run</summary><ul>${items}</ul></details></div>`;
}

function section(id: string, title: string, lede: string, inner: string): string {
  return `<section id="${id}"><h2>${escapeHtml(title)}</h2>${lede ? `<p class="lede">${escapeHtml(lede)}</p>` : ''}${inner}</section>`;
}

function grid(charts: readonly Chart[], svgs: Map<string, string>, wide = false): string {
  return `<div class="grid">${charts.map((c) => chartFigure(c, svgs.get(c.name), { wide })).join('')}</div>`;
}

/**
 * Renders the report page. Async because vega's headless renderer is; the result is one HTML
 * string with every chart inlined as SVG, no scripts and no external resources.
 *
 * Size: bounded by the number of cells, not of requests. Request records enter only through CDFs
 * (≤ 200 points per cell and metric) and the token timeline (≤ 20 requests × ≤ 150 points); every
 * other chart and table is O(cells × repeats). A 4-cell sweep measures about 280 KB whether it
 * has 5 000 or 20 000 requests; test/render/html/report-page.test.ts holds it under 500 KB.
 */
export async function renderHtmlReport(data: ReportData): Promise<string> {
  const views = cellViews(data);
  const charts = reportCharts(views);
  const svgs = await renderChartSvgs(allCharts(charts), { withTitle: false });
  const notes = reportNotes(data, views);
  const warnings = runWarnings(views);
  const models = [...new Set(views.map((v) => v.report.model))];
  const runIds = [
    ...new Set(views.map((v) => v.report.goodput?.run_id).filter((x): x is string => x !== undefined)),
  ];
  const tool = views.map((v) => v.report.goodput?.tool_version).find((x) => x !== undefined);
  const facts: [string, string][] = [
    ['cells', String(views.length)],
    [models.length === 1 ? 'model' : 'models', models.join(', ')],
    ['scenarios', [...new Set(views.map((v) => v.report.scenario))].join(', ')],
  ];
  if (runIds.length > 0) facts.push([runIds.length === 1 ? 'run' : 'runs', runIds.join(', ')]);
  if (data.generatedAt) facts.push(['generated', data.generatedAt]);
  if (data.sources && data.sources.length > 0) facts.push(['from', data.sources.join(', ')]);

  const body = [
    notes.length + warnings.length > 0
      ? `<section id="notes" class="notes">${notes.map((n) => `<div class="note ${n.level === 'info' ? 'info' : n.level === 'bad' ? 'bad' : ''}">${escapeHtml(n.text)}</div>`).join('')}${warningsNote(warnings)}</section>`
      : '',
    section(
      'summary',
      'Summary',
      'Latencies are the mean over repeats of each repeat’s percentile, ± the 95 % confidence interval (shown from 3 repeats up).',
      `${latencyTable(views)}<div class="spacer"></div>${throughputTable(views)}`,
    ),
    charts.sweep.some((c) => c.spec !== undefined)
      ? section('sweep', 'Load sweep', '', grid(charts.sweep, svgs))
      : section(
          'sweep',
          'Load sweep',
          `No sweep here: throughput-vs-latency and goodput-vs-load curves need two or more cells of one series at different concurrencies or rates.`,
          '',
        ),
    section('latency', 'Latency distributions', '', grid(charts.cdf, svgs)),
    section('percentiles', 'Percentiles with 95 % CI', '', grid(charts.percentiles, svgs)),
    section('repeats', 'Repeats and token timeline', '', grid([charts.drift, charts.timeline], svgs)),
    section(
      'quality',
      'Errors and data quality',
      '',
      `${grid([charts.errors], svgs, true)}<div class="spacer"></div>${qualitySection(views)}`,
    ),
    section('environment', 'Environment and comparability', '', environmentSection(views)),
  ].join('\n');

  return htmlPage({
    title: data.title ?? defaultTitle(views),
    facts,
    nav: [
      ['summary', 'Summary'],
      ['sweep', 'Sweep'],
      ['latency', 'CDFs'],
      ['percentiles', 'Percentiles'],
      ['repeats', 'Repeats'],
      ['quality', 'Errors & ITL'],
      ['environment', 'Environment'],
    ],
    body,
    footer: `Generated by goodput${tool ? ` ${tool}` : ''}. A self-contained page: charts are pre-rendered SVG (Vega-Lite); it loads nothing from the network and runs no script.`,
  });
}
