// ferrum's value formats in rendered reports (ferrum-behaviour §7): `mean ± ci95_hw` to two
// decimals, the sweep cell label, and when an SLO is worth showing. Shared by markdown and terminal.

import { type BenchReport, type ScalarStats, UNBOUNDED_SLO_MS } from '../core/schema/bench-report.js';
import { formatRustDisplay, formatRustFixed } from '../core/schema/rust-float.js';

/** ferrum's `fmt`: `mean ± ci95_hw` to 2 decimals when the cell may show a CI and it is > 0. */
export function formatStat(stat: ScalarStats, hasCi: boolean): string {
  if (hasCi && stat.ci95_hw > 0)
    return `${formatRustFixed(stat.mean, 2)} ± ${formatRustFixed(stat.ci95_hw, 2)}`;
  return formatRustFixed(stat.mean, 2);
}

/** ferrum's sweep label of a cell: `c=4`, `rate=2.5`, `shared_prefix`, `cli`. */
export function cellLabel(report: BenchReport): string {
  switch (report.scenario) {
    case 'closed_loop':
      return `c=${report.concurrency ?? 0}`;
    case 'open_loop':
      return `rate=${formatRustDisplay(report.request_rate ?? 0)}`;
    default:
      return report.scenario;
  }
}

/** ferrum shows the goodput row only for a finite SLO that is not the unbounded sentinel. */
export function isMeaningfulSlo(slo: BenchReport['slo']): boolean {
  const values = [slo.ttft_p99_ms, slo.tpot_p99_ms, slo.e2e_p99_ms];
  const unbounded = values.every((v) => v === UNBOUNDED_SLO_MS);
  return !unbounded && values.every((v) => Number.isFinite(v));
}
