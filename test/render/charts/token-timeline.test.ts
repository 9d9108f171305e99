import { describe, expect, it } from 'vitest';
import type { RequestRecord } from '../../../src/core/schema/request-record.js';
import { cellViews } from '../../../src/render/charts/cell-view.js';
import {
  MAX_TIMELINE_POINTS,
  MAX_TIMELINE_REQUESTS,
  sampleRequests,
  timelinePoints,
  tokenTimelineChart,
} from '../../../src/render/charts/token-timeline.js';
import { sweepCells, syntheticRequests } from '../html/sweep-data.js';

function record(id: string, send: number, events: number[]): RequestRecord {
  return {
    id,
    cell: 'k',
    repeat: 1,
    index: 0,
    warmup: false,
    send_ms: send,
    event_ms: events,
    end_ms: events[events.length - 1] ?? send,
    input_tokens: 1,
    coalesced_reads: 0,
    done_count: 1,
    flags: [],
    source: 'sse',
  };
}

describe('sampleRequests', () => {
  it('spreads the pick from the fastest to the slowest request and skips requests without events', () => {
    const records = Array.from({ length: 50 }, (_, i) => record(`r${i}`, 0, [10, 10 + i]));
    records.push(record('empty', 0, []));
    const picked = sampleRequests(records, 5);
    expect(picked.map((r) => r.id)).toEqual(['r0', 'r12', 'r25', 'r37', 'r49']);
  });

  it('returns all requests with events when there are few', () => {
    expect(sampleRequests([record('a', 0, [1]), record('b', 0, [])], 5).map((r) => r.id)).toEqual(['a']);
  });
});

describe('timelinePoints', () => {
  it('starts at (0, 0) and counts events since the send time', () => {
    expect(timelinePoints(record('a', 100, [150, 160, 175]))).toEqual([
      { ms: 0, events: 0 },
      { ms: 50, events: 1 },
      { ms: 60, events: 2 },
      { ms: 75, events: 3 },
    ]);
  });

  it('bounds a long request to MAX_TIMELINE_POINTS and keeps its last event', () => {
    const events = Array.from({ length: 4000 }, (_, i) => 10 + i);
    const pts = timelinePoints(record('a', 0, events));
    expect(pts.length).toBeLessThanOrEqual(MAX_TIMELINE_POINTS);
    expect(pts[pts.length - 1]).toEqual({ ms: 4009, events: 4000 });
  });
});

describe('tokenTimelineChart', () => {
  it('draws at most MAX_TIMELINE_REQUESTS lines over the cells', () => {
    const cells = sweepCells();
    const chart = tokenTimelineChart(cellViews({ cells, requests: syntheticRequests(cells, 100, 16) }));
    expect(chart.seriesMarks).toBe(MAX_TIMELINE_REQUESTS);
    const rows = (chart.spec as { data: { values: { request: string }[] } }).data.values;
    expect(new Set(rows.map((r) => r.request)).size).toBe(MAX_TIMELINE_REQUESTS);
  });

  it('is unavailable without request records', () => {
    const chart = tokenTimelineChart(cellViews({ cells: sweepCells() }));
    expect(chart.unavailable).toMatch(/per-request records/);
  });
});
