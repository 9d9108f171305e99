// The usable spans of a Chrome trace: its complete ("X") events with a valid duration and an integer
// tid, each with its category resolved through the exact alias map. Every trace view (the layer
// breakdown, the iteration split, the comparison) starts from this one list.

import { lookupCategory, type TraceCategory } from './category-map.js';

export interface TraceSpan {
  readonly name: string;
  /** by ferrum's convention the layer index (0 also holds top-level spans) */
  readonly tid: number;
  /** start in µs, or undefined when the event has no finite numeric `ts` */
  readonly tsUs: number | undefined;
  readonly durUs: number;
  /** the breakdown category; `other` for a raw category outside the map */
  readonly category: TraceCategory;
  /** the category as written (`cat`, or the name when `cat` is missing or empty) */
  readonly rawCategory: string;
  /** false when rawCategory is not in the map (then category is `other`) */
  readonly known: boolean;
}

/** Elements of the event array that are not usable spans, by reason. */
export interface SkippedEvents {
  readonly notComplete: number;
  readonly badDuration: number;
  readonly badTid: number;
}

export interface SpanSet {
  /** in file order */
  readonly spans: readonly TraceSpan[];
  readonly skipped: SkippedEvents;
}

export interface SpanFilter {
  /** keep only events whose name starts with one of these prefixes (ferrum's --separate) */
  readonly namePrefixes?: readonly string[];
}

/**
 * The usable spans of a raw event array. Only complete events (`ph` "X") with a finite
 * non-negative numeric `dur` count; `tid` must be an integer (or a string holding one). Events
 * filtered out by `namePrefixes` are neither spans nor skipped.
 */
export function collectSpans(events: readonly unknown[], filter: SpanFilter = {}): SpanSet {
  const spans: TraceSpan[] = [];
  const skipped = { notComplete: 0, badDuration: 0, badTid: 0 };
  for (const raw of events) {
    if (typeof raw !== 'object' || raw === null || (raw as { ph?: unknown }).ph !== 'X') {
      skipped.notComplete++;
      continue;
    }
    const e = raw as { name?: unknown; cat?: unknown; ts?: unknown; dur?: unknown; tid?: unknown };
    const name = typeof e.name === 'string' ? e.name : '';
    if (filter.namePrefixes && !filter.namePrefixes.some((p) => name.startsWith(p))) continue;
    if (typeof e.dur !== 'number' || !Number.isFinite(e.dur) || e.dur < 0) {
      skipped.badDuration++;
      continue;
    }
    const tid = typeof e.tid === 'string' && /^-?\d+$/.test(e.tid.trim()) ? Number(e.tid) : e.tid;
    if (typeof tid !== 'number' || !Number.isInteger(tid)) {
      skipped.badTid++;
      continue;
    }
    const rawCategory = typeof e.cat === 'string' && e.cat.trim() !== '' ? e.cat : name;
    const category = lookupCategory(rawCategory);
    spans.push({
      name,
      tid,
      tsUs: typeof e.ts === 'number' && Number.isFinite(e.ts) ? e.ts : undefined,
      durUs: e.dur,
      category: category ?? 'other',
      rawCategory,
      known: category !== undefined,
    });
  }
  return { spans, skipped };
}
