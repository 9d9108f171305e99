// One trace as the trace tools read it: its usable spans, the layer breakdown and, on request, the
// iteration split with its phases. Fails with a GoodputError naming the trace when nothing is usable.

import { GoodputError } from '../errors.js';
import { type IterationPhase, iterationPhases } from './iteration-phases.js';
import { type IterationSplit, splitIterations } from './iteration-split.js';
import { breakdownOfSpans, type LayerBreakdown } from './layer-breakdown.js';
import type { ComparisonSide } from './trace-comparison.js';
import { collectSpans } from './trace-spans.js';

export interface TraceAnalysisOptions {
  /** names the trace in errors (its path) */
  readonly source: string;
  /** keep only spans whose name starts with one of these */
  readonly namePrefixes?: readonly string[];
  /** split into iterations (see splitIterations) */
  readonly perIteration?: boolean;
  /** the iteration marker's span name; implies perIteration */
  readonly marker?: string;
}

export interface TraceAnalysis {
  readonly breakdown: LayerBreakdown;
  /** present when the analysis was asked per iteration */
  readonly iterations?: { readonly split: IterationSplit; readonly phases: readonly IterationPhase[] };
}

/** Analyses the raw event array of a trace; throws when no complete event with a duration is left. */
export function analyseTrace(events: readonly unknown[], options: TraceAnalysisOptions): TraceAnalysis {
  const prefixes = options.namePrefixes ?? [];
  const spans = collectSpans(events, prefixes.length > 0 ? { namePrefixes: prefixes } : {});
  if (spans.spans.length === 0) {
    throw new GoodputError(
      'INPUT_SCHEMA',
      `${options.source}: no complete ("ph":"X") events with a duration${prefixes.length > 0 ? ` and a name starting with ${prefixes.join(' or ')}` : ''}`,
      { hint: 'the layer-wise breakdown needs complete events with name, cat, dur and tid' },
    );
  }
  const breakdown = breakdownOfSpans(spans);
  if (options.perIteration !== true && options.marker === undefined) return { breakdown };
  const split = splitIterations(spans, {
    source: options.source,
    ...(options.marker === undefined ? {} : { marker: options.marker }),
  });
  return { breakdown, iterations: { split, phases: iterationPhases(split) } };
}

/**
 * The analysis as one side of a comparison: per iteration when it was split (the time inside
 * iterations, the pre-roll left out, to be divided by the iteration count), else the whole trace.
 */
export function comparisonSide(analysis: TraceAnalysis, label: string): ComparisonSide {
  const it = analysis.iterations;
  return it === undefined
    ? { label, breakdown: analysis.breakdown }
    : { label, breakdown: it.split.inIterations, iterations: it.split.iterations.length };
}
