// One chart as an HTML figure: heading, caption and the inline SVG, or the reason it is missing.
// `data-chart` and `data-series-marks` let a browser test check that each chart drew every series.

import type { Chart } from '../charts/chart.js';
import { escapeHtml } from '../escape-html.js';

export function chartFigure(chart: Chart, svg: string | undefined, options: { wide?: boolean } = {}): string {
  const cls = ['chart', options.wide ? 'wide' : '', svg === undefined ? 'unavailable' : '']
    .filter(Boolean)
    .join(' ');
  const series =
    chart.seriesMarks !== undefined && svg !== undefined ? ` data-series-marks="${chart.seriesMarks}"` : '';
  const head = `<figcaption><h3>${escapeHtml(chart.title)}</h3><p>${escapeHtml(chart.caption)}</p></figcaption>`;
  const content =
    svg === undefined
      ? `<p class="missing">${escapeHtml(chart.unavailable ?? 'Not available.')}</p>`
      : `<div class="svg-wrap" role="img" aria-label="${escapeHtml(chart.title)}">${svg}</div>`;
  return `<figure class="${cls}" id="chart-${escapeHtml(chart.name)}" data-chart="${escapeHtml(chart.name)}"${series}>${head}${content}</figure>`;
}
