// Splits a trace's spans into iterations (one forward pass through the layers) by a marker span,
// and totals each iteration by category. The rule is documented on splitIterations; spans before
// the first marker are kept as the pre-roll ("-"), never dropped silently.

import { GoodputError } from '../errors.js';
import {
  type CategoryTotals,
  sumCategoryTotals,
  TRACE_CATEGORIES,
  type TraceCategory,
  zeroCategoryTotals,
} from './category-map.js';
import { breakdownOfSpans, type LayerBreakdown } from './layer-breakdown.js';
import type { SpanSet, TraceSpan } from './trace-spans.js';

/** The spans that open an iteration: every span named `name` on layer `tid`. */
export interface IterationMarker {
  readonly tid: number;
  readonly name: string;
  /** `default`: the first span name on the lowest tid; `option`: the name was given */
  readonly rule: 'default' | 'option';
}

export interface IterationTotals {
  /** 0-based iteration index, or null for the pre-roll */
  readonly index: number | null;
  /** the index as text, "-" for the pre-roll */
  readonly label: string;
  /** the marker's ts (the pre-roll: its earliest span's ts), µs */
  readonly startUs: number;
  /** the next marker's ts; for the last iteration the latest span end inside it, µs */
  readonly endUs: number;
  readonly spans: number;
  readonly totalUs: number;
  readonly byCategoryUs: Readonly<CategoryTotals>;
}

export interface IterationSplit {
  readonly marker: IterationMarker;
  readonly iterations: readonly IterationTotals[];
  /** spans that start before the first marker, or undefined when there are none */
  readonly preRoll: IterationTotals | undefined;
  /** categories with non-zero time in any iteration or the pre-roll, in stacking order */
  readonly categories: readonly TraceCategory[];
  /** spans without a numeric ts: they cannot be placed in time and are counted here */
  readonly withoutTs: number;
  /** the layer breakdown of the spans inside iterations (pre-roll and spans without ts left out) */
  readonly inIterations: LayerBreakdown;
}

export interface SplitOptions {
  /** overrides the marker span name (the CLI's --iteration-marker) */
  readonly marker?: string;
  /** names the trace in errors */
  readonly source: string;
}

type Timed = TraceSpan & { readonly tsUs: number };

/** The last index i with starts[i] <= ts, or -1 (starts ascending). */
function iterationOf(starts: readonly number[], ts: number): number {
  let lo = 0;
  let hi = starts.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((starts[mid] as number) <= ts) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

function findMarker(timed: readonly Timed[], options: SplitOptions): IterationMarker {
  if (options.marker !== undefined) {
    const name = options.marker;
    let tid: number | undefined;
    for (const s of timed) if (s.name === name && (tid === undefined || s.tid < tid)) tid = s.tid;
    if (tid === undefined) {
      const names = [...new Set(timed.map((s) => s.name))].sort();
      throw new GoodputError(
        'USAGE',
        `--iteration-marker ${JSON.stringify(name)}: no span of ${options.source} has that name`,
        {
          hint: `span names in the trace: ${names.slice(0, 12).join(', ')}${names.length > 12 ? ', …' : ''}`,
        },
      );
    }
    return { tid, name, rule: 'option' };
  }
  let lowest = timed[0] as Timed;
  for (const s of timed) if (s.tid < lowest.tid) lowest = s;
  // the first name seen on that layer, by start time (file order breaks ties): a writer such as
  // ferrum's pushes a span when it ends, so file order alone is end order
  let first: Timed | undefined;
  for (const s of timed) if (s.tid === lowest.tid && (first === undefined || s.tsUs < first.tsUs)) first = s;
  return { tid: lowest.tid, name: (first as Timed).name, rule: 'default' };
}

/**
 * Splits the spans into iterations. The default rule: an iteration starts at each span of the
 * lowest layer (tid) whose name is the first span name seen on that layer (the earliest ts; on
 * ferrum's layer-wise trace, each `attn` on tid 0); `options.marker` overrides the name, and the
 * marker layer is then the lowest tid where a span of that name occurs. Every span whose ts lies
 * in [one marker's ts, the next marker's ts) belongs to that iteration; spans before the first
 * marker form the pre-roll. Markers with the same ts open one iteration. Throws a GoodputError
 * naming the source when no span has a numeric ts, or when the given marker name never occurs.
 */
export function splitIterations(set: SpanSet, options: SplitOptions): IterationSplit {
  const timed = set.spans.filter((s): s is Timed => s.tsUs !== undefined);
  if (timed.length === 0) {
    throw new GoodputError('INPUT_SCHEMA', `${options.source}: no span has a numeric "ts"`, {
      hint: 'the per-iteration split places spans by their start time (ts, µs)',
    });
  }
  const marker = findMarker(timed, options);
  const starts = [
    ...new Set(timed.filter((s) => s.tid === marker.tid && s.name === marker.name).map((s) => s.tsUs)),
  ].sort((a, b) => a - b);

  const totals = starts.map(() => ({ spans: 0, endUs: -Infinity, byCategoryUs: zeroCategoryTotals() }));
  const pre = { spans: 0, startUs: Infinity, byCategoryUs: zeroCategoryTotals() };
  const inIterations: TraceSpan[] = [];
  for (const s of timed) {
    const i = iterationOf(starts, s.tsUs);
    if (i < 0) {
      pre.spans++;
      pre.startUs = Math.min(pre.startUs, s.tsUs);
      pre.byCategoryUs[s.category] += s.durUs;
      continue;
    }
    const t = totals[i] as (typeof totals)[number];
    t.spans++;
    t.endUs = Math.max(t.endUs, s.tsUs + s.durUs);
    t.byCategoryUs[s.category] += s.durUs;
    inIterations.push(s);
  }
  const iterations = totals.map((t, i) => ({
    index: i,
    label: String(i),
    startUs: starts[i] as number,
    endUs: starts[i + 1] ?? t.endUs,
    spans: t.spans,
    totalUs: sumCategoryTotals(t.byCategoryUs),
    byCategoryUs: t.byCategoryUs,
  }));
  const preRoll =
    pre.spans === 0
      ? undefined
      : {
          index: null,
          label: '-',
          startUs: pre.startUs,
          endUs: starts[0] as number,
          spans: pre.spans,
          totalUs: sumCategoryTotals(pre.byCategoryUs),
          byCategoryUs: pre.byCategoryUs,
        };
  const all = preRoll === undefined ? iterations : [preRoll, ...iterations];
  return {
    marker,
    iterations,
    preRoll,
    categories: TRACE_CATEGORIES.filter((c) => all.some((it) => it.byCategoryUs[c] > 0)),
    withoutTs: set.spans.length - timed.length,
    inIterations: breakdownOfSpans({ spans: inIterations, skipped: set.skipped }),
  };
}
