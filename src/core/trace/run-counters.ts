// The run-level counter tracks of a trace (SPEC §8.3): requests in flight (an exact step function
// from every send and end) and output tokens per second (output events counted in fixed buckets).
// Memory grows with the number of distinct send/end instants and buckets, not with tokens.

import type { RequestRecord } from '../schema/request-record.js';
import { type CounterEvent, counterEvent, msToTraceUs } from './trace-event.js';

export const IN_FLIGHT_COUNTER = 'in_flight_requests';
export const TOKEN_RATE_COUNTER = 'output_tokens_per_s';

export class RunCounters {
  /** µs since origin → change in the number of requests in flight */
  private readonly inFlightDelta = new Map<number, number>();
  /** bucket index → output events in it */
  private readonly tokenBuckets = new Map<number, number>();

  /**
   * @param originMs the trace's time origin on the records' clock
   * @param bucketMs width of a tokens/s bucket, > 0
   */
  constructor(
    private readonly originMs: number,
    private readonly bucketMs: number,
  ) {
    if (!(bucketMs > 0)) throw new RangeError(`bucketMs must be > 0, got ${bucketMs}`);
  }

  add(r: RequestRecord): void {
    const startUs = msToTraceUs(r.send_ms, this.originMs);
    const endUs = msToTraceUs(r.end_ms, this.originMs);
    this.inFlightDelta.set(startUs, (this.inFlightDelta.get(startUs) ?? 0) + 1);
    this.inFlightDelta.set(endUs, (this.inFlightDelta.get(endUs) ?? 0) - 1);
    for (const t of r.event_ms) {
      const bucket = Math.floor((t - this.originMs) / this.bucketMs);
      this.tokenBuckets.set(bucket, (this.tokenBuckets.get(bucket) ?? 0) + 1);
    }
  }

  /** The counter samples, in time order per series; tokens/s is 0 in empty buckets in between. */
  events(): CounterEvent[] {
    const out: CounterEvent[] = [];
    let inFlight = 0;
    for (const ts of [...this.inFlightDelta.keys()].sort((a, b) => a - b)) {
      inFlight += this.inFlightDelta.get(ts) ?? 0;
      out.push(counterEvent(IN_FLIGHT_COUNTER, ts, inFlight));
    }
    const buckets = [...this.tokenBuckets.keys()].sort((a, b) => a - b);
    const first = buckets[0];
    const last = buckets[buckets.length - 1];
    if (first !== undefined && last !== undefined) {
      const perSecond = 1000 / this.bucketMs;
      for (let b = first; b <= last + 1; b++) {
        const tsUs = Math.round(b * this.bucketMs * 1000);
        out.push(counterEvent(TOKEN_RATE_COUNTER, tsUs, (this.tokenBuckets.get(b) ?? 0) * perSecond));
      }
    }
    return out;
  }
}
