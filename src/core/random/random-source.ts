// The one interface every seeded consumer (schedules, bootstrap, samplers) draws from, so the
// generator can be swapped in tests and code never reaches for Math.random.

/** A deterministic source of uniform numbers. */
export interface RandomSource {
  /** A uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** A uniform unsigned 32-bit integer. */
  nextUint32(): number;
}
