// Gamma variates by Marsaglia & Tsang (2000), "A simple method for generating gamma variables":
// squeeze-and-reject on a transformed normal, with Gamma(a) = Gamma(a + 1) · U^(1/a) for a < 1.
// Used for bursty arrivals (vLLM's --burstiness) and, through beta.ts, for the bootstrap.

import { standardNormal } from './normal.js';
import type { RandomSource } from './random-source.js';

/** One Gamma(shape, scale 1) variate; shape must be finite and > 0. */
export function standardGamma(rng: RandomSource, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape))
    throw new RangeError(`gamma shape must be finite and > 0, got ${shape}`);
  if (shape < 1) {
    const boosted = standardGamma(rng, shape + 1);
    const u = 1 - rng.nextFloat(); // (0, 1]
    return boosted * u ** (1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = standardNormal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.nextFloat();
    const x2 = x * x;
    if (u < 1 - 0.0331 * x2 * x2) return d * v;
    if (Math.log(u) < 0.5 * x2 + d * (1 - v + Math.log(v))) return d * v;
  }
}
