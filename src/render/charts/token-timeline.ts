// Token timeline of a few sample requests: output events received against time since the request
// was sent, one line per request. The flat start is the wait for the first token (TTFT); steps and
// plateaus in the climb are inter-token gaps and stalls. Bounded: ≤ 20 requests, ≤ 150 points each.

import type { RequestRecord } from '../../core/schema/request-record.js';
import type { CellView } from './cell-view.js';
import { type Chart, colorEncoding } from './chart.js';
import { CHART_HEIGHT_PX, CHART_WIDTH_PX } from './theme.js';

export const MAX_TIMELINE_REQUESTS = 20;
export const MAX_TIMELINE_POINTS = 150;

/**
 * Up to `count` requests with output events, spread over the range of their end-to-end times
 * (fastest, slowest and evenly in between), in a deterministic order.
 */
export function sampleRequests(records: readonly RequestRecord[], count: number): RequestRecord[] {
  const withEvents = records
    .filter((r) => r.event_ms.length > 0)
    .map((r) => ({ r, e2e: (r.event_ms[r.event_ms.length - 1] as number) - r.send_ms }))
    .sort((a, b) => a.e2e - b.e2e || (a.r.id < b.r.id ? -1 : 1));
  if (withEvents.length <= count) return withEvents.map((x) => x.r);
  const picks = new Set<number>();
  for (let i = 0; i < count; i++)
    picks.add(Math.round((i * (withEvents.length - 1)) / Math.max(1, count - 1)));
  return [...picks].map((i) => (withEvents[i] as { r: RequestRecord }).r);
}

/** (ms since send, events so far) points of one request: starts at (0, 0), ≤ maxPoints points. */
export function timelinePoints(
  record: RequestRecord,
  maxPoints = MAX_TIMELINE_POINTS,
): { ms: number; events: number }[] {
  const n = record.event_ms.length;
  const keep: number[] = [];
  if (n <= maxPoints - 1) for (let j = 0; j < n; j++) keep.push(j);
  else {
    const m = maxPoints - 1;
    for (let i = 0; i < m; i++) keep.push(Math.round((i * (n - 1)) / (m - 1)));
  }
  const pts = [{ ms: 0, events: 0 }];
  let last = -1;
  for (const j of keep) {
    if (j === last) continue;
    last = j;
    pts.push({ ms: (record.event_ms[j] as number) - record.send_ms, events: j + 1 });
  }
  return pts;
}

export function tokenTimelineChart(views: readonly CellView[]): Chart {
  const name = 'token-timeline';
  const title = 'Token timeline of sample requests';
  const caption = `Output events received against time since the request was sent, for up to ${MAX_TIMELINE_REQUESTS} requests spread from the fastest to the slowest of each cell. The flat start is the wait for the first token; plateaus are stalls between tokens.`;
  const withRecords = views.filter((v) => v.requests.some((r) => r.event_ms.length > 0));
  if (withRecords.length === 0) {
    return {
      name,
      title,
      caption,
      unavailable:
        'Needs per-request records (requests.jsonl of a goodput run); the reports alone carry no event times.',
    };
  }
  const perCell = Math.max(1, Math.floor(MAX_TIMELINE_REQUESTS / withRecords.length));
  const rows: { cell: string; request: string; ms: number; events: number }[] = [];
  let taken = 0;
  const drawn: CellView[] = [];
  for (const v of withRecords) {
    if (taken >= MAX_TIMELINE_REQUESTS) break;
    const sample = sampleRequests(v.requests, Math.min(perCell, MAX_TIMELINE_REQUESTS - taken));
    taken += sample.length;
    drawn.push(v);
    for (const r of sample)
      for (const p of timelinePoints(r)) rows.push({ cell: v.label, request: `${v.label} ${r.id}`, ...p });
  }
  const color = colorEncoding('cell', drawn);
  return {
    name,
    title,
    caption,
    seriesMarks: taken,
    spec: {
      width: CHART_WIDTH_PX,
      height: CHART_HEIGHT_PX,
      data: { values: rows },
      name: 'series',
      mark: { type: 'line', interpolate: 'step-after', strokeWidth: 1.5, opacity: 0.85 },
      encoding: {
        x: { field: 'ms', type: 'quantitative', title: 'time since send (ms)' },
        y: { field: 'events', type: 'quantitative', title: 'output events received' },
        color,
        detail: { field: 'request', type: 'nominal' },
      },
    },
  };
}
