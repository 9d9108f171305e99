// Joins two sets of cells on the explicit cell key (cell-key.ts). Nothing is dropped silently:
// cells without a partner are returned as unjoined, duplicate keys within one side are reported
// (the last one wins, as in compare_bench.py, but with a warning), and a cell whose dataset is
// unrecorded (every ferrum report) joins a partner with the same shape only when that is unambiguous.

import type { BenchReport } from '../schema/bench-report.js';
import { type CellKey, cellKeyOf, cellKeyString, cellLabel, shapeKeyString } from './cell-key.js';

export interface SourcedCell {
  readonly report: BenchReport;
  /** where it came from: file path, `dir/cells.jsonl`, `run:3` … */
  readonly source: string;
}

export interface JoinedPair {
  readonly key: CellKey;
  readonly a: SourcedCell;
  readonly b: SourcedCell;
  readonly warnings: string[];
}

export interface JoinResult {
  readonly pairs: JoinedPair[];
  readonly onlyA: SourcedCell[];
  readonly onlyB: SourcedCell[];
  readonly warnings: string[];
}

function dedupe(
  cells: readonly SourcedCell[],
  side: 'A' | 'B',
  warnings: string[],
): Map<string, SourcedCell> {
  const byKey = new Map<string, SourcedCell>();
  for (const cell of cells) {
    const key = cellKeyString(cellKeyOf(cell.report));
    const previous = byKey.get(key);
    if (previous !== undefined) {
      warnings.push(
        `side ${side} has two cells for ${cellLabel(cellKeyOf(cell.report))} (${previous.source} and ${cell.source}); using the later one, ${cell.source}`,
      );
      byKey.delete(key);
    }
    byKey.set(key, cell);
  }
  return byKey;
}

/** Numeric-aware order: model, scenario, concurrency, rate, lengths, dataset. */
export function compareKeys(x: CellKey, y: CellKey): number {
  return (
    x.model.localeCompare(y.model) ||
    x.scenario.localeCompare(y.scenario) ||
    (x.concurrency ?? -1) - (y.concurrency ?? -1) ||
    (x.requestRate ?? -1) - (y.requestRate ?? -1) ||
    x.nPrompt - y.nPrompt ||
    x.nGen - y.nGen ||
    (x.dataset ?? '').localeCompare(y.dataset ?? '')
  );
}

export function joinCells(sideA: readonly SourcedCell[], sideB: readonly SourcedCell[]): JoinResult {
  const warnings: string[] = [];
  const a = dedupe(sideA, 'A', warnings);
  const b = dedupe(sideB, 'B', warnings);
  const pairs: JoinedPair[] = [];

  for (const [key, cellA] of a) {
    const cellB = b.get(key);
    if (cellB === undefined) continue;
    pairs.push({ key: cellKeyOf(cellA.report), a: cellA, b: cellB, warnings: [] });
    a.delete(key);
    b.delete(key);
  }

  // Second stage: same shape, dataset unrecorded on exactly one side, one candidate on each side.
  const byShape = (m: Map<string, SourcedCell>) => {
    const shapes = new Map<string, SourcedCell[]>();
    for (const cell of m.values()) {
      const shape = shapeKeyString(cellKeyOf(cell.report));
      shapes.set(shape, [...(shapes.get(shape) ?? []), cell]);
    }
    return shapes;
  };
  const shapesB = byShape(b);
  for (const [shape, cellsA] of byShape(a)) {
    const cellsB = shapesB.get(shape) ?? [];
    if (cellsA.length !== 1 || cellsB.length !== 1) continue;
    const [cellA, cellB] = [cellsA[0]!, cellsB[0]!];
    const [keyA, keyB] = [cellKeyOf(cellA.report), cellKeyOf(cellB.report)];
    if (keyA.dataset !== null && keyB.dataset !== null) continue;
    const recorded = keyA.dataset ?? keyB.dataset;
    pairs.push({
      key: { ...keyA, dataset: recorded },
      a: cellA,
      b: cellB,
      warnings: [
        `dataset recorded only on side ${keyA.dataset === null ? 'B' : 'A'} (${recorded}); joined on the rest of the key`,
      ],
    });
    a.delete(cellKeyString(keyA));
    b.delete(cellKeyString(keyB));
  }

  pairs.sort((x, y) => compareKeys(x.key, y.key));
  const sorted = (m: Map<string, SourcedCell>) =>
    [...m.values()].sort((x, y) => compareKeys(cellKeyOf(x.report), cellKeyOf(y.report)));
  return { pairs, onlyA: sorted(a), onlyB: sorted(b), warnings };
}
