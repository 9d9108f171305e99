// What the HTML report and the static charts read: the input data object (cells, an optional
// bounded sample of request records) and, per cell, a display view with a unique label, its
// series, its load point and its colour. Request records join cells by `goodput.cell_key`.

import type { BenchReport } from '../../core/schema/bench-report.js';
import type { RequestRecord } from '../../core/schema/request-record.js';
import { seriesColor } from './theme.js';

/** Everything a report page is drawn from; the CLI gathers it, the renderers only read it. */
export interface ReportData {
  cells: BenchReport[];
  /** a bounded sample of the cells' request records (goodput runs write them to requests.jsonl) */
  requests?: RequestRecord[];
  /** how many measured records the sample was drawn from, when it is a sample */
  requestsTotal?: number;
  title?: string;
  /** optional series name per cell (same order as `cells`), e.g. the run or file it came from */
  seriesLabels?: readonly (string | undefined)[];
  /** where the cells were read from (paths, ledger selectors), listed in the page header */
  sources?: readonly string[];
  /** when the page was generated (ISO 8601); renderers never read a clock */
  generatedAt?: string;
}

export type LoadPoint =
  | { kind: 'concurrency'; value: number }
  | { kind: 'rate'; value: number }
  | { kind: 'none'; value: undefined };

export interface CellView {
  index: number;
  report: BenchReport;
  /** unique within the page: the load label, prefixed by the series when there are several */
  label: string;
  series: string;
  load: LoadPoint;
  color: string;
  /** the measured (non-warmup) request records of this cell, possibly empty */
  requests: RequestRecord[];
}

/** ferrum's scenario label: closed `c=K`, open `rate=R`, else the scenario name (ferrum-behaviour §7). */
export function loadLabel(report: BenchReport): string {
  if (report.scenario === 'closed_loop') return `c=${report.concurrency ?? 0}`;
  if (report.scenario === 'open_loop') return `rate=${report.request_rate ?? 0}`;
  return report.concurrency !== undefined && report.concurrency > 1
    ? `${report.scenario} c=${report.concurrency}`
    : report.scenario;
}

export function loadPoint(report: BenchReport): LoadPoint {
  if (report.scenario === 'open_loop' && report.request_rate !== undefined)
    return { kind: 'rate', value: report.request_rate };
  if (report.concurrency !== undefined) return { kind: 'concurrency', value: report.concurrency };
  if (report.request_rate !== undefined) return { kind: 'rate', value: report.request_rate };
  return { kind: 'none', value: undefined };
}

/**
 * The display views of `data.cells`, ordered by series (in order of first appearance) and then by
 * load, so sweeps read left to right; `index` is the cell's position in `data.cells`. Request
 * records join their cell by `goodput.cell_key`.
 */
export function cellViews(data: ReportData): CellView[] {
  const cells = data.cells;
  const series = cells.map((c, i) => data.seriesLabels?.[i] ?? c.goodput?.label ?? c.model);
  const seriesOrder = [...new Set(series)];
  const manySeries = seriesOrder.length > 1;
  const measured = (data.requests ?? []).filter((r) => !r.warmup);
  const byKey = new Map<string, RequestRecord[]>();
  for (const r of measured) {
    const list = byKey.get(r.cell);
    if (list) list.push(r);
    else byKey.set(r.cell, [r]);
  }
  const order = cells
    .map((report, index) => ({
      report,
      index,
      series: series[index] ?? report.model,
      load: loadPoint(report),
    }))
    .sort(
      (a, b) =>
        seriesOrder.indexOf(a.series) - seriesOrder.indexOf(b.series) ||
        loadRank(a.load) - loadRank(b.load) ||
        (a.load.value ?? 0) - (b.load.value ?? 0) ||
        a.index - b.index,
    );
  const seen = new Map<string, number>();
  return order.map(({ report, index, series: s, load }, position) => {
    let label = manySeries ? `${s} · ${loadLabel(report)}` : loadLabel(report);
    const count = (seen.get(label) ?? 0) + 1;
    seen.set(label, count);
    if (count > 1) label = `${label} (${count})`;
    const key = report.goodput?.cell_key;
    // A lone cell without a key owns every record: ferrum-style single-cell inputs have no keys.
    const requests = key !== undefined ? (byKey.get(key) ?? []) : cells.length === 1 ? measured : [];
    return { index, report, label, series: s, load, color: seriesColor(position), requests };
  });
}

const loadRank = (load: LoadPoint) => (load.kind === 'concurrency' ? 0 : load.kind === 'rate' ? 1 : 2);

/** Records that matched no cell (shown as a note so a wrong join is visible). */
export function unmatchedRequestCount(data: ReportData, views: readonly CellView[]): number {
  const measured = (data.requests ?? []).filter((r) => !r.warmup).length;
  return measured - views.reduce((n, v) => n + v.requests.length, 0);
}
