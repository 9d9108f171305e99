// Arrival schedules: determinism by seed, the statistics of each profile (mean gap, CV, a
// Kolmogorov–Smirnov check against the exponential law), bounds and errors.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { deriveStream } from '../../../src/core/random/streams.js';
import { buildSchedule, buildTraceSchedule } from '../../../src/core/schedule/build-schedule.js';
import { constantOffsets } from '../../../src/core/schedule/constant.js';
import { gammaOffsets } from '../../../src/core/schedule/gamma.js';
import { poissonOffsets } from '../../../src/core/schedule/poisson.js';

function gaps(offsets: readonly number[]): number[] {
  return offsets.map((t, i) => t - (i === 0 ? 0 : (offsets[i - 1] as number)));
}

function meanAndCv(values: readonly number[]): { mean: number; cv: number } {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
  return { mean, cv: Math.sqrt(variance) / mean };
}

/** Kolmogorov–Smirnov distance between the gaps and Exp(mean). */
function ksExponential(values: readonly number[], mean: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  let d = 0;
  sorted.forEach((v, i) => {
    const cdf = 1 - Math.exp(-v / mean);
    d = Math.max(d, Math.abs(cdf - i / sorted.length), Math.abs(cdf - (i + 1) / sorted.length));
  });
  return d;
}

const N = 20_000;
const KS_CRITICAL_001 = 1.95 / Math.sqrt(N); // α = 0.001

describe('schedules are a function of (profile, seed, cell, repeat)', () => {
  it('gives identical offsets for the same seed and different ones for another seed, cell or repeat', () => {
    const at = { seed: 42, cell: 'rate=4', repeat: 1 };
    const a = buildSchedule({ kind: 'gamma', rateRps: 4, burstiness: 0.5 }, at, { count: 200 });
    expect(buildSchedule({ kind: 'gamma', rateRps: 4, burstiness: 0.5 }, { ...at }, { count: 200 })).toEqual(
      a,
    );
    for (const other of [
      { ...at, seed: 43 },
      { ...at, cell: 'rate=8' },
      { ...at, repeat: 2 },
    ]) {
      expect(
        buildSchedule({ kind: 'gamma', rateRps: 4, burstiness: 0.5 }, other, { count: 200 }).offsets_ms,
      ).not.toEqual(a.offsets_ms);
    }
    expect(a).toMatchObject({
      version: 1,
      profile: { kind: 'gamma', rate_rps: 4, burstiness: 0.5 },
      seed: 42,
      cell: 'rate=4',
      repeat: 1,
    });
  });

  it('is deterministic, non-decreasing and exactly as long as asked for any seed, rate and count', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 2 ** 53 - 1 }),
        fc.double({ min: 0.01, max: 5000, noNaN: true }),
        fc.nat({ max: 300 }),
        fc.constantFrom(0.2, 1, 3),
        (seed, rateRps, count, burstiness) => {
          const make = () =>
            buildSchedule({ kind: 'gamma', rateRps, burstiness }, { seed }, { count }).offsets_ms;
          const a = make();
          return (
            a.length === count &&
            a.every((t, i) => t > 0 && (i === 0 || t >= (a[i - 1] as number))) &&
            JSON.stringify(make()) === JSON.stringify(a)
          );
        },
      ),
    );
  });
});

describe('Poisson', () => {
  it('has exponential gaps with mean 1000/rate ms and CV 1', () => {
    const g = gaps(poissonOffsets(8, { count: N }, deriveStream({ seed: 1, purpose: 'arrivals' })));
    const { mean, cv } = meanAndCv(g);
    expect(Math.abs(mean / 125 - 1)).toBeLessThan(0.03);
    expect(Math.abs(cv - 1)).toBeLessThan(0.03);
    expect(ksExponential(g, 125)).toBeLessThan(KS_CRITICAL_001);
  });
});

describe('gamma with burstiness (vLLM convention: shape = B, scale = 1/(rate·B))', () => {
  it('is exactly the Poisson schedule at burstiness 1', () => {
    const at = { seed: 9, cell: 'c', repeat: 1 };
    expect(
      buildSchedule({ kind: 'gamma', rateRps: 5, burstiness: 1 }, at, { count: 500 }).offsets_ms,
    ).toEqual(buildSchedule({ kind: 'poisson', rateRps: 5 }, at, { count: 500 }).offsets_ms);
  });

  it('matches Poisson statistics at burstiness 1 + 1e-9 (Marsaglia–Tsang path, not the exponential one)', () => {
    const g = gaps(gammaOffsets(8, 1 + 1e-9, { count: N }, deriveStream({ seed: 2, purpose: 'arrivals' })));
    const { mean, cv } = meanAndCv(g);
    expect(Math.abs(mean / 125 - 1)).toBeLessThan(0.03);
    expect(Math.abs(cv - 1)).toBeLessThan(0.03);
    expect(ksExponential(g, 125)).toBeLessThan(KS_CRITICAL_001);
  });

  it.each([0.25, 0.5, 2, 4])('keeps the mean gap and has CV 1/√B at burstiness %d', (b) => {
    const g = gaps(
      gammaOffsets(10, b, { count: N }, deriveStream({ seed: 3, purpose: 'arrivals', cell: String(b) })),
    );
    const { mean, cv } = meanAndCv(g);
    expect(Math.abs(mean / 100 - 1)).toBeLessThan(0.05);
    expect(Math.abs(cv * Math.sqrt(b) - 1)).toBeLessThan(0.05);
  });

  it('is constant spacing at burstiness +∞, recorded as the constant profile', () => {
    const s = buildSchedule(
      { kind: 'gamma', rateRps: 4, burstiness: Number.POSITIVE_INFINITY },
      { seed: 1 },
      { count: 3 },
    );
    expect(s.profile).toEqual({ kind: 'constant', rate_rps: 4 });
    expect(s.offsets_ms).toEqual([250, 500, 750]);
    expect(s).not.toHaveProperty('seed');
  });
});

describe('constant and duration bounds', () => {
  it('places request i at (i + 1) · 1000 / rate without accumulated rounding', () => {
    const o = constantOffsets(3, { count: 300_000 });
    expect(o[299_999]).toBe((300_000 * 1000) / 3);
  });
  it('plans every arrival strictly before the duration', () => {
    expect(constantOffsets(2, { durationMs: 2000 })).toEqual([500, 1000, 1500]);
    const p = poissonOffsets(50, { durationMs: 60_000 }, deriveStream({ seed: 4, purpose: 'arrivals' }));
    expect(p.every((t) => t < 60_000)).toBe(true);
    expect(Math.abs(p.length / 3000 - 1)).toBeLessThan(0.1);
  });
});

describe('bad load shapes are usage errors naming the flag', () => {
  const cases: Array<[string, () => unknown, string]> = [
    [
      'rate 0',
      () => buildSchedule({ kind: 'poisson', rateRps: 0 }, { seed: 1 }, { count: 1 }),
      '--request-rate',
    ],
    [
      'burstiness 0',
      () => buildSchedule({ kind: 'gamma', rateRps: 1, burstiness: 0 }, { seed: 1 }, { count: 1 }),
      '--burstiness',
    ],
    ['negative count', () => constantOffsets(1, { count: -1 }), '--num-prompts'],
    ['rate × duration too large', () => constantOffsets(1e6, { durationMs: 3.6e6 }), '--request-rate'],
  ];
  it.each(cases)('%s', (_, fn, flag) => {
    try {
      fn();
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'USAGE')).toBe(true);
      expect((e as { hint?: string }).hint).toContain(flag);
    }
  });
});

describe('trace replay', () => {
  it('shifts recorded timestamps so the first request goes out at 0', () => {
    expect(buildTraceSchedule([1000, 1000, 1250.5, 4000]).offsets_ms).toEqual([0, 0, 250.5, 3000]);
    expect(buildTraceSchedule([]).offsets_ms).toEqual([]);
  });
  it('rejects timestamps out of order, naming the index and the source', () => {
    expect(() => buildTraceSchedule([0, 50, 40], 'trace.jsonl')).toThrow(
      /trace\.jsonl: timestamp_ms\[2\] \(40\) is earlier than timestamp_ms\[1\] \(50\)/,
    );
  });
});
