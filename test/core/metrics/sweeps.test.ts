import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { detectKnee } from '../../../src/core/metrics/sweep-knee.js';
import { highestRateMeetingSlo, ratePointFromReport } from '../../../src/core/metrics/sweep-rate.js';
import type { BenchReport } from '../../../src/core/schema/bench-report.js';

describe('detectKnee (elasticity of throughput to latency below 1)', () => {
  it('finds the last point before latency grows faster than throughput', () => {
    // a batching server: nearly free throughput up to 16, then saturated
    const r = detectKnee([
      { concurrency: 16, throughput: 1500, latency: 110 },
      { concurrency: 1, throughput: 100, latency: 100 },
      { concurrency: 4, throughput: 390, latency: 102 },
      { concurrency: 64, throughput: 1600, latency: 420 },
      { concurrency: 32, throughput: 1580, latency: 210 },
    ]);
    expect(r.points.map((p) => p.concurrency)).toEqual([1, 4, 16, 32, 64]);
    expect(r.knee?.concurrency).toBe(16);
    // step 16 → 32: +5.3 % throughput for +91 % latency
    expect(r.steps[2]?.elasticity).toBeCloseTo(80 / 1500 / (100 / 110), 12);
  });

  it('returns null when the sweep never reaches the knee, and infinite elasticity when latency does not rise', () => {
    const r = detectKnee([
      { concurrency: 1, throughput: 10, latency: 50 },
      { concurrency: 2, throughput: 20, latency: 50 },
      { concurrency: 4, throughput: 38, latency: 55 },
    ]);
    expect(r.knee).toBeNull();
    expect(r.steps[0]?.elasticity).toBe(Number.POSITIVE_INFINITY);
  });

  it('puts the knee at the first point when the first step already falls off, and skips failed cells', () => {
    const r = detectKnee([
      { concurrency: 1, throughput: 10, latency: 50 },
      { concurrency: 2, throughput: 10.5, latency: 100 },
      { concurrency: 8, throughput: 0, latency: 0 },
    ]);
    expect(r.knee?.concurrency).toBe(1);
    expect(r.skipped.map((p) => p.concurrency)).toEqual([8]);
  });

  it('rejects a concurrency listed twice', () => {
    expect(() =>
      detectKnee([
        { concurrency: 1, throughput: 1, latency: 1 },
        { concurrency: 1, throughput: 2, latency: 2 },
      ]),
    ).toThrow(/appears twice/);
  });
});

describe('highestRateMeetingSlo (attainment ≥ target, stopping at the first miss)', () => {
  it('returns the highest rate before the first one that misses', () => {
    const r = highestRateMeetingSlo([
      { rateRps: 8, metSlo: 95, requests: 100 },
      { rateRps: 1, metSlo: 100, requests: 100 },
      { rateRps: 16, metSlo: 40, requests: 100 },
      { rateRps: 4, metSlo: 89, requests: 100 },
      { rateRps: 2, metSlo: 99, requests: 100 },
    ]);
    // 4 req/s misses at 89 %: the lucky 95 % at 8 req/s does not count as capacity
    expect(r).toMatchObject({ rateRps: 2, firstMissRps: 4, target: 0.9 });
    expect(r.points.map((p) => p.meets)).toEqual([true, true, false, true, false]);
  });

  it('returns null when even the lowest rate misses, and every rate when none does', () => {
    expect(highestRateMeetingSlo([{ rateRps: 1, metSlo: 1, requests: 10 }]).rateRps).toBeNull();
    expect(
      highestRateMeetingSlo(
        [
          { rateRps: 1, metSlo: 10, requests: 10 },
          { rateRps: 3, metSlo: 99, requests: 100 },
        ],
        0.99,
      ),
    ).toMatchObject({
      rateRps: 3,
      firstMissRps: null,
    });
  });

  it('reads a point from a report, from the extension or from repeat_metrics', () => {
    const base = { request_rate: 4, n_requests_per_run: 10, n_repeats: 2 } as unknown as BenchReport;
    expect(
      ratePointFromReport({
        ...base,
        goodput: {
          schema_version: 1,
          goodput_misses: { successful: 20, met_slo: 17, ttft: 3, tpot: 0, e2e: 0 },
        },
      }),
    ).toEqual({
      rateRps: 4,
      metSlo: 17,
      requests: 20,
    });
    const rows = [
      { goodput_rps: 4, duration_s: 2.5 },
      { goodput_rps: 2, duration_s: 3.5 },
    ] as unknown as BenchReport['repeat_metrics'];
    expect(ratePointFromReport({ ...base, repeat_metrics: rows })).toEqual({
      rateRps: 4,
      metSlo: 17,
      requests: 20,
    });
    expect(ratePointFromReport({ ...base, request_rate: undefined } as unknown as BenchReport)).toBeNull();
  });

  it('rejects a bad target as a usage error', () => {
    try {
      highestRateMeetingSlo([], 1.5);
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'USAGE')).toBe(true);
    }
  });
});
