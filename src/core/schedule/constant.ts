// Constant-rate arrivals: request i is sent at (i + 1) · 1000 / rate ms, each offset computed by
// one multiplication so that a long run does not accumulate rounding from repeated additions.

import { checkBound, checkRate } from './arrivals.js';
import type { ScheduleBound } from './schedule.js';

/** Absolute send offsets (ms) at a fixed `rateRps` requests per second. */
export function constantOffsets(rateRps: number, bound: ScheduleBound): number[] {
  checkRate(rateRps);
  checkBound(bound, rateRps);
  const gapMs = 1000 / rateRps;
  const offsets: number[] = [];
  if ('count' in bound) {
    for (let i = 0; i < bound.count; i++) offsets.push((i + 1) * gapMs);
    return offsets;
  }
  for (let i = 0; ; i++) {
    const t = (i + 1) * gapMs;
    if (t >= bound.durationMs) return offsets;
    offsets.push(t);
  }
}
