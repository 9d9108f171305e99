// The layer-wise breakdown of a Chrome trace (ferrum-behaviour §11, made exact): complete events
// grouped by layer (tid) and by category through the exact alias map, with totals and shares.
// Categories outside the map count as `other` and are listed by their raw name.

import {
  type CategoryTotals,
  sumCategoryTotals,
  TRACE_CATEGORIES,
  type TraceCategory,
  zeroCategoryTotals,
} from './category-map.js';
import { collectSpans, type SkippedEvents, type SpanFilter, type SpanSet } from './trace-spans.js';

export interface LayerRow {
  /** the event's tid, by ferrum's convention the layer index (0 also holds top-level spans) */
  readonly tid: number;
  readonly totalUs: number;
  /** share of the whole trace, 0..1 */
  readonly share: number;
  /** µs per category (every category present, 0 when absent) */
  readonly byCategoryUs: Readonly<CategoryTotals>;
}

export interface UnknownCategory {
  /** the raw category as written in the trace */
  readonly raw: string;
  readonly events: number;
  readonly us: number;
}

export interface LayerBreakdown {
  /** categories with non-zero time, in stacking order */
  readonly categories: readonly TraceCategory[];
  readonly totalsUs: Readonly<CategoryTotals>;
  /** share of each category in the whole trace, 0..1 */
  readonly shares: Readonly<CategoryTotals>;
  readonly totalUs: number;
  /** one row per tid, sorted by tid */
  readonly layers: readonly LayerRow[];
  /** raw categories that are not in the map (counted as other) */
  readonly unknownCategories: readonly UnknownCategory[];
  /** complete events used */
  readonly events: number;
  /** elements skipped, by reason */
  readonly skipped: SkippedEvents;
}

export type BreakdownOptions = SpanFilter;

/**
 * Builds the breakdown from the raw event array (see collectSpans for which events count). The
 * category is `cat`, or the event `name` when `cat` is missing or empty.
 */
export function layerBreakdown(events: readonly unknown[], options: BreakdownOptions = {}): LayerBreakdown {
  return breakdownOfSpans(collectSpans(events, options));
}

/** The breakdown of already collected spans (all of a trace's, or a subset such as its iterations). */
export function breakdownOfSpans(set: SpanSet): LayerBreakdown {
  const totals = zeroCategoryTotals();
  const perLayer = new Map<number, CategoryTotals>();
  const unknown = new Map<string, { events: number; us: number }>();
  for (const span of set.spans) {
    if (!span.known) {
      const u = unknown.get(span.rawCategory) ?? { events: 0, us: 0 };
      u.events++;
      u.us += span.durUs;
      unknown.set(span.rawCategory, u);
    }
    let row = perLayer.get(span.tid);
    if (!row) {
      row = zeroCategoryTotals();
      perLayer.set(span.tid, row);
    }
    row[span.category] += span.durUs;
    totals[span.category] += span.durUs;
  }
  const totalUs = sumCategoryTotals(totals);
  const share = (us: number): number => (totalUs > 0 ? us / totalUs : 0);
  const layers = [...perLayer.entries()]
    .sort(([a], [b]) => a - b)
    .map(([tid, byCategoryUs]) => {
      const rowTotal = sumCategoryTotals(byCategoryUs);
      return { tid, totalUs: rowTotal, share: share(rowTotal), byCategoryUs };
    });
  return {
    categories: TRACE_CATEGORIES.filter((c) => totals[c] > 0),
    totalsUs: totals,
    shares: Object.fromEntries(TRACE_CATEGORIES.map((c) => [c, share(totals[c])])) as CategoryTotals,
    totalUs,
    layers,
    unknownCategories: [...unknown.entries()]
      .map(([raw, u]) => ({ raw, events: u.events, us: u.us }))
      .sort((a, b) => b.us - a.us || a.raw.localeCompare(b.raw)),
    events: set.spans.length,
    skipped: set.skipped,
  };
}
