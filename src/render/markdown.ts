// BenchReport → markdown. ferrum's `render_single` / `render_sweep` (ferrum-behaviour §7,
// Appendix A.3) byte for byte, including its irregular padding; goodput's extension sections
// (markdown-extension.ts) follow ferrum's tables when a cell carries a `goodput` extension.

import type { BenchReport } from '../core/schema/bench-report.js';
import { hasCompleteItlEvidence } from '../core/schema/itl-evidence.js';
import { formatRustDisplay } from '../core/schema/rust-float.js';
import { renderSingleExtension, renderSweepExtension } from './markdown-extension.js';
import { cellLabel, formatStat, isMeaningfulSlo } from './markdown-format.js';

/** One cell: ferrum's header, Environment, Metrics and Per-run breakdown, then goodput's sections. */
export function renderSingle(report: BenchReport): string {
  let s = header(report) + envBlock(report) + metricsBlock(report) + completionBlock(report);
  if (report.goodput !== undefined) s += renderSingleExtension(report);
  return s;
}

/**
 * Several cells: ferrum's sweep (the first cell's Environment, one row per cell), then, when any
 * cell carries a goodput extension, the environment differences, knee and per-cell details.
 */
export function renderSweep(reports: readonly BenchReport[]): string {
  let s = `# Bench sweep (${reports.length} cells)\n\n`;
  const first = reports[0];
  if (first !== undefined) s += envBlock(first);
  s += sweepTable(reports);
  if (reports.some((r) => r.goodput !== undefined)) s += renderSweepExtension(reports);
  return s;
}

function header(r: BenchReport): string {
  let scenario: string;
  if (r.scenario === 'closed_loop') scenario = `closed_loop · c=${r.concurrency ?? 0}`;
  else if (r.scenario === 'open_loop')
    scenario = `open_loop · rate=${formatRustDisplay(r.request_rate ?? 0)} req/s`;
  else scenario = r.scenario;
  return `# ${r.model} — ${scenario}\n\n`;
}

function envBlock(r: BenchReport): string {
  const env = r.env;
  let s = '## Environment\n\n| key | value |\n|---|---|\n';
  s += `| backend | ${r.backend} |\n`;
  s += `| commit | \`${env.commit_sha}\` |\n`;
  s += `| hw_id | ${env.hw_id} |\n`;
  if (env.driver !== undefined) s += `| driver | ${env.driver} |\n`;
  if (env.cuda !== undefined) s += `| cuda | ${env.cuda} |\n`;
  s += `| rust | ${env.rust} |\n`;
  if (env.ferrum_features.length > 0) s += `| features | ${env.ferrum_features.join(', ')} |\n`;
  if (env.gpu_clock_lock_mhz !== undefined) s += `| gpu_clock_lock | ${env.gpu_clock_lock_mhz} MHz |\n`;
  if (env.gpu_power_limit_w !== undefined) s += `| gpu_power_limit | ${env.gpu_power_limit_w} W |\n`;
  if (env.gpu_persistence_mode !== undefined) s += `| gpu_persistence_mode | ${env.gpu_persistence_mode} |\n`;
  s += `| env_hash | \`${r.env_hash}\` |\n\n`;
  return s;
}

function metricsBlock(r: BenchReport): string {
  const hasCi = r.n_repeats >= 3;
  const row = (label: string, m: BenchReport['ttft_ms']) =>
    `| ${label} | ${formatStat(m.p50, hasCi)} | ${formatStat(m.p75, hasCi)} | ${formatStat(m.p95, hasCi)} | ${formatStat(m.p99, hasCi)} |\n`;
  let s = '## Metrics\n\n';
  s += `n_repeats = ${r.n_repeats}${hasCi ? '' : ' · ⚠ < 3 → no CI (PLAYBOOK § 0.4)'}\n\n`;
  s += '| metric | p50 | p75 | p95 | p99 |\n|---|---|---|---|---|\n';
  s += row('TTFT (ms)', r.ttft_ms);
  s += row('TPOT (ms)', r.tpot_ms);
  // the two spaces after "(ms)" are ferrum's, part of the byte-compatible output
  s += hasCompleteItlEvidence(r)
    ? row('ITL (ms) ', r.itl_ms)
    : '| ITL (ms)  | unavailable | unavailable | unavailable | unavailable |\n';
  s += row('E2E (ms) ', r.e2e_ms);
  s += '\n| throughput / goodput | value |\n|---|---|\n';
  s += `| output_throughput (tok/s) | ${formatStat(r.output_throughput_tps, hasCi)} |\n`;
  s += `| total_throughput (tok/s)  | ${formatStat(r.total_throughput_tps, hasCi)} |\n`;
  s += `| request_throughput (req/s) | ${formatStat(r.request_throughput_rps, hasCi)} |\n`;
  if (isMeaningfulSlo(r.slo)) {
    const { ttft_p99_ms, tpot_p99_ms, e2e_p99_ms } = r.slo;
    s += `| **goodput (req/s)** | ${formatStat(r.goodput_rps, hasCi)} (SLO ttft:${formatRustDisplay(ttft_p99_ms)}ms tpot:${formatRustDisplay(tpot_p99_ms)}ms e2e:${formatRustDisplay(e2e_p99_ms)}ms) |\n`;
  }
  return `${s}\n`;
}

function completionBlock(r: BenchReport): string {
  let s = '## Per-run breakdown\n\n';
  s +=
    '| run | completed | errored | bad_output | malformed_stream | missing_done | duplicate_done | zero_output_tokens | http_500 | panic | stream_bulk_flush |\n';
  s += '|---|---|---|---|---|---|---|---|---|---|---|\n';
  const at = (v: readonly number[], i: number) => v[i] ?? 0;
  r.completed_per_run.forEach((completed, i) => {
    const cols = [
      i + 1,
      completed,
      at(r.errored_per_run, i),
      at(r.bad_output_per_run, i),
      at(r.malformed_stream_per_run, i),
      at(r.missing_done_per_run, i),
      at(r.duplicate_done_per_run, i),
      at(r.zero_output_tokens_per_run, i),
      at(r.http_500_per_run, i),
      at(r.panic_per_run, i),
      at(r.stream_bulk_flush_per_run, i),
    ];
    s += `| ${cols.join(' | ')} |\n`;
  });
  return `${s}\n`;
}

function sweepTable(reports: readonly BenchReport[]): string {
  if (reports.length === 0) return '';
  let s = '## Sweep\n\n';
  if (!reports.every((r) => r.n_repeats >= 3)) {
    s += '⚠ At least one cell has `n_repeats < 3` — CI95 columns omitted for those cells.\n\n';
  }
  s += '| cell | TTFT_p50 | TTFT_p99 | TPOT_p50 | output_thr | goodput |\n|---|---|---|---|---|---|\n';
  for (const r of reports) {
    const ci = r.n_repeats >= 3;
    s += `| ${cellLabel(r)} | ${formatStat(r.ttft_ms.p50, ci)} | ${formatStat(r.ttft_ms.p99, ci)} | ${formatStat(r.tpot_ms.p50, ci)} | ${formatStat(r.output_throughput_tps, ci)} | ${formatStat(r.goodput_rps, ci)} |\n`;
  }
  return `${s}\n`;
}
