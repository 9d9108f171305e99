// Turns a stream of inter-arrival gaps into absolute offsets for a count or a duration: offset i
// is the sum of the first i + 1 gaps (the first request waits one gap, as ferrum's Poisson helper
// and vLLM do), summed once up front so nothing drifts at send time.

import { GoodputError } from '../errors.js';
import { MAX_SCHEDULE_REQUESTS, type ScheduleBound } from './schedule.js';

/** Checks a rate in requests per second. */
export function checkRate(rateRps: number): void {
  if (!(rateRps > 0) || !Number.isFinite(rateRps)) {
    throw new GoodputError('USAGE', `request rate must be a finite number > 0 req/s, got ${rateRps}`, {
      hint: 'pass a positive --request-rate (requests per second)',
    });
  }
}

/** Checks a bound; a duration may not plan more than half the request limit at `rateRps`. */
export function checkBound(bound: ScheduleBound, rateRps: number): void {
  if ('count' in bound) {
    if (!Number.isInteger(bound.count) || bound.count < 0 || bound.count > MAX_SCHEDULE_REQUESTS) {
      throw new GoodputError(
        'USAGE',
        `request count must be an integer in 0..${MAX_SCHEDULE_REQUESTS}, got ${bound.count}`,
        {
          hint: 'check --num-prompts',
        },
      );
    }
    return;
  }
  if (!(bound.durationMs >= 0) || !Number.isFinite(bound.durationMs)) {
    throw new GoodputError('USAGE', `duration must be a finite number of ms ≥ 0, got ${bound.durationMs}`, {
      hint: 'check --duration',
    });
  }
  const expected = (rateRps * bound.durationMs) / 1000;
  if (expected > MAX_SCHEDULE_REQUESTS / 2) {
    throw new GoodputError(
      'USAGE',
      `rate ${rateRps} req/s for ${bound.durationMs} ms plans about ${Math.round(expected)} requests, above the limit of ${MAX_SCHEDULE_REQUESTS / 2}`,
      { hint: 'lower --request-rate or --duration' },
    );
  }
}

/** Offsets (ms) from a gap generator (ms), for `bound`. */
export function offsetsFromGaps(nextGapMs: () => number, bound: ScheduleBound): number[] {
  const offsets: number[] = [];
  let t = 0;
  if ('count' in bound) {
    for (let i = 0; i < bound.count; i++) {
      t += nextGapMs();
      offsets.push(t);
    }
    return offsets;
  }
  for (;;) {
    t += nextGapMs();
    if (t >= bound.durationMs) return offsets;
    if (offsets.length >= MAX_SCHEDULE_REQUESTS) {
      throw new GoodputError(
        'USAGE',
        `schedule exceeds ${MAX_SCHEDULE_REQUESTS} requests before ${bound.durationMs} ms`,
        {
          hint: 'lower --request-rate or --duration',
        },
      );
    }
    offsets.push(t);
  }
}
