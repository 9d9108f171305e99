// The layer-wise breakdown of a Chrome trace (ferrum-behaviour §11, made exact): complete events
// grouped by layer (tid) and by category through the exact alias map, with totals and shares.
// Categories outside the map count as `other` and are listed by their raw name.

import { lookupCategory, TRACE_CATEGORIES, type TraceCategory } from './category-map.js';

export interface LayerRow {
  /** the event's tid, by ferrum's convention the layer index (0 also holds top-level spans) */
  readonly tid: number;
  readonly totalUs: number;
  /** share of the whole trace, 0..1 */
  readonly share: number;
  /** µs per category (every category present, 0 when absent) */
  readonly byCategoryUs: Readonly<Record<TraceCategory, number>>;
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
  readonly totalsUs: Readonly<Record<TraceCategory, number>>;
  /** share of each category in the whole trace, 0..1 */
  readonly shares: Readonly<Record<TraceCategory, number>>;
  readonly totalUs: number;
  /** one row per tid, sorted by tid */
  readonly layers: readonly LayerRow[];
  /** raw categories that are not in the map (counted as other) */
  readonly unknownCategories: readonly UnknownCategory[];
  /** complete events used */
  readonly events: number;
  /** elements skipped, by reason */
  readonly skipped: { readonly notComplete: number; readonly badDuration: number; readonly badTid: number };
}

function zeroTotals(): Record<TraceCategory, number> {
  return Object.fromEntries(TRACE_CATEGORIES.map((c) => [c, 0])) as Record<TraceCategory, number>;
}

export interface BreakdownOptions {
  /** keep only events whose name starts with one of these prefixes (ferrum's --separate) */
  readonly namePrefixes?: readonly string[];
}

/**
 * Builds the breakdown from the raw event array. Only complete events (`ph` "X") with a finite
 * non-negative numeric `dur` count. The category is `cat`, or the event `name` when `cat` is
 * missing or empty. `tid` must be an integer (or a string holding one).
 */
export function layerBreakdown(events: readonly unknown[], options: BreakdownOptions = {}): LayerBreakdown {
  const totals = zeroTotals();
  const perLayer = new Map<number, Record<TraceCategory, number>>();
  const unknown = new Map<string, { events: number; us: number }>();
  const skipped = { notComplete: 0, badDuration: 0, badTid: 0 };
  let used = 0;
  for (const raw of events) {
    if (typeof raw !== 'object' || raw === null || (raw as { ph?: unknown }).ph !== 'X') {
      skipped.notComplete++;
      continue;
    }
    const e = raw as { name?: unknown; cat?: unknown; dur?: unknown; tid?: unknown };
    const name = typeof e.name === 'string' ? e.name : '';
    if (options.namePrefixes && !options.namePrefixes.some((p) => name.startsWith(p))) continue;
    if (typeof e.dur !== 'number' || !Number.isFinite(e.dur) || e.dur < 0) {
      skipped.badDuration++;
      continue;
    }
    const tid = typeof e.tid === 'string' && /^-?\d+$/.test(e.tid.trim()) ? Number(e.tid) : e.tid;
    if (typeof tid !== 'number' || !Number.isInteger(tid)) {
      skipped.badTid++;
      continue;
    }
    const rawCat = typeof e.cat === 'string' && e.cat.trim() !== '' ? e.cat : name;
    let category = lookupCategory(rawCat);
    if (category === undefined) {
      category = 'other';
      const u = unknown.get(rawCat) ?? { events: 0, us: 0 };
      u.events++;
      u.us += e.dur;
      unknown.set(rawCat, u);
    }
    let row = perLayer.get(tid);
    if (!row) {
      row = zeroTotals();
      perLayer.set(tid, row);
    }
    row[category] += e.dur;
    totals[category] += e.dur;
    used++;
  }
  const totalUs = TRACE_CATEGORIES.reduce((s, c) => s + totals[c], 0);
  const share = (us: number): number => (totalUs > 0 ? us / totalUs : 0);
  const layers = [...perLayer.entries()]
    .sort(([a], [b]) => a - b)
    .map(([tid, byCategoryUs]) => {
      const rowTotal = TRACE_CATEGORIES.reduce((s, c) => s + byCategoryUs[c], 0);
      return { tid, totalUs: rowTotal, share: share(rowTotal), byCategoryUs };
    });
  return {
    categories: TRACE_CATEGORIES.filter((c) => totals[c] > 0),
    totalsUs: totals,
    shares: Object.fromEntries(TRACE_CATEGORIES.map((c) => [c, share(totals[c])])) as Record<
      TraceCategory,
      number
    >,
    totalUs,
    layers,
    unknownCategories: [...unknown.entries()]
      .map(([raw, u]) => ({ raw, events: u.events, us: u.us }))
      .sort((a, b) => b.us - a.us || a.raw.localeCompare(b.raw)),
    events: used,
    skipped,
  };
}
