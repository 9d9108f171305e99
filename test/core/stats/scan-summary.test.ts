import { describe, expect, it } from 'vitest';
import {
  runningSummary,
  scanSummary,
  summarizeInto,
  summaryOf,
} from '../../../src/core/stats/scan-summary.js';

describe('scanSummary', () => {
  it('give sum, min and max over several parts in one pass', () => {
    expect(scanSummary([Float64Array.from([3, -1.5]), [], [10, 0.25]])).toEqual({
      sum: 11.75,
      min: -1.5,
      max: 10,
    });
    expect(scanSummary([])).toEqual({ sum: 0, min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY });
  });
  it('keep the rounding error a plain sum loses', () => {
    const values = [1e16, 1, 1, 1, 1, -1e16];
    expect(values.reduce((a, b) => a + b, 0)).not.toBe(4);
    expect(scanSummary([values]).sum).toBe(4);
    expect(scanSummary([[0.1, 0.2, 0.3]]).sum).toBe(scanSummary([[0.3, 0.2, 0.1]]).sum);
  });
  it('gives the same result when run block by block (as the scans run it)', () => {
    const values = Float64Array.from({ length: 10_000 }, (_, i) => Math.sin(i) * 1e3 + 1e-7 * i);
    const acc = runningSummary();
    for (let from = 0; from < values.length; from += 333)
      summarizeInto(acc, values, from, Math.min(values.length, from + 333));
    expect(summaryOf(acc)).toEqual(scanSummary([values.subarray(0, 5000), values.subarray(5000)]));
  });
});
