// The summary of a report page: per cell, TTFT / TPOT / ITL / E2E p50 · p95 · p99 as mean over
// repeats ± 95 % CI, then throughputs, goodput with its SLO and the share of requests that met it.

import type { BenchReport, ScalarStats } from '../../core/schema/bench-report.js';
import type { CellView } from '../charts/cell-view.js';
import { LATENCY_METRICS, type LatencyMetricKey, metricReported } from '../charts/chart.js';
import { sloText } from '../charts/goodput-load.js';
import { escapeHtml } from '../escape-html.js';
import { formatCi, formatPercent, formatValue, shownCi } from './number-format.js';

const PCTS = ['p50', 'p95', 'p99'] as const;

/** The colour chip and label of a cell, as every table shows it. */
export function cellName(view: CellView): string {
  return `<span class="cell-name"><span class="chip" style="background:${escapeHtml(view.color)}"></span>${escapeHtml(view.label)}</span>`;
}

/** `mean` with `± ci` underneath when the cell has a CI; `extra` is appended (already HTML). */
export function statCell(stats: ScalarStats, nRepeats: number, extra = '', cls = ''): string {
  const ci = shownCi(nRepeats, stats.ci95_hw);
  const ciHtml = ci === null ? '' : `<span class="ci">± ${escapeHtml(formatCi(ci))}</span>`;
  return `<td${cls ? ` class="${cls}"` : ''}>${escapeHtml(formatValue(stats.mean))}${extra}${ciHtml}</td>`;
}

/** A ⚠ with a tooltip when the pooled p99 rests on too few samples (SPEC §2.3). */
function lowSampleMark(report: BenchReport, metric: LatencyMetricKey, pct: string): string {
  const pooled = report.goodput?.statistics?.pooled?.[metric];
  const p = pooled?.[pct as 'p99'];
  if (!p?.low_sample) return '';
  return ` <span class="warn-mark" title="${escapeHtml(`${pct} from only ${pooled?.n ?? 0} samples: too few for this percentile`)}">⚠</span>`;
}

export function latencyTable(views: readonly CellView[]): string {
  const groups = LATENCY_METRICS.map((m) => `<th class="group" colspan="3">${m.name} (ms)</th>`).join('');
  const sub = LATENCY_METRICS.map((_, i) =>
    PCTS.map((p, j) => `<th${j === 0 && i >= 0 ? ' class="gs"' : ''}>${p}</th>`).join(''),
  ).join('');
  const rows = views.map((v) => {
    const r = v.report;
    const cells = LATENCY_METRICS.map((m) => {
      if (!metricReported(r, m.key)) {
        const why =
          m.key === 'itl_ms'
            ? 'ITL unavailable: no complete ITL evidence in this report'
            : `no ${m.name} samples`;
        return PCTS.map(
          (_, j) => `<td class="na${j === 0 ? ' gs' : ''}" title="${escapeHtml(why)}">—</td>`,
        ).join('');
      }
      return PCTS.map((p, j) =>
        statCell(r[m.key][p], r.n_repeats, lowSampleMark(r, m.key, p), j === 0 ? 'gs' : ''),
      ).join('');
    }).join('');
    return `<tr><td>${cellName(v)}</td>${cells}</tr>`;
  });
  return `<div class="table-wrap"><table class="latency"><thead><tr><th rowspan="2">cell</th>${groups}</tr><tr>${sub}</tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}

export function throughputTable(views: readonly CellView[]): string {
  const rows = views.map((v) => {
    const r = v.report;
    const completed = r.completed_per_run.reduce((a, b) => a + b, 0);
    const errored = r.errored_per_run.reduce((a, b) => a + b, 0);
    const misses = r.goodput?.goodput_misses;
    const metShare =
      misses && misses.successful > 0
        ? misses.met_slo / misses.successful
        : r.request_throughput_rps.mean > 0
          ? r.goodput_rps.mean / r.request_throughput_rps.mean
          : Number.NaN;
    const slo = sloText(r.slo);
    const met =
      slo === null
        ? '<span class="na" title="no SLO: every successful request counts">n/a</span>'
        : escapeHtml(formatPercent(metShare));
    return `<tr><td>${cellName(v)}</td><td>${r.n_repeats}${r.n_repeats < 3 ? ' <span class="warn-mark" title="fewer than 3 repeats: no confidence interval">⚠</span>' : ''}</td><td>${completed} / ${errored}</td>${statCell(r.output_throughput_tps, r.n_repeats)}${statCell(r.total_throughput_tps, r.n_repeats)}${statCell(r.request_throughput_rps, r.n_repeats)}${statCell(r.goodput_rps, r.n_repeats)}<td>${met}</td><td class="text">${slo === null ? '<span class="na">none (goodput = request throughput)</span>' : escapeHtml(slo)}</td></tr>`;
  });
  return `<div class="table-wrap"><table class="throughput"><thead><tr><th>cell</th><th>repeats</th><th>completed / errored</th><th>output tok/s</th><th>total tok/s</th><th>req/s</th><th>goodput req/s</th><th>met SLO</th><th class="text">SLO per request</th></tr></thead><tbody>${rows.join('')}</tbody></table></div>`;
}
