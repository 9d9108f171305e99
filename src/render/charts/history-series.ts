// History of a cell key across runs (SPEC §6 last bullet): the input points (one metric of one cell
// in one run, as the ledger provides them), grouped into series in commit or time order, with each
// step between consecutive runs tested for a significant change by the comparison's own rule.

import { metricById } from '../../core/compare/metric-catalog.js';
import type { MetricSample } from '../../core/compare/metric-sample.js';
import { assess, type Verdict } from '../../core/compare/significance.js';
import { studentTQuantile } from '../../core/stats/student-t.js';

/** One metric of one cell in one run. */
export interface HistoryPoint {
  runId: string;
  commit?: string;
  /** ISO 8601 wall-clock start of the run */
  startedAt: string;
  /** the cell key the ledger joins cells on */
  cellKey: string;
  /** a compared-metric id (`ttft_p50`, `output_throughput`, … see core/compare/metric-catalog) or any other name */
  metric: string;
  /** mean over repeats */
  mean: number;
  /** 95 % CI half-width of the mean (0 when unknown or below 3 repeats) */
  ci95_hw: number;
  /** repeats that contributed */
  n: number;
  /** sample stddev over repeats, when known; otherwise derived from ci95_hw and n */
  stddev?: number;
}

export type StepVerdict = Exclude<Verdict, 'not_assessable' | 'no_significant_change'> | 'changed';

export interface HistoryStep {
  point: HistoryPoint;
  /** x label: the short commit, else the start date, made unique within the series */
  label: string;
  /** the verdict of this run against the previous one, when the change is significant */
  change?: { verdict: StepVerdict; pValue: number; changePct: number | null; previous: HistoryPoint };
}

export interface HistorySeries {
  cellKey: string;
  metric: string;
  /** display name: the catalog label (`TTFT p50`) or the metric id */
  metricLabel: string;
  unit: string;
  steps: HistoryStep[];
}

export interface HistoryOptions {
  /** `time` sorts runs by startedAt; `given` keeps the input order (e.g. the ledger's commit order) */
  order?: 'time' | 'given';
  /** two-sided significance level of the step test (default 0.05) */
  alpha?: number;
}

/** The sample stddev of a point: stated, or back from the CI half-width with the exact t quantile. */
function stddevOf(p: HistoryPoint): number {
  if (p.stddev !== undefined) return p.stddev;
  if (p.n < 2 || p.ci95_hw <= 0) return 0;
  return (p.ci95_hw * Math.sqrt(p.n)) / studentTQuantile(0.975, p.n - 1);
}

function sample(p: HistoryPoint): MetricSample {
  // `source` does not enter the test; these values come from the ledger's locked aggregates
  return { mean: p.mean, stddev: stddevOf(p), n: p.n, ci95Hw: p.ci95_hw, source: 'locked' };
}

function runLabel(p: HistoryPoint): string {
  return p.commit ? p.commit.slice(0, 8) : p.startedAt.slice(0, 16).replace('T', ' ');
}

/** Groups points into series (cell key, then metric, in first-appearance order) and marks significant steps. */
export function historySeries(
  points: readonly HistoryPoint[],
  options: HistoryOptions = {},
): HistorySeries[] {
  const alpha = options.alpha ?? 0.05;
  const groups = new Map<string, HistoryPoint[]>();
  for (const p of points) {
    const key = JSON.stringify([p.cellKey, p.metric]);
    const list = groups.get(key);
    if (list) list.push(p);
    else groups.set(key, [p]);
  }
  const out: HistorySeries[] = [];
  for (const list of groups.values()) {
    const ordered =
      options.order === 'given'
        ? list
        : [...list].sort((a, b) =>
            a.startedAt < b.startedAt ? -1 : a.startedAt > b.startedAt ? 1 : a.runId < b.runId ? -1 : 1,
          );
    const first = ordered[0] as HistoryPoint;
    const def = metricById(first.metric);
    const seen = new Map<string, number>();
    const steps = ordered.map((point, i): HistoryStep => {
      const base = runLabel(point);
      const count = (seen.get(base) ?? 0) + 1;
      seen.set(base, count);
      const step: HistoryStep = { point, label: count > 1 ? `${base} (${count})` : base };
      const previous = ordered[i - 1];
      if (previous === undefined) return step;
      const a = assess(sample(previous), sample(point), def?.direction ?? 'lower_is_better', alpha);
      if ((a.verdict === 'better' || a.verdict === 'worse') && a.welch) {
        step.change = {
          verdict: def ? a.verdict : 'changed',
          pValue: a.welch.pValue,
          changePct: a.changePct,
          previous,
        };
      }
      return step;
    });
    out.push({
      cellKey: first.cellKey,
      metric: first.metric,
      metricLabel: def?.label ?? first.metric,
      unit: def?.unit ?? '',
      steps,
    });
  }
  return out;
}
