import { describe, expect, it } from 'vitest';
import {
  completeEvent,
  counterEvent,
  processNameEvent,
  roundHalfAwayFromZero,
  serializeTraceArray,
  serializeTraceEvent,
  threadNameEvents,
} from '../../../src/core/trace/trace-event.js';

describe('Chrome trace events (ferrum-behaviour §6)', () => {
  it('A.5: attn / attention / ts 1000 / 0.1235 ms / tid 3, byte for byte', () => {
    expect(serializeTraceArray([completeEvent('attn', 'attention', 1000, 0.1235, 3)])).toBe(
      '[{"name":"attn","cat":"attention","ph":"X","ts":1000,"dur":124,"pid":0,"tid":3}]',
    );
  });

  it.each([
    [0.0005, 1],
    [0.0015, 2],
    [-0.0005, -1],
    [0.00049, 0],
    [2, 2000],
  ])('dur of %f ms rounds half away from zero to %i µs', (ms, us) => {
    expect(completeEvent('n', 'c', 0, ms, 0).dur).toBe(us);
  });

  it('never yields -0', () => {
    expect(Object.is(roundHalfAwayFromZero(-0.2), 0)).toBe(true);
  });

  it('writes args after tid and omits them when empty', () => {
    expect(serializeTraceEvent(completeEvent('a', 'b', 5, 0.001, 1, { layer: 2 }))).toBe(
      '{"name":"a","cat":"b","ph":"X","ts":5,"dur":1,"pid":0,"tid":1,"args":{"layer":2}}',
    );
    expect(serializeTraceEvent(completeEvent('a', 'b', 5, 0.001, 1, {}))).not.toContain('args');
  });

  it('writes metadata and counter events', () => {
    expect(serializeTraceEvent(processNameEvent('goodput bench'))).toBe(
      '{"name":"process_name","ph":"M","pid":0,"tid":0,"args":{"name":"goodput bench"}}',
    );
    expect(threadNameEvents(3, 'worker 2').map(serializeTraceEvent)).toEqual([
      '{"name":"thread_name","ph":"M","pid":0,"tid":3,"args":{"name":"worker 2"}}',
      '{"name":"thread_sort_index","ph":"M","pid":0,"tid":3,"args":{"sort_index":3}}',
    ]);
    expect(serializeTraceEvent(counterEvent('in_flight_requests', 250, 4))).toBe(
      '{"name":"in_flight_requests","ph":"C","ts":250,"pid":0,"tid":0,"args":{"in_flight_requests":4}}',
    );
  });
});
