// Exponential variates by inversion: the inter-arrival gaps of a Poisson process (ferrum §8.14
// uses the same −ln(1 − U) form, which never takes ln(0) because U < 1).

import type { RandomSource } from './random-source.js';

/** One Exp(1) variate (mean 1). Multiply by the mean gap to scale it. */
export function standardExponential(rng: RandomSource): number {
  return -Math.log1p(-rng.nextFloat());
}
