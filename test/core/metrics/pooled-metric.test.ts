import { describe, expect, it } from 'vitest';
import { summarize } from '../../../src/core/metrics/distribution-summary.js';
import { isLowSample, nestedPooledMetrics, pooledMetric } from '../../../src/core/metrics/pooled-metric.js';
import { deriveStream } from '../../../src/core/random/streams.js';
import { percentile } from '../../../src/core/stats/percentile.js';
import { scanSummary } from '../../../src/core/stats/scan-summary.js';

describe('pooledMetric', () => {
  it('gives exact pooled percentiles, mean, min and max with bracketing intervals', () => {
    const values = Array.from({ length: 1000 }, (_, i) => ((i * 7919) % 1000) / 10);
    const m = pooledMetric(Float64Array.from(values), 'x', { seed: 1, resamples: 500 });
    expect(m).toMatchObject({ n: 1000, min: 0, max: 99.9 });
    expect(m.mean).toBeCloseTo(49.95, 12);
    for (const [name, q] of [
      ['p50', 0.5],
      ['p90', 0.9],
      ['p99', 0.99],
    ] as const) {
      expect(m[name]?.value).toBe(percentile(values, q));
      expect(m[name]?.ci95_low).toBeLessThanOrEqual(m[name]?.value as number);
      expect(m[name]?.ci95_high).toBeGreaterThanOrEqual(m[name]?.value as number);
    }
  });

  it('flags percentiles with fewer than 1/(1 − q) samples', () => {
    expect([
      isLowSample(99, 0.99),
      isLowSample(100, 0.99),
      isLowSample(19, 0.95),
      isLowSample(20, 0.95),
      isLowSample(1, 0.5),
    ]).toEqual([true, false, true, false, true]);
    const m = pooledMetric(
      Float64Array.from({ length: 50 }, (_, i) => i),
      'x',
      { seed: 1, resamples: 50 },
    );
    expect([m.p50?.low_sample, m.p95?.low_sample, m.p99?.low_sample]).toEqual([false, false, true]);
  });

  it('is empty, not zero, without samples', () => {
    expect(pooledMetric(new Float64Array(0), 'x', { seed: 1, resamples: 10 })).toEqual({
      n: 0,
      mean: null,
      p50: null,
      p75: null,
      p90: null,
      p95: null,
      p99: null,
      min: null,
      max: null,
    });
    expect(summarize(new Float64Array(0))).toBeNull();
  });

  it('has order-independent means (double-double sum)', () => {
    const values = Array.from({ length: 10_000 }, (_, i) => 0.1 * ((i * 37) % 101) + 1e-3 * i);
    const reversed = [...values].reverse();
    expect(scanSummary([values]).sum).toBe(scanSummary([reversed]).sum);
    expect(summarize(Float64Array.from(values))?.mean).toBe(summarize(Float64Array.from(reversed))?.mean);
  });

  it('gives nested prefixes (covered ITL inside all ITL) what pooledMetric gives each, small or large', () => {
    const bootstrap = { seed: 3, resamples: 200 };
    for (const size of [2000, 120_000]) {
      const rng = deriveStream({ seed: size, purpose: 'test' });
      const parts = [0, 1, 2].map((i) =>
        Float64Array.from({ length: size / (i + 1) }, () => 5 + 30 * rng.nextFloat() ** (i + 1)),
      );
      const nested = nestedPooledMetrics(
        parts,
        [
          { parts: 0, label: 'none' },
          { parts: 2, label: 'inner' },
          { parts: 3, label: 'all' },
        ],
        bootstrap,
      );
      expect(nested).toEqual([
        pooledMetric([], 'none', bootstrap),
        pooledMetric(parts.slice(0, 2), 'inner', bootstrap),
        pooledMetric(parts, 'all', bootstrap),
      ]);
    }
  });
});
