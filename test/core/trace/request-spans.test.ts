import { describe, expect, it } from 'vitest';
import { type RequestRecord, RequestRecordSchema } from '../../../src/core/schema/request-record.js';
import { requestSpanEvents, TrackAssigner } from '../../../src/core/trace/request-spans.js';
import { IN_FLIGHT_COUNTER, RunCounters, TOKEN_RATE_COUNTER } from '../../../src/core/trace/run-counters.js';

function record(over: Partial<RequestRecord>): RequestRecord {
  return RequestRecordSchema.parse({
    id: '0.1.0',
    cell: 'c',
    repeat: 1,
    index: 0,
    warmup: false,
    send_ms: 10,
    event_ms: [],
    end_ms: 20,
    input_tokens: 0,
    coalesced_reads: 0,
    done_count: 1,
    flags: [],
    ...over,
  });
}

describe('requestSpanEvents', () => {
  it('nests queue, connect, waiting for the first token and decode inside the request span', () => {
    const r = record({
      scheduled_ms: 9,
      send_ms: 10,
      connected_ms: 10.5,
      event_ms: [12, 13, 14.25],
      end_ms: 15,
      status: 200,
    });
    const events = requestSpanEvents(r, 3, 0);
    expect(events.map((e) => [e.name, e.ts, e.dur, e.tid])).toEqual([
      ['request', 9000, 6000, 3],
      ['queue', 9000, 1000, 3],
      ['connect', 10000, 500, 3],
      ['wait_first_token', 10500, 1500, 3],
      ['decode', 12000, 2250, 3],
    ]);
    expect(events[0]?.args).toMatchObject({ id: '0.1.0', output_events: 3, status: 200 });
    // children end within the parent
    const parentEnd = (events[0]?.ts ?? 0) + (events[0]?.dur ?? 0);
    for (const e of events.slice(1)) expect(e.ts + e.dur).toBeLessThanOrEqual(parentEnd);
  });

  it('leaves out phases without evidence; a failed request waits until its end', () => {
    const events = requestSpanEvents(
      record({ send_ms: 1, end_ms: 2, flags: ['connect_error'], error: 'refused' }),
      1,
      1,
    );
    expect(events.map((e) => [e.name, e.ts, e.dur])).toEqual([
      ['request', 0, 1000],
      ['wait_first_token', 0, 1000],
    ]);
    expect(events[0]?.args).toMatchObject({ flags: ['connect_error'], error: 'refused' });
  });

  it('rounds both ends to µs so a child never passes its parent', () => {
    const events = requestSpanEvents(
      record({ send_ms: 0.0004, event_ms: [0.0011, 0.0019], end_ms: 0.0019 }),
      1,
      0,
    );
    const [req, ...kids] = events;
    for (const k of kids) expect(k.ts + k.dur).toBeLessThanOrEqual((req?.ts ?? 0) + (req?.dur ?? 0));
  });
});

describe('TrackAssigner', () => {
  it('puts a record with conn on its own track', () => {
    expect(new TrackAssigner('worker').assign(record({ conn: 2 }))).toEqual({ tid: 3, name: 'worker 2' });
  });

  it('assigns lanes so that spans on one track never overlap, whatever the completion order', () => {
    const t = new TrackAssigner('connection');
    const spans: Array<[number, number]> = [
      [10, 20],
      [0, 30],
      [21, 25],
      [5, 26],
      [25, 40],
    ];
    const lanes = new Map<number, Array<[number, number]>>();
    for (const [s, e] of spans) {
      const { tid } = t.assign(record({ send_ms: s, end_ms: e }));
      const list = lanes.get(tid) ?? [];
      for (const [s2, e2] of list) expect(s >= e2 || e <= s2).toBe(true);
      list.push([s, e]);
      lanes.set(tid, list);
    }
    expect(lanes.size).toBe(3);
  });
});

describe('RunCounters', () => {
  it('gives an exact in-flight step function and tokens/s per bucket', () => {
    const c = new RunCounters(0, 500);
    c.add(record({ send_ms: 0, end_ms: 1000, event_ms: [100, 200, 300, 1200] }));
    c.add(record({ send_ms: 250, end_ms: 600, event_ms: [400] }));
    const events = c.events();
    const inFlight = events
      .filter((e) => e.name === IN_FLIGHT_COUNTER)
      .map((e) => [e.ts, e.args[IN_FLIGHT_COUNTER]]);
    expect(inFlight).toEqual([
      [0, 1],
      [250000, 2],
      [600000, 1],
      [1000000, 0],
    ]);
    const rate = events
      .filter((e) => e.name === TOKEN_RATE_COUNTER)
      .map((e) => [e.ts, e.args[TOKEN_RATE_COUNTER]]);
    // buckets of 500 ms: [0,500) has 4 events → 8/s, [500,1000) none, [1000,1500) one → 2/s, then 0
    expect(rate).toEqual([
      [0, 8],
      [500000, 0],
      [1000000, 2],
      [1500000, 0],
    ]);
  });
});
