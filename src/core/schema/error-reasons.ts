// The error reasons of a cell with their per-repeat counts, merged from goodput's extended
// taxonomy (`goodput.errors_per_run`) and ferrum's eight `*_per_run` counters, for renderers.

import { type BenchReport, QUALITY_FLAGS } from './bench-report.js';
import { compareByteOrder } from './byte-order.js';

export interface ErrorReason {
  /** the flag name, e.g. `http_500`, `timeout` */
  readonly reason: string;
  /** count per repeat, in repeat order (missing entries are 0) */
  readonly perRun: readonly number[];
  readonly total: number;
}

/**
 * Every reason with a non-zero count: the extension's flags (sorted), then ferrum's counters the
 * extension does not already carry. A request may carry several reasons.
 */
export function errorReasons(report: BenchReport): ErrorReason[] {
  const extended = report.goodput?.errors_per_run ?? {};
  const rows: Array<[string, readonly number[]]> = Object.keys(extended)
    .sort(compareByteOrder)
    .map((flag) => [flag, extended[flag] ?? []]);
  for (const flag of QUALITY_FLAGS) {
    if (!Object.hasOwn(extended, flag)) rows.push([flag, report[`${flag}_per_run`]]);
  }
  return rows
    .map(([reason, perRun]) => ({ reason, perRun, total: perRun.reduce((a, b) => a + b, 0) }))
    .filter((r) => r.total > 0);
}
