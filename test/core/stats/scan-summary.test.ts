import { describe, expect, it } from 'vitest';
import { accurateSum } from '../../../src/core/stats/accurate-sum.js';
import { scanSummary } from '../../../src/core/stats/scan-summary.js';

describe('scanSummary and accurateSum', () => {
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
    expect(accurateSum(values)).toBe(4);
    expect(scanSummary([values]).sum).toBe(4);
    expect(accurateSum([0.1, 0.2, 0.3])).toBe(accurateSum([0.3, 0.2, 0.1]));
  });
});
