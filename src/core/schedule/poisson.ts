// Poisson arrivals: exponential gaps with mean 1000 / rate ms, drawn by inversion from a seeded
// stream (ferrum §8.13 draws the same way but unseeded).

import { standardExponential } from '../random/exponential.js';
import type { RandomSource } from '../random/random-source.js';
import { checkBound, checkRate, offsetsFromGaps } from './arrivals.js';
import type { ScheduleBound } from './schedule.js';

/** Absolute send offsets (ms) of a Poisson process at `rateRps` requests per second. */
export function poissonOffsets(rateRps: number, bound: ScheduleBound, rng: RandomSource): number[] {
  checkRate(rateRps);
  checkBound(bound, rateRps);
  const meanGapMs = 1000 / rateRps;
  return offsetsFromGaps(() => meanGapMs * standardExponential(rng), bound);
}
