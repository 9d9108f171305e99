// `renderCompareHtml`: a comparison (core/compare) as one self-contained HTML page: verdicts, warnings,
// the parity table, the ratio chart, and per joined cell every metric with A and B ± CI, ratio B/A
// [CI], Welch's p, the seed's overlap rule, coloured by verdict (better green, worse red, …).

import type { CellComparison, Comparison, MetricComparison } from '../../core/compare/comparison.js';
import type { MetricSample } from '../../core/compare/metric-sample.js';
import { renderChartSvgs } from '../charts/chart-svg.js';
import { ratioForestChart, VERDICT_LABELS } from '../charts/ratio-forest.js';
import { escapeHtml } from '../escape-html.js';
import { chartFigure } from './chart-figure.js';
import { formatCi, formatValue } from './number-format.js';
import { htmlPage } from './page-shell.js';
import { parityTableHtml } from './parity-table.js';

export interface CompareHtmlOptions {
  title?: string;
  /** ISO 8601; the renderer never reads a clock */
  generatedAt?: string;
}

const VERDICT_CLASS = {
  better: 'better',
  worse: 'worse',
  no_significant_change: 'same',
  not_assessable: 'unknown',
} as const;

export function verdictChip(verdict: MetricComparison['verdict'], title?: string): string {
  const t = title ? ` title="${escapeHtml(title)}"` : '';
  return `<span class="verdict ${VERDICT_CLASS[verdict]}"${t}>${escapeHtml(VERDICT_LABELS[verdict])}</span>`;
}

function sampleCell(s: MetricSample): string {
  if (s.mean === null) return `<td class="na" title="${escapeHtml(s.unavailable ?? 'unavailable')}">—</td>`;
  const ci =
    s.n >= 3 && s.ci95Hw > 0
      ? `<span class="ci">± ${escapeHtml(formatCi(s.ci95Hw))} · n=${s.n}</span>`
      : `<span class="ci">n=${s.n}</span>`;
  return `<td>${escapeHtml(formatValue(s.mean))}${ci}</td>`;
}

/** p-values: three decimals, `< 0.001` below that. */
export function formatP(p: number): string {
  return p < 0.001 ? '< 0.001' : p.toFixed(3);
}

function metricRow(m: MetricComparison): string {
  const ratio = m.ratio === null ? '—' : m.ratio.toFixed(3);
  const interval = m.welch?.ratioCi95
    ? `<span class="ci">[${m.welch.ratioCi95[0].toFixed(3)}, ${m.welch.ratioCi95[1].toFixed(3)}]</span>`
    : '';
  const change = m.changePct === null ? '—' : `${m.changePct > 0 ? '+' : ''}${m.changePct.toFixed(1)} %`;
  const p = m.welch ? formatP(m.welch.pValue) : '<span class="na">—</span>';
  const dir = m.direction === 'lower_is_better' ? '↓ better' : '↑ better';
  return `<tr class="row-${VERDICT_CLASS[m.verdict]}"><td class="text">${escapeHtml(m.label)} <span class="na">(${escapeHtml(m.unit)}, ${dir})</span></td>${sampleCell(m.a)}${sampleCell(m.b)}<td class="ratio">${ratio}${interval}</td><td>${change}</td><td>${p}</td><td>${escapeHtml(m.overlap)}</td><td>${verdictChip(m.verdict, m.reason)}</td></tr>`;
}

function cellSection(c: CellComparison, comparison: Comparison): string {
  const engines =
    c.engineA !== null || c.engineB !== null
      ? ` · engines ${escapeHtml(c.engineA ?? '?')} → ${escapeHtml(c.engineB ?? '?')}`
      : '';
  const notes = [
    ...c.comparability.map(
      (d) =>
        `<div class="note bad">Not comparable on <code>${escapeHtml(d.field)}</code>: ${escapeHtml(JSON.stringify(d.a) ?? 'absent')} vs ${escapeHtml(JSON.stringify(d.b) ?? 'absent')}</div>`,
    ),
    ...c.warnings.map((w) => `<div class="note">${escapeHtml(w)}</div>`),
  ].join('');
  const head = `<thead><tr><th class="text">metric</th><th>${escapeHtml(comparison.labelA)} (A)</th><th>${escapeHtml(comparison.labelB)} (B)</th><th>B / A [95 % CI]</th><th>change</th><th>p (Welch)</th><th>CI overlap (seed)</th><th>verdict</th></tr></thead>`;
  const counts = (['worse', 'better'] as const)
    .map((k) => [k, c.metrics.filter((m) => m.verdict === k).length] as const)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => ` ${verdictChip(k)} ${n}`)
    .join('');
  return `<section class="cell-compare"><h3>${escapeHtml(c.label)}${counts}</h3><p class="lede">n repeats ${c.nRepeatsA} → ${c.nRepeatsB}${engines} · from ${escapeHtml(c.sourceA)} and ${escapeHtml(c.sourceB)}</p><div class="notes">${notes}</div><div class="table-wrap"><table>${head}<tbody>${c.metrics.map(metricRow).join('')}</tbody></table></div></section>`;
}

export async function renderCompareHtml(
  comparison: Comparison,
  options: CompareHtmlOptions = {},
): Promise<string> {
  const chart = ratioForestChart(comparison);
  const svgs = await renderChartSvgs([chart], { withTitle: false });
  const v = comparison.verdicts;
  const summary = (['better', 'worse', 'no_significant_change', 'not_assessable'] as const)
    .map((k) => `<span>${verdictChip(k)} <b>${v[k]}</b></span>`)
    .join(' ');
  const unjoined = [
    ...comparison.onlyA.map(
      (u) =>
        `<li>only in A (${escapeHtml(comparison.labelA)}): ${escapeHtml(u.label)} <span class="na">${escapeHtml(u.source)}</span></li>`,
    ),
    ...comparison.onlyB.map(
      (u) =>
        `<li>only in B (${escapeHtml(comparison.labelB)}): ${escapeHtml(u.label)} <span class="na">${escapeHtml(u.source)}</span></li>`,
    ),
  ];
  const warnings = [
    ...(comparison.crossEngine
      ? [
          '<div class="note info">The two sides ran different engines: read the parity table before the numbers.</div>',
        ]
      : []),
    ...comparison.warnings.map((w) => `<div class="note">${escapeHtml(w)}</div>`),
    ...(unjoined.length > 0
      ? [
          `<div class="note">${unjoined.length} cell${unjoined.length === 1 ? '' : 's'} had no partner:<ul>${unjoined.join('')}</ul></div>`,
        ]
      : []),
  ];
  const body = [
    `<section id="verdicts"><h2>Verdicts</h2><p class="lede">B compared with A for every joined cell and metric, with Welch's t-test on the per-repeat values at α = ${comparison.alpha}. Fewer than 3 repeats on either side is not assessable, never significant.</p><div class="legend">${summary}</div>${warnings.length > 0 ? `<div class="notes">${warnings.join('')}</div>` : ''}</section>`,
    `<section id="parity"><h2>Configuration parity</h2>${parityTableHtml(comparison.parity)}</section>`,
    `<section id="ratios"><h2>Ratios</h2><div class="grid">${chartFigure(chart, svgs.get(chart.name), { wide: true })}</div></section>`,
    `<section id="cells"><h2>Joined cells</h2>${comparison.cells.length === 0 ? '<p class="lede">No cells joined: the two sides share no cell key.</p>' : comparison.cells.map((c) => cellSection(c, comparison)).join('')}</section>`,
  ].join('\n');
  return htmlPage({
    title: options.title ?? `Comparison: ${comparison.labelA} → ${comparison.labelB}`,
    facts: [
      ['A', comparison.labelA],
      ['B', comparison.labelB],
      ['joined cells', String(comparison.cells.length)],
      ['worse', String(v.worse)],
      ['better', String(v.better)],
      ...(options.generatedAt ? ([['generated', options.generatedAt]] as [string, string][]) : []),
    ],
    nav: [
      ['verdicts', 'Verdicts'],
      ['parity', 'Parity'],
      ['ratios', 'Ratios'],
      ['cells', 'Cells'],
    ],
    body,
    footer:
      'Generated by goodput. A self-contained page: charts are pre-rendered SVG (Vega-Lite); it loads nothing from the network and runs no script.',
  });
}
