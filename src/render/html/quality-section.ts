// Data quality of each cell: ITL coverage (how many successful requests had one token per event,
// so their gaps are true inter-token latencies), errors by reason, the goodput miss breakdown and
// token-count provenance; each says plainly when the report does not carry it.

import type { BenchReport } from '../../core/schema/bench-report.js';
import type { CellView } from '../charts/cell-view.js';
import { errorCounts } from '../charts/error-breakdown.js';
import { escapeHtml } from '../escape-html.js';
import { formatPercent, formatValue } from './number-format.js';
import { cellName } from './summary-tables.js';

export interface ItlCoverage {
  eligible: number;
  successful: number;
  fraction: number;
  source: 'goodput extension' | 'repeat_metrics';
  /** p50 / p99 of ITL over the covered requests, when the extension has them */
  coveredP50Ms?: number;
  coveredP99Ms?: number;
}

/** ITL coverage from the extension, else from ferrum HEAD's per-repeat eligibility counts. */
export function itlCoverage(report: BenchReport): ItlCoverage | undefined {
  const ext = report.goodput?.itl_coverage;
  if (ext) {
    const p50 = ext.itl_ms?.p50?.value;
    const p99 = ext.itl_ms?.p99?.value;
    return {
      eligible: ext.eligible_requests,
      successful: ext.successful_requests,
      fraction: ext.fraction,
      source: 'goodput extension',
      ...(p50 !== undefined ? { coveredP50Ms: p50 } : {}),
      ...(p99 !== undefined ? { coveredP99Ms: p99 } : {}),
    };
  }
  const rows = report.repeat_metrics;
  if (!rows || rows.length === 0) return undefined;
  const eligible = rows.reduce((a, r) => a + r.itl_eligible_requests, 0);
  const successful = rows.reduce((a, r) => a + r.completed_requests, 0);
  return {
    eligible,
    successful,
    fraction: successful > 0 ? eligible / successful : 0,
    source: 'repeat_metrics',
  };
}

function coverageCell(c: ItlCoverage | undefined): string {
  if (!c) return '<td class="text na">unknown: this report predates ITL evidence</td>';
  const pct = Math.max(0, Math.min(1, c.fraction));
  return `<td class="text"><span class="bar"><span style="width:${(pct * 100).toFixed(1)}%"></span></span>${escapeHtml(formatPercent(c.fraction))} <span class="na">(${c.eligible} of ${c.successful} requests · ${escapeHtml(c.source)})</span></td>`;
}

export function qualitySection(views: readonly CellView[]): string {
  const rows = views
    .map((v) => {
      const r = v.report;
      const cov = itlCoverage(r);
      const covered =
        cov?.coveredP50Ms !== undefined
          ? `${escapeHtml(formatValue(cov.coveredP50Ms))} / ${cov.coveredP99Ms !== undefined ? escapeHtml(formatValue(cov.coveredP99Ms)) : '—'}`
          : '<span class="na">—</span>';
      const errors = [...errorCounts(r)].map(([k, n]) => `${escapeHtml(k)}: ${n}`).join(', ');
      const errored = r.errored_per_run.reduce((a, b) => a + b, 0);
      const m = r.goodput?.goodput_misses;
      const misses = m
        ? `${m.met_slo} of ${m.successful} met · missed TTFT ${m.ttft} · TPOT ${m.tpot} · E2E ${m.e2e}`
        : '<span class="na">not recorded</span>';
      return `<tr><td>${cellName(v)}</td>${coverageCell(cov)}<td>${covered}</td><td>${errored}</td><td class="text">${errors === '' ? '<span class="na">none</span>' : errors}</td><td class="text">${misses}</td></tr>`;
    })
    .join('');
  const table = `<div class="table-wrap"><table><thead><tr><th>cell</th><th class="text">ITL coverage</th><th>covered ITL p50 / p99 (ms)</th><th>errored</th><th class="text">flags</th><th class="text">goodput: SLO misses by reason</th></tr></thead><tbody>${rows}</tbody></table></div>`;
  return `${table}${tokenProvenance(views)}`;
}

function tokenProvenance(views: readonly CellView[]): string {
  const withTokens = views.filter(
    (v) => v.report.goodput?.tokens !== undefined || v.report.output_token_count_source !== undefined,
  );
  if (withTokens.length === 0) return '';
  const rows = withTokens
    .map((v) => {
      const t = v.report.goodput?.tokens;
      const sources = t
        ? Object.entries(t.output_sources)
            .map(([k, n]) => `${k}: ${n}`)
            .join(', ')
        : (v.report.output_token_count_source ?? '');
      const mismatch = t ? `${t.mismatched_requests}` : '<span class="na">—</span>';
      return `<tr><td>${cellName(v)}</td><td class="text">${escapeHtml(sources)}</td><td>${mismatch}</td><td class="text">${escapeHtml(t?.tokenizer ?? '')}</td></tr>`;
    })
    .join('');
  return `<details><summary>Token-count provenance</summary><div class="table-wrap"><table><thead><tr><th>cell</th><th class="text">output tokens counted from</th><th>usage/event mismatches</th><th class="text">tokenizer</th></tr></thead><tbody>${rows}</tbody></table></div></details>`;
}
