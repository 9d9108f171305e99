// The console summary of cells (SPEC §3.8), returned as a string: TTFT/TPOT/ITL/E2E p50/p95/p99
// with ± CI, throughputs, goodput with the share meeting the SLO and misses by reason, errors by
// flag, and warnings. Colour only when the caller asks (it knows about TTYs and NO_COLOR).

import Table from 'cli-table3';
import picocolors from 'picocolors';
import type { BenchReport, MetricSet } from '../core/schema/bench-report.js';
import { errorReasons } from '../core/schema/error-reasons.js';
import type { PooledMetric } from '../core/schema/extension.js';
import { hasCompleteItlEvidence } from '../core/schema/itl-evidence.js';
import { formatRustDisplay, formatRustFixed } from '../core/schema/rust-float.js';
import { formatStat, isMeaningfulSlo } from './markdown-format.js';
import { renderPrefixCacheConsole } from './prefix-cache-section.js';

export interface TerminalOptions {
  /** ANSI colours (bold title, red errors, yellow warnings); default off */
  readonly color?: boolean;
}

/** Summaries of every cell, separated by a blank line. */
export function renderTerminal(reports: readonly BenchReport[], opts: TerminalOptions = {}): string {
  const prefix = renderPrefixCacheConsole(reports);
  return reports.map((r) => renderTerminalSummary(r, opts)).join('\n') + (prefix === '' ? '' : `\n${prefix}`);
}

/** The summary of one cell. */
export function renderTerminalSummary(report: BenchReport, opts: TerminalOptions = {}): string {
  const c = picocolors.createColors(opts.color === true);
  const hasCi = report.n_repeats >= 3;
  const ci = hasCi ? '± = 95 % CI half-width' : 'no CI below 3 repeats';
  let out = `${c.bold(`${report.model} — ${scenarioText(report)}`)} ${c.dim(`(n_repeats=${report.n_repeats}, ${ci})`)}\n`;

  const latency = newTable(['metric', 'p50', 'p95', 'p99']);
  const row = (label: string, m: MetricSet) => [
    label,
    formatStat(m.p50, hasCi),
    formatStat(m.p95, hasCi),
    formatStat(m.p99, hasCi),
  ];
  latency.push(
    row('TTFT (ms)', report.ttft_ms),
    row('TPOT (ms)', report.tpot_ms),
    itlRow(report, row),
    row('E2E (ms)', report.e2e_ms),
  );
  out += `${latency.toString()}\n`;

  const rates = newTable(['rate', 'value']);
  rates.push(
    ['output throughput (tok/s)', formatStat(report.output_throughput_tps, hasCi)],
    ['total throughput (tok/s)', formatStat(report.total_throughput_tps, hasCi)],
    ['request throughput (req/s)', formatStat(report.request_throughput_rps, hasCi)],
    ['goodput (req/s)', `${formatStat(report.goodput_rps, hasCi)}  ${goodputDetail(report)}`],
  );
  out += `${rates.toString()}\n`;

  out += errorsLine(report, c);
  const warnings = terminalWarnings(report);
  if (warnings.length > 0)
    out += `${c.yellow('warnings:')}\n${warnings.map((w) => c.yellow(`  ! ${w}`)).join('\n')}\n`;
  return out;
}

function newTable(head: string[]): Table.Table {
  // no colours from cli-table3 itself: colouring is decided here, by the caller's option
  return new Table({
    head,
    style: { head: [], border: [] },
    chars: { mid: '', 'left-mid': '', 'mid-mid': '', 'right-mid': '' },
  });
}

function scenarioText(r: BenchReport): string {
  if (r.scenario === 'closed_loop') return `closed_loop · c=${r.concurrency ?? 0}`;
  if (r.scenario === 'open_loop') return `open_loop · rate=${formatRustDisplay(r.request_rate ?? 0)} req/s`;
  return r.scenario;
}

/**
 * The locked ITL fields only with ferrum's complete evidence; otherwise ITL over the covered
 * requests from the extension (labelled with the coverage), else "unavailable".
 */
function itlRow(report: BenchReport, row: (label: string, m: MetricSet) => string[]): string[] {
  if (hasCompleteItlEvidence(report)) return row('ITL (ms)', report.itl_ms);
  const coverage = report.goodput?.itl_coverage;
  if (coverage?.itl_ms !== undefined && coverage.itl_ms.n > 0) {
    const pooled = (m: PooledMetric, p: 'p50' | 'p95' | 'p99') => {
      const v = m[p];
      return v === null ? '–' : `${formatRustFixed(v.value, 2)}${v.low_sample ? ' ⚠' : ''}`;
    };
    const label = `ITL (ms), ${formatRustFixed(coverage.fraction * 100, 1)} % covered`;
    return [
      label,
      pooled(coverage.itl_ms, 'p50'),
      pooled(coverage.itl_ms, 'p95'),
      pooled(coverage.itl_ms, 'p99'),
    ];
  }
  return ['ITL (ms)', 'unavailable', 'unavailable', 'unavailable'];
}

function goodputDetail(report: BenchReport): string {
  const misses = report.goodput?.goodput_misses;
  const slo = isMeaningfulSlo(report.slo)
    ? `SLO ttft ≤ ${formatRustDisplay(report.slo.ttft_p99_ms)} ms, tpot ≤ ${formatRustDisplay(report.slo.tpot_p99_ms)} ms, e2e ≤ ${formatRustDisplay(report.slo.e2e_p99_ms)} ms`
    : 'no SLO: every success counts';
  if (misses === undefined || misses.successful === 0) return `(${slo})`;
  const share = formatRustFixed((100 * misses.met_slo) / misses.successful, 1);
  return `(${slo}; ${share} % of ${misses.successful} met it; missed TTFT ${misses.ttft}, TPOT ${misses.tpot}, E2E ${misses.e2e})`;
}

function errorsLine(report: BenchReport, c: ReturnType<typeof picocolors.createColors>): string {
  const errored = report.errored_per_run.reduce((a, b) => a + b, 0);
  const total = errored + report.completed_per_run.reduce((a, b) => a + b, 0);
  const reasons = errorReasons(report);
  if (errored === 0 && reasons.length === 0) return `errors: none of ${total} requests\n`;
  const byFlag = reasons.map((r) => `${r.reason} ${r.total}`).join(', ');
  return `${c.red(`errors: ${errored} of ${total} requests`)}${byFlag === '' ? '' : ` (${byFlag})`}\n`;
}

/** The extension's warnings plus what the report itself shows: few repeats, ITL evidence, client limits. */
export function terminalWarnings(report: BenchReport): string[] {
  const ext = report.goodput;
  const out: string[] = [];
  if (report.n_repeats < 3)
    out.push(`n_repeats = ${report.n_repeats} < 3: no confidence intervals, differences cannot be assessed`);
  if (!hasCompleteItlEvidence(report) && ext?.itl_coverage === undefined) {
    out.push(
      'ITL unavailable: the report has no complete per-request ITL evidence (ferrum 0.7.7 files never do)',
    );
  }
  const coverage = ext?.itl_coverage;
  if (coverage !== undefined && coverage.fraction < 1) {
    out.push(
      `ITL covers ${formatRustFixed(coverage.fraction * 100, 1)} % of successful requests (the others streamed several tokens per event)`,
    );
  }
  if (ext?.client?.client_limited === true) {
    out.push(
      `client-limited run: ${ext.client.reasons.join('; ') || 'the load came close to this machine’s measured ceiling'}`,
    );
  }
  if ((ext?.tokens?.mismatched_requests ?? 0) > 0) {
    out.push(
      `${ext?.tokens?.mismatched_requests} request(s) where the server's token count and the streamed events disagree`,
    );
  }
  for (const w of ext?.warnings ?? []) if (!out.includes(w)) out.push(w);
  return out;
}
