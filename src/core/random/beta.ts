// Beta variates as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b): the law of uniform order
// statistics, which is what makes the bootstrap of a percentile O(1) per resample
// (stats/bootstrap.ts).

import { standardGamma } from './gamma.js';
import type { RandomSource } from './random-source.js';

/** One Beta(a, b) variate; a and b must be finite and > 0. */
export function betaVariate(rng: RandomSource, a: number, b: number): number {
  const x = standardGamma(rng, a);
  const y = standardGamma(rng, b);
  return x / (x + y);
}
