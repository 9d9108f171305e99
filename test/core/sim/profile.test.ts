import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { SIM_PRESET_NAMES, SIM_PRESETS, simPreset } from '../../../src/core/sim/presets.js';
import { parseProfileAssignments, resolveProfile } from '../../../src/core/sim/profile.js';
import { meanStepMs } from '../../../src/core/sim/step-cost.js';

function errorOf(fn: () => unknown): Error & { code?: string } {
  try {
    fn();
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected an error');
}

describe('simulator profile', () => {
  it('every preset is a valid profile', () => {
    for (const name of SIM_PRESET_NAMES) {
      expect(resolveProfile(simPreset(name), {}, name)).toEqual({ ...SIM_PRESETS[name] });
    }
  });

  it('presets have the advertised speeds', () => {
    const tiny = simPreset('tiny');
    // batch 1: TTFT for 1k prompt tokens in 1–5 ms, ~1 ms per token
    const tinyTtft = meanStepMs(tiny, { batchSeqs: 1, prefillTokens: 1000 });
    expect(tinyTtft).toBeGreaterThan(1);
    expect(tinyTtft).toBeLessThan(5);
    expect(meanStepMs(tiny, { batchSeqs: 1, prefillTokens: 0 })).toBeCloseTo(0.82, 6);
    const large = simPreset('large-slow');
    const perToken1 = meanStepMs(large, { batchSeqs: 1, prefillTokens: 0 });
    const perToken64 = meanStepMs(large, { batchSeqs: 64, prefillTokens: 0 });
    expect(perToken1).toBeGreaterThanOrEqual(30);
    expect(perToken64).toBeGreaterThan(perToken1);
    expect(perToken64).toBeLessThanOrEqual(60);
    expect(meanStepMs(large, { batchSeqs: 1, prefillTokens: 1000 }) - perToken1).toBeGreaterThanOrEqual(10);
    expect(meanStepMs(simPreset('instant'), { batchSeqs: 512, prefillTokens: 100_000 })).toBe(0);
  });

  it('overrides replace single fields', () => {
    const p = resolveProfile(simPreset('tiny'), { stepBaseMs: 3, maxRunningSeqs: 2 }, 'x.json');
    expect(p.stepBaseMs).toBe(3);
    expect(p.maxRunningSeqs).toBe(2);
    expect(p.blockSize).toBe(16);
  });

  it.each([
    [{ stepBaseMs: -1 }, 'stepBaseMs'],
    [{ maxRunningSeqs: 1.5 }, 'maxRunningSeqs'],
    [{ blockSize: 'big' }, 'blockSize'],
    [{ jitterFraction: 2 }, 'jitterFraction'],
    [{ stepsPerSecond: 3 }, 'stepsPerSecond'],
    [{ kvCacheBlocks: 10 }, 'kvCacheBlocks'],
  ])('rejects %j naming the field', (override, field) => {
    const e = errorOf(() => resolveProfile(simPreset('tiny'), override, 'my-profile.json'));
    expect(isGoodputError(e, 'INPUT_SCHEMA')).toBe(true);
    expect(e.message).toContain('my-profile.json');
    expect(e.message).toContain(field);
  });

  it('rejects a profile that is not an object', () => {
    const e = errorOf(() => resolveProfile(simPreset('tiny'), [1, 2], 'p.json'));
    expect(e.message).toContain('p.json: a simulator profile must be a JSON object');
  });

  it('parses --set assignments and rejects unknown fields and non-numbers', () => {
    expect(parseProfileAssignments(['stepBaseMs=2.5', 'maxRunningSeqs=8'])).toEqual({
      stepBaseMs: 2.5,
      maxRunningSeqs: 8,
    });
    expect(errorOf(() => parseProfileAssignments(['nope=1'])).message).toContain(
      'unknown profile field "nope"',
    );
    expect(errorOf(() => parseProfileAssignments(['stepBaseMs=fast'])).message).toContain(
      '"fast" is not a number',
    );
    expect(
      isGoodputError(
        errorOf(() => parseProfileAssignments(['stepBaseMs'])),
        'USAGE',
      ),
    ).toBe(true);
  });

  it('rejects an unknown preset with the list of names', () => {
    const e = errorOf(() => simPreset('huge'));
    expect(e.message).toContain('--preset huge');
    expect((e as { hint?: string }).hint).toContain('large-slow');
  });
});
