// Errors by reason per cell: ferrum's quality counters summed over repeats, plus goodput's extended
// error taxonomy (connect_error, timeout, http_429, …) where the extension has it. A request may
// carry several flags, so a bar can exceed the cell's errored count.

import { type BenchReport, QUALITY_FLAGS } from '../../core/schema/bench-report.js';
import type { CellView } from './cell-view.js';
import type { Chart } from './chart.js';
import { CHART_WIDTH_PX } from './theme.js';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

/** reason → count over all repeats of the cell, zero counts left out. */
export function errorCounts(report: BenchReport): Map<string, number> {
  const counts = new Map<string, number>();
  const add = (reason: string, n: number) => {
    if (n > 0) counts.set(reason, (counts.get(reason) ?? 0) + n);
  };
  if (report.quality_issues_per_run.length > 0) {
    for (const flag of QUALITY_FLAGS) add(flag, sum(report.quality_issues_per_run.map((q) => q[flag])));
  } else {
    for (const flag of QUALITY_FLAGS) add(flag, sum(report[`${flag}_per_run`]));
  }
  for (const [flag, perRun] of Object.entries(report.goodput?.errors_per_run ?? {})) {
    // the extension repeats ferrum's flags under the same names in some producers: count each name once
    if (!(QUALITY_FLAGS as readonly string[]).includes(flag)) add(flag, sum(perRun));
  }
  return counts;
}

export function errorBreakdownChart(views: readonly CellView[]): Chart {
  const name = 'errors-by-reason';
  const title = 'Errors by reason';
  const caption =
    "Flagged measured requests per cell, summed over repeats: ferrum's quality counters and goodput's extended taxonomy. One request can carry several flags.";
  const rows: { cell: string; reason: string; count: number }[] = [];
  for (const v of views)
    for (const [reason, count] of errorCounts(v.report)) rows.push({ cell: v.label, reason, count });
  if (rows.length === 0) {
    return { name, title, caption, unavailable: 'No errors or quality flags in any cell.' };
  }
  return {
    name,
    title,
    caption,
    seriesMarks: rows.length,
    spec: {
      width: CHART_WIDTH_PX,
      height: { step: 22 },
      data: { values: rows },
      name: 'series',
      mark: { type: 'bar' },
      encoding: {
        y: { field: 'cell', type: 'nominal', title: null, sort: views.map((v) => v.label) },
        x: { field: 'count', type: 'quantitative', title: 'flagged requests', stack: 'zero' },
        color: { field: 'reason', type: 'nominal', title: 'reason', scale: { scheme: 'tableau10' } },
        order: { field: 'reason' },
      },
    },
  };
}
