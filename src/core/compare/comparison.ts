// Two sets of cells → the Comparison: joined cells, per metric both values ± CI, ratio B/A, Welch's
// test and the seed's overlap rule, a direction-aware verdict, comparability differences field by
// field, unjoined cells, and the parity table. The data type every renderer (markdown, JSON, HTML) reads.

import { type ComparabilityDifference, diffComparability } from '../env/comparability.js';
import type { BenchReport } from '../schema/bench-report.js';
import { type CellKey, cellKeyOf, cellLabel, modelTag } from './cell-key.js';
import { type JoinedPair, joinCells, type SourcedCell } from './join.js';
import { COMPARED_METRICS, type Direction } from './metric-catalog.js';
import { type MetricSample, metricSample } from './metric-sample.js';
import { type ParityTable, parityTable } from './parity.js';
import { type Assessment, assess, type Verdict } from './significance.js';

export interface CompareSide {
  readonly label: string;
  readonly cells: readonly SourcedCell[];
}

export interface MetricComparison extends Assessment {
  readonly metric: string;
  readonly label: string;
  readonly unit: string;
  readonly direction: Direction;
  readonly a: MetricSample;
  readonly b: MetricSample;
}

export interface CellComparison {
  readonly key: CellKey;
  readonly label: string;
  readonly sourceA: string;
  readonly sourceB: string;
  /** the engine each side ran: the model's `#tag`, else the server's identity, else null */
  readonly engineA: string | null;
  readonly engineB: string | null;
  readonly nRepeatsA: number;
  readonly nRepeatsB: number;
  readonly metrics: MetricComparison[];
  readonly comparability: ComparabilityDifference[];
  readonly warnings: string[];
}

export interface UnjoinedCell {
  readonly label: string;
  readonly source: string;
}

export type VerdictCounts = Record<Verdict, number>;

export interface Comparison {
  readonly labelA: string;
  readonly labelB: string;
  /** two-sided significance level of Welch's test */
  readonly alpha: number;
  readonly cells: CellComparison[];
  readonly onlyA: UnjoinedCell[];
  readonly onlyB: UnjoinedCell[];
  readonly warnings: string[];
  /** true when some joined pair ran different engines (tags or server identities differ) */
  readonly crossEngine: boolean;
  readonly parity: ParityTable;
  readonly verdicts: VerdictCounts;
}

export interface CompareOptions {
  /** significance level; default 0.05 */
  readonly alpha?: number;
}

/** The engine a report ran against, as far as the report says. */
export function engineOf(report: BenchReport): string | null {
  const tag = modelTag(report.model);
  if (tag !== null && tag !== '') return tag;
  const server = report.goodput?.server;
  return server?.server_header ?? server?.version ?? null;
}

function compareCell(pair: JoinedPair, alpha: number): CellComparison {
  const ra = pair.a.report;
  const rb = pair.b.report;
  const metrics = COMPARED_METRICS.map((m): MetricComparison => {
    const a = metricSample(ra, m);
    const b = metricSample(rb, m);
    return {
      metric: m.id,
      label: m.label,
      unit: m.unit,
      direction: m.direction,
      a,
      b,
      ...assess(a, b, m.direction, alpha),
    };
  });
  const warnings = [...pair.warnings];
  if (ra.n_repeats < 3 || rb.n_repeats < 3) {
    warnings.push(
      `fewer than 3 repeats (A ${ra.n_repeats}, B ${rb.n_repeats}): no difference in this cell is assessable`,
    );
  }
  const comparability = diffComparability(ra, rb);
  // ferrum's env_hash mixes provenance (commit, observed clock) into the hash; the comparability key does not.
  if (ra.env_hash !== rb.env_hash && comparability.length === 0) {
    warnings.push(
      'env_hash differs only in provenance (commit, runtime, observed GPU clock): the cells are comparable',
    );
  }
  return {
    key: pair.key,
    label: cellLabel(pair.key),
    sourceA: pair.a.source,
    sourceB: pair.b.source,
    engineA: engineOf(ra),
    engineB: engineOf(rb),
    nRepeatsA: ra.n_repeats,
    nRepeatsB: rb.n_repeats,
    metrics,
    comparability,
    warnings,
  };
}

/** Compares side B against side A (ratios are B/A; "worse" means B is worse than A). */
export function compareRuns(
  sideA: CompareSide,
  sideB: CompareSide,
  options: CompareOptions = {},
): Comparison {
  const alpha = options.alpha ?? 0.05;
  const joined = joinCells(sideA.cells, sideB.cells);
  const cells = joined.pairs.map((p) => compareCell(p, alpha));
  const unjoined = (c: SourcedCell): UnjoinedCell => ({
    label: cellLabel(cellKeyOf(c.report)),
    source: c.source,
  });
  const verdicts: VerdictCounts = { better: 0, worse: 0, no_significant_change: 0, not_assessable: 0 };
  for (const cell of cells) for (const m of cell.metrics) verdicts[m.verdict]++;
  const crossEngine = cells.some((c) => c.engineA !== null && c.engineB !== null && c.engineA !== c.engineB);
  return {
    labelA: sideA.label,
    labelB: sideB.label,
    alpha,
    cells,
    onlyA: joined.onlyA.map(unjoined),
    onlyB: joined.onlyB.map(unjoined),
    warnings: joined.warnings,
    crossEngine,
    parity: parityTable(
      sideA.label,
      sideA.cells.map((c) => c.report),
      sideB.label,
      sideB.cells.map((c) => c.report),
    ),
    verdicts,
  };
}
