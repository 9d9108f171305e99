// The samplers against their known moments and, for the gamma sampler at shape 1, against the
// exponential law with a Kolmogorov–Smirnov statistic.

import { describe, expect, it } from 'vitest';
import { betaVariate } from '../../../src/core/random/beta.js';
import { standardExponential } from '../../../src/core/random/exponential.js';
import { standardGamma } from '../../../src/core/random/gamma.js';
import { standardNormal } from '../../../src/core/random/normal.js';
import { deriveStream } from '../../../src/core/random/streams.js';

function moments(draw: () => number, n: number): { mean: number; variance: number; values: Float64Array } {
  const values = new Float64Array(n);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    values[i] = draw();
    sum += values[i] as number;
  }
  const mean = sum / n;
  let sq = 0;
  for (const v of values) sq += (v - mean) ** 2;
  return { mean, variance: sq / (n - 1), values };
}

const N = 50_000;

describe('samplers', () => {
  it('Exp(1) has mean 1 and variance 1', () => {
    const rng = deriveStream({ seed: 1, purpose: 'test' });
    const m = moments(() => standardExponential(rng), N);
    expect(m.mean).toBeCloseTo(1, 1);
    expect(m.variance).toBeCloseTo(1, 1);
  });

  it('N(0, 1) has mean 0 and variance 1', () => {
    const rng = deriveStream({ seed: 2, purpose: 'test' });
    const m = moments(() => standardNormal(rng), N);
    expect(Math.abs(m.mean)).toBeLessThan(0.02);
    expect(m.variance).toBeCloseTo(1, 1);
  });

  it.each([0.25, 0.7, 1, 2.5, 40])('Gamma(%d) has mean and variance equal to its shape', (shape) => {
    const rng = deriveStream({ seed: 3, purpose: 'test', cell: String(shape) });
    const m = moments(() => standardGamma(rng, shape), N);
    // 5 standard errors of the mean and a 5 % band on the variance
    expect(Math.abs(m.mean - shape)).toBeLessThan(5 * Math.sqrt(shape / N));
    expect(Math.abs(m.variance / shape - 1)).toBeLessThan(0.06);
  });

  it('Gamma(1) by Marsaglia–Tsang follows Exp(1) (Kolmogorov–Smirnov, α = 0.001)', () => {
    const rng = deriveStream({ seed: 4, purpose: 'test' });
    const { values } = moments(() => standardGamma(rng, 1), 20_000);
    values.sort();
    let d = 0;
    for (let i = 0; i < values.length; i++) {
      const cdf = 1 - Math.exp(-(values[i] as number));
      d = Math.max(d, Math.abs(cdf - i / values.length), Math.abs(cdf - (i + 1) / values.length));
    }
    expect(d).toBeLessThan(1.95 / Math.sqrt(values.length));
  });

  it('Beta(a, b) has mean a / (a + b)', () => {
    const rng = deriveStream({ seed: 5, purpose: 'test' });
    for (const [a, b] of [
      [1, 1],
      [2, 5],
      [500, 20],
    ] as const) {
      const m = moments(() => betaVariate(rng, a, b), 20_000);
      expect(Math.abs(m.mean - a / (a + b))).toBeLessThan(0.01);
    }
  });

  it('rejects shapes that are not finite and positive', () => {
    const rng = deriveStream({ seed: 6, purpose: 'test' });
    for (const shape of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => standardGamma(rng, shape)).toThrow(RangeError);
  });
});
