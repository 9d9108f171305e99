import { describe, expect, it } from 'vitest';
import { simPreset } from '../../../src/core/sim/presets.js';
import { meanStepMs, stepMs } from '../../../src/core/sim/step-cost.js';

const profile = {
  ...simPreset('tiny'),
  stepBaseMs: 2,
  decodePerSeqMs: 0.5,
  saturationBatch: 4,
  saturationPerSeqMs: 1,
  prefillPerTokenMs: 0.01,
  jitterFraction: 0.1,
};

describe('step cost', () => {
  it.each([
    [0, 0, 0],
    [1, 0, 2.5],
    [4, 0, 4],
    [6, 0, 2 + 3 + 2],
    [1, 1000, 2.5 + 10],
    [0, 100, 3],
  ])('B=%i, T=%i → %f ms', (batchSeqs, prefillTokens, expected) => {
    expect(meanStepMs(profile, { batchSeqs, prefillTokens })).toBeCloseTo(expected, 9);
  });

  it('jitter scales the mean by 1 ± jitterFraction', () => {
    const shape = { batchSeqs: 1, prefillTokens: 0 };
    expect(stepMs(profile, shape, 0)).toBeCloseTo(2.5 * 0.9, 9);
    expect(stepMs(profile, shape, 0.5)).toBeCloseTo(2.5, 9);
    expect(stepMs(profile, shape, 0.999999)).toBeCloseTo(2.5 * 1.1, 4);
  });
});
