// The two phases of an iteration split: the first iteration (a prefill, on an LLM trace) and the
// rest (the decode steps), each summarised by count, mean, p50 and p95 of the per-iteration totals
// by category, because hundreds of iterations do not read as a table.

import { mean } from '../stats/moments.js';
import { percentiles } from '../stats/percentile.js';
import { TRACE_CATEGORIES, type TraceCategory } from './category-map.js';
import type { IterationSplit, IterationTotals } from './iteration-split.js';

/** Statistics of one quantity over the iterations of a phase, in µs. */
export interface PhaseStats {
  readonly meanUs: number;
  readonly p50Us: number;
  readonly p95Us: number;
}

export interface IterationPhase {
  readonly phase: 'first' | 'rest';
  /** iterations in the phase (the first: 1) */
  readonly iterations: number;
  /** the per-iteration total over every category */
  readonly total: PhaseStats;
  /** per category (every category present; 0 for one the phase never had) */
  readonly byCategory: Readonly<Record<TraceCategory, PhaseStats>>;
}

function stats(values: readonly number[]): PhaseStats {
  const [p50Us, p95Us] = percentiles(values, [0.5, 0.95]) as [number, number];
  return { meanUs: mean(values), p50Us, p95Us };
}

function phase(name: IterationPhase['phase'], its: readonly IterationTotals[]): IterationPhase {
  return {
    phase: name,
    iterations: its.length,
    total: stats(its.map((i) => i.totalUs)),
    byCategory: Object.fromEntries(
      TRACE_CATEGORIES.map((c) => [c, stats(its.map((i) => i.byCategoryUs[c]))]),
    ) as Record<TraceCategory, PhaseStats>,
  };
}

/**
 * The phases of a split: `first` (iteration 0), then `rest` (iterations 1..n−1) when there is
 * more than one iteration. The pre-roll belongs to neither. Percentiles are goodput's one
 * quantile (linear interpolation), so a phase of one iteration has mean = p50 = p95.
 */
export function iterationPhases(split: IterationSplit): IterationPhase[] {
  const [first, ...rest] = split.iterations;
  if (first === undefined) return [];
  return rest.length === 0 ? [phase('first', [first])] : [phase('first', [first]), phase('rest', rest)];
}
