// The notes at the top of a report page: what the data cannot show and why (ferrum files without
// goodput's extension, no request records, fewer than 3 repeats), and the runs' own warnings.

import type { CellView, ReportData } from '../charts/cell-view.js';
import { unmatchedRequestCount } from '../charts/cell-view.js';

export interface Note {
  level: 'info' | 'warn' | 'bad';
  text: string;
}

export function reportNotes(data: ReportData, views: readonly CellView[]): Note[] {
  const notes: Note[] = [];
  if (views.length === 0) return [{ level: 'bad', text: 'No cells to show: the input held no reports.' }];
  const withoutExt = views.filter((v) => v.report.goodput === undefined);
  if (withoutExt.length === views.length) {
    notes.push({
      level: 'info',
      text: 'These reports have no goodput extension (ferrum files): pooled percentiles, ITL coverage, the extended error taxonomy, server identity and the comparability key are not available; everything shown comes from the locked ferrum fields.',
    });
  } else if (withoutExt.length > 0) {
    notes.push({
      level: 'info',
      text: `${withoutExt.length} of ${views.length} cells have no goodput extension (ferrum files): their extended statistics are missing.`,
    });
  }
  const withRecords = views.filter((v) => v.requests.length > 0).length;
  if (withRecords === 0) {
    notes.push({
      level: 'info',
      text: 'No per-request records were supplied: latency CDFs are drawn through the reported percentile points, and there is no token timeline.',
    });
  } else if (withRecords < views.length) {
    notes.push({
      level: 'info',
      text: `Request records cover ${withRecords} of ${views.length} cells; the other cells' CDFs use their reported percentiles.`,
    });
  }
  const sampled = (data.requests ?? []).filter((r) => !r.warmup).length;
  if (data.requestsTotal !== undefined && data.requestsTotal > sampled) {
    notes.push({
      level: 'info',
      text: `Request-level charts use a deterministic sample of ${sampled} of the ${data.requestsTotal} measured request records; tables and percentile bars use the full reports.`,
    });
  }
  const unmatched = unmatchedRequestCount(data, views);
  if (unmatched > 0)
    notes.push({
      level: 'warn',
      text: `${unmatched} request records matched no cell key and are not shown.`,
    });
  const few = views.filter((v) => v.report.n_repeats < 3);
  if (few.length > 0) {
    notes.push({
      level: 'warn',
      text: `${few.length === views.length ? 'Every cell has' : `${few.length} of ${views.length} cells have`} fewer than 3 repeats: no confidence intervals, and differences cannot be called significant.`,
    });
  }
  const limited = views.filter((v) => v.report.goodput?.client?.client_limited);
  for (const v of limited) {
    const reasons = v.report.goodput?.client?.reasons.join('; ') ?? '';
    notes.push({
      level: 'bad',
      text: `${v.label}: the client was the bottleneck${reasons ? ` (${reasons})` : ''}; its latencies overstate the server's.`,
    });
  }
  return notes;
}

/** The warnings each run recorded in its extension, prefixed with the cell they belong to. */
export function runWarnings(views: readonly CellView[]): string[] {
  return views.flatMap((v) => (v.report.goodput?.warnings ?? []).map((w) => `${v.label}: ${w}`));
}
