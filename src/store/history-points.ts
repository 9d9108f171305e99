// Ledger runs → the points of the history page (render/charts/history-series.ts): one point per
// run, cell key and compared metric, read with the comparison's own rule (core/compare/metric-sample)
// so a step the history marks is the verdict `goodput compare` gives for the same two runs.

import { type CellKey, cellKeyOf } from '../core/compare/cell-key.js';
import { compareKeys } from '../core/compare/join.js';
import { COMPARED_METRICS, type MetricDef, metricById } from '../core/compare/metric-catalog.js';
import { metricSample } from '../core/compare/metric-sample.js';
import { GoodputError } from '../core/errors.js';
import type { HistoryPoint } from '../render/charts/history-series.js';
import { runTime } from './history-runs.js';
import type { StoredCell, StoredRun } from './ledger.js';

export interface HistoryPointOptions {
  /** metric ids (core/compare/metric-catalog); default every compared metric */
  readonly metrics?: readonly string[];
  /** `--cell` filters: a cell is kept when it matches any of them (see cellKeyMatches); default all */
  readonly cells?: readonly string[];
}

export interface HistoryPoints {
  readonly points: HistoryPoint[];
  /** what the reader should know: duplicate cells in a run, metrics no run could provide */
  readonly warnings: string[];
}

/** The id a history shows for a ledger run; also a selector that finds it again. */
export function historyRunId(run: StoredRun): string {
  return `run:${run.run.id}`;
}

/**
 * True when a cell key matches a `--cell` filter: the full key (`model|closed_loop|c=4|rate=-|in=256|out=128|ds=?`),
 * or some of its `|`-separated parts, all of which must be parts of the key (`c=4`, `c=4|in=256`, the model).
 */
export function cellKeyMatches(cellKey: string, filter: string): boolean {
  if (cellKey === filter) return true;
  const parts = new Set(cellKey.split('|'));
  const wanted = filter
    .split('|')
    .map((p) => p.trim())
    .filter((p) => p !== '');
  return wanted.length > 0 && wanted.every((p) => parts.has(p));
}

/** The cells of a run the filters keep; a key seen twice in one run keeps the later cell (as compare's join does). */
function keptCells(run: StoredRun, filters: readonly string[], warnings: string[]): StoredCell[] {
  const byKey = new Map<string, StoredCell>();
  for (const cell of run.cells) {
    if (filters.length > 0 && !filters.some((f) => cellKeyMatches(cell.cellKey, f))) continue;
    if (byKey.has(cell.cellKey)) {
      warnings.push(
        `${historyRunId(run)} has two cells for ${cell.cellKey}; the history uses the later one (cell ${cell.index})`,
      );
      byKey.delete(cell.cellKey);
    }
    byKey.set(cell.cellKey, cell);
  }
  return [...byKey.values()];
}

/**
 * The history points of runs: cell keys in the comparison's order (model, scenario, then concurrency
 * or rate numerically, lengths, dataset), within a key the runs' order, then metric order. A metric a
 * cell cannot provide (ferrum's 0 for unavailable ITL, an empty repeat) gives no point rather than
 * a 0. Throws USAGE when the `--cell` filters match no cell, listing the keys there are.
 */
export function historyPoints(runs: readonly StoredRun[], options: HistoryPointOptions = {}): HistoryPoints {
  const metrics: MetricDef[] =
    options.metrics === undefined
      ? [...COMPARED_METRICS]
      : options.metrics.map((id) => {
          const def = metricById(id);
          if (def === undefined) throw new GoodputError('USAGE', `--metrics: unknown metric "${id}"`);
          return def;
        });
  const filters = options.cells ?? [];
  const warnings: string[] = [];
  const points: HistoryPoint[] = [];
  const keys = new Map<string, CellKey>();
  for (const run of runs) {
    const commit = run.run.commit;
    for (const cell of keptCells(run, filters, warnings)) {
      if (!keys.has(cell.cellKey)) keys.set(cell.cellKey, cellKeyOf(cell.report));
      for (const metric of metrics) {
        const sample = metricSample(cell.report, metric);
        if (sample.mean === null) continue;
        points.push({
          runId: historyRunId(run),
          ...(commit === null ? {} : { commit }),
          startedAt: runTime(run.run),
          cellKey: cell.cellKey,
          metric: metric.id,
          mean: sample.mean,
          ci95_hw: sample.ci95Hw,
          n: sample.n,
          // the stddev the comparison tests with (extension statistics when present), not one derived back from the CI
          stddev: sample.stddev ?? 0,
        });
      }
    }
  }
  if (filters.length > 0 && keys.size === 0 && runs.length > 0) {
    const keys = [...new Set(runs.flatMap((r) => r.cells.map((c) => c.cellKey)))].sort();
    const shown = keys.slice(0, 12).join('\n  ');
    throw new GoodputError('USAGE', `--cell ${filters.join(', ')}: no cell of the selected runs matches`, {
      hint: `give a full cell key or some of its |-separated parts (e.g. c=4); the keys are:\n  ${shown}${keys.length > 12 ? `\n  … and ${keys.length - 12} more` : ''}`,
    });
  }
  const missing = metrics.filter((m) => !points.some((p) => p.metric === m.id));
  if (options.metrics !== undefined && missing.length > 0) {
    warnings.push(
      `no selected run provides ${missing.map((m) => m.id).join(', ')} (unavailable in every cell, e.g. ITL without complete evidence)`,
    );
  }
  // a stable sort: within a cell key the points keep the runs' order
  points.sort((a, b) => compareKeys(keys.get(a.cellKey)!, keys.get(b.cellKey)!));
  return { points, warnings };
}
