import { describe, expect, it } from 'vitest';
import { repeatStats } from '../../../src/core/stats/repeat-stats.js';
import { scalarStats } from '../../../src/core/stats/scalar-stats.js';

describe('repeatStats (the extension: missing repeats excluded, exact t)', () => {
  it('excludes missing repeats instead of averaging in zeros (Appendix A.4: 350, failed, 150)', () => {
    const s = repeatStats([350, null, 150]);
    expect(s).toMatchObject({ n: 2, mean: 250, values: [350, null, 150] });
    expect(scalarStats([350, 0, 150]).mean).toBeCloseTo(166.67, 2); // what the locked field says
  });
  it('uses the exact t quantile (4.3027 at n = 3, 2.0423 at n = 31 where ferrum uses 1.96)', () => {
    const three = repeatStats([130, 135, 127]);
    expect(three.t).toBeCloseTo(4.302652729749464, 12);
    expect(three.ci95_hw).toBeCloseTo((4.302652729749464 * 4.041451884327381) / Math.sqrt(3), 12);
    const many = repeatStats(Array.from({ length: 31 }, (_, i) => i));
    expect(many.t).toBeCloseTo(2.0422724563012378, 12);
  });
  it('always writes n and the dispersion from two values on, zero included', () => {
    expect(repeatStats([60, 60, 60])).toMatchObject({ n: 3, mean: 60, stddev: 0, ci95_hw: 0 });
    expect(repeatStats([10, 12])).toMatchObject({ n: 2, stddev: Math.SQRT2 });
    expect(repeatStats([5, null])).toEqual({
      n: 1,
      mean: 5,
      stddev: null,
      ci95_hw: null,
      t: null,
      values: [5, null],
    });
    expect(repeatStats([null, null])).toEqual({
      n: 0,
      mean: null,
      stddev: null,
      ci95_hw: null,
      t: null,
      values: [null, null],
    });
  });
});
