// Standard normal variates by the Box–Muller transform (two uniforms per variate, the second
// normal is discarded so the sampler stays stateless and sequences are easy to reason about).

import type { RandomSource } from './random-source.js';

/** One N(0, 1) variate. */
export function standardNormal(rng: RandomSource): number {
  const u1 = 1 - rng.nextFloat(); // (0, 1]: ln(u1) is finite
  const u2 = rng.nextFloat();
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}
