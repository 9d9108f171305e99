// Gamma ("bursty") arrivals with vLLM's and AIPerf's burstiness parameter: 1 is Poisson, < 1
// burstier, +∞ constant spacing.

import { GoodputError } from '../errors.js';
import { standardExponential } from '../random/exponential.js';
import { standardGamma } from '../random/gamma.js';
import type { RandomSource } from '../random/random-source.js';
import { checkBound, checkRate, offsetsFromGaps } from './arrivals.js';
import { constantOffsets } from './constant.js';
import type { ScheduleBound } from './schedule.js';

// vLLM's and AIPerf's convention: gaps ~ Gamma(shape = burstiness,
// scale = 1 / (rate · burstiness)), so the mean gap stays 1 / rate while the coefficient of
// variation of the gaps is 1 / √burstiness. burstiness 1 is Poisson (and goodput then draws the
// gaps exactly as poisson.ts does, so the same seed gives the same offsets); < 1 is burstier;
// +∞ is constant spacing (constant.ts).

/** Absolute send offsets (ms) of a gamma renewal process at `rateRps` with the given burstiness. */
export function gammaOffsets(
  rateRps: number,
  burstiness: number,
  bound: ScheduleBound,
  rng: RandomSource,
): number[] {
  checkRate(rateRps);
  if (!(burstiness > 0)) {
    throw new GoodputError(
      'USAGE',
      `burstiness must be > 0 (1 = Poisson, < 1 burstier, inf = constant), got ${burstiness}`,
      {
        hint: 'pass a positive --burstiness',
      },
    );
  }
  if (burstiness === Number.POSITIVE_INFINITY) return constantOffsets(rateRps, bound);
  checkBound(bound, rateRps);
  const meanGapMs = 1000 / rateRps;
  if (burstiness === 1) return offsetsFromGaps(() => meanGapMs * standardExponential(rng), bound);
  const scaleMs = meanGapMs / burstiness;
  return offsetsFromGaps(() => scaleMs * standardGamma(rng, burstiness), bound);
}
