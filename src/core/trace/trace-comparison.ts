// Two traces side by side: per category and per layer, B against A, either as totals or each
// normalised by its own iteration count (so a 100-step trace compares fairly with a 200-step one).

import { GoodputError } from '../errors.js';
import { type CategoryTotals, TRACE_CATEGORIES, type TraceCategory } from './category-map.js';
import type { LayerBreakdown } from './layer-breakdown.js';

export interface ComparisonSide {
  readonly label: string;
  readonly breakdown: LayerBreakdown;
  /** the trace's iteration count; given for both sides, every time is divided by it */
  readonly iterations?: number;
}

export type Normalisation =
  | { readonly kind: 'total' }
  | { readonly kind: 'per-iteration'; readonly iterationsA: number; readonly iterationsB: number };

/** One quantity in A and in B, after normalisation, in µs. */
export interface Delta {
  readonly aUs: number;
  readonly bUs: number;
  /** bUs − aUs */
  readonly deltaUs: number;
  /** bUs / aUs; null when aUs is 0 */
  readonly ratio: number | null;
}

export interface CategoryDelta extends Delta {
  readonly category: TraceCategory;
  /** the category's share of its trace's total, 0..1 */
  readonly shareA: number;
  readonly shareB: number;
}

export interface LayerDelta {
  readonly tid: number;
  /** null when the layer is not in that trace */
  readonly a: Readonly<CategoryTotals> | null;
  readonly b: Readonly<CategoryTotals> | null;
  /** the layer's totals; null unless the layer is in both traces */
  readonly delta: Delta | null;
}

export interface TraceComparison {
  readonly labelA: string;
  readonly labelB: string;
  readonly normalisation: Normalisation;
  /** categories with time in A or B, in stacking order */
  readonly categories: readonly TraceCategory[];
  readonly byCategory: readonly CategoryDelta[];
  readonly total: Delta;
  /** every tid of A or B, sorted */
  readonly layers: readonly LayerDelta[];
  /** the layers in both traces with the largest |delta|, largest first (ties by tid) */
  readonly topLayerChanges: readonly LayerDelta[];
  readonly layerCount: { readonly a: number; readonly b: number };
  /** true when both traces have the same set of tids */
  readonly sameLayers: boolean;
}

export interface ComparisonOptions {
  /** how many layers topLayerChanges keeps (default 10) */
  readonly topLayers?: number;
}

function delta(aUs: number, bUs: number): Delta {
  return { aUs, bUs, deltaUs: bUs - aUs, ratio: aUs === 0 ? null : bUs / aUs };
}

function scaled(totals: Readonly<CategoryTotals>, divisor: number): CategoryTotals {
  return Object.fromEntries(TRACE_CATEGORIES.map((c) => [c, totals[c] / divisor])) as CategoryTotals;
}

function normalisationOf(a: ComparisonSide, b: ComparisonSide): Normalisation {
  if (a.iterations === undefined && b.iterations === undefined) return { kind: 'total' };
  if (a.iterations === undefined || b.iterations === undefined || a.iterations < 1 || b.iterations < 1) {
    throw new GoodputError(
      'INTERNAL',
      `per-iteration comparison needs an iteration count ≥ 1 on both sides (A: ${a.iterations}, B: ${b.iterations})`,
    );
  }
  return { kind: 'per-iteration', iterationsA: a.iterations, iterationsB: b.iterations };
}

/**
 * Compares B with A. With an iteration count on both sides, every time (category, layer, total)
 * is divided by its own trace's count, otherwise totals are compared as they are. Shares do not
 * depend on the normalisation. Layers are matched by tid; a tid in one trace only has no delta.
 */
export function compareTraces(
  a: ComparisonSide,
  b: ComparisonSide,
  options: ComparisonOptions = {},
): TraceComparison {
  const normalisation = normalisationOf(a, b);
  const [divA, divB] =
    normalisation.kind === 'per-iteration' ? [normalisation.iterationsA, normalisation.iterationsB] : [1, 1];
  const totalsA = scaled(a.breakdown.totalsUs, divA);
  const totalsB = scaled(b.breakdown.totalsUs, divB);
  const categories = TRACE_CATEGORIES.filter((c) => totalsA[c] > 0 || totalsB[c] > 0);
  const byCategory = categories.map((category) => ({
    category,
    ...delta(totalsA[category], totalsB[category]),
    shareA: a.breakdown.shares[category],
    shareB: b.breakdown.shares[category],
  }));

  const rowsA = new Map(a.breakdown.layers.map((l) => [l.tid, l]));
  const rowsB = new Map(b.breakdown.layers.map((l) => [l.tid, l]));
  const tids = [...new Set([...rowsA.keys(), ...rowsB.keys()])].sort((x, y) => x - y);
  const layers: LayerDelta[] = tids.map((tid) => {
    const ra = rowsA.get(tid);
    const rb = rowsB.get(tid);
    return {
      tid,
      a: ra === undefined ? null : scaled(ra.byCategoryUs, divA),
      b: rb === undefined ? null : scaled(rb.byCategoryUs, divB),
      delta: ra === undefined || rb === undefined ? null : delta(ra.totalUs / divA, rb.totalUs / divB),
    };
  });
  const topLayerChanges = layers
    .filter((l) => l.delta !== null)
    .sort((x, y) => Math.abs(y.delta?.deltaUs ?? 0) - Math.abs(x.delta?.deltaUs ?? 0) || x.tid - y.tid)
    .slice(0, options.topLayers ?? 10);
  return {
    labelA: a.label,
    labelB: b.label,
    normalisation,
    categories,
    byCategory,
    total: delta(a.breakdown.totalUs / divA, b.breakdown.totalUs / divB),
    layers,
    topLayerChanges,
    layerCount: { a: rowsA.size, b: rowsB.size },
    sameLayers: rowsA.size === rowsB.size && tids.length === rowsA.size,
  };
}
