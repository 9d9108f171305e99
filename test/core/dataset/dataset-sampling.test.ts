import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  LazyShuffle,
  PROMPT_STREAM_PURPOSES,
  promptStream,
  uniformBelow,
  uniformInclusive,
} from '../../../src/core/dataset/dataset-sampling.js';
import type { RandomSource } from '../../../src/core/random/random-source.js';
import { deriveStream } from '../../../src/core/random/streams.js';

function take(rng: RandomSource, n: number): number[] {
  return Array.from({ length: n }, () => rng.nextUint32());
}

describe('prompt streams', () => {
  it('are the documented core/random streams: (seed, "prompts" | "prompts:warmup", cell, repeat)', () => {
    expect(take(promptStream(42, 'closed:c=4', 2, 'measured'), 8)).toEqual(
      take(deriveStream({ seed: 42, purpose: 'prompts', cell: 'closed:c=4', repeat: 2 }), 8),
    );
    expect(take(promptStream(42, 'closed:c=4', 2, 'warmup'), 8)).toEqual(
      take(deriveStream({ seed: 42, purpose: 'prompts:warmup', cell: 'closed:c=4', repeat: 2 }), 8),
    );
    expect(PROMPT_STREAM_PURPOSES).toEqual({ measured: 'prompts', warmup: 'prompts:warmup' });
  });

  it('differ by seed, cell, repeat and kind', () => {
    const base = take(promptStream(1, 'a', 1, 'measured'), 4);
    expect(take(promptStream(2, 'a', 1, 'measured'), 4)).not.toEqual(base);
    expect(take(promptStream(1, 'b', 1, 'measured'), 4)).not.toEqual(base);
    expect(take(promptStream(1, 'a', 2, 'measured'), 4)).not.toEqual(base);
    expect(take(promptStream(1, 'a', 1, 'warmup'), 4)).not.toEqual(base);
  });
});

describe('uniform integers', () => {
  it('uniformBelow stays in [0, n) and covers every value', () => {
    const rng = deriveStream({ seed: 5, purpose: 't' });
    const counts = new Array(7).fill(0);
    for (let i = 0; i < 7000; i++) counts[uniformBelow(rng, 7)]++;
    for (const c of counts) expect(c).toBeGreaterThan(850); // expected 1000 each
  });

  it('rejects the values that would bias the modulo (n = 3·2^30: 2^30 of the 2^32 words)', () => {
    let calls = 0;
    const words = [0xffffffff, 0xc0000000, 5];
    const rng: RandomSource = { nextUint32: () => words[calls++] as number, nextFloat: () => 0 };
    expect(uniformBelow(rng, 3 * 2 ** 30)).toBe(5);
    expect(calls).toBe(3);
  });

  it('uniformInclusive draws nothing when the range has one value', () => {
    let calls = 0;
    const rng: RandomSource = {
      nextUint32: () => {
        calls++;
        return 0;
      },
      nextFloat: () => 0,
    };
    expect(uniformInclusive(rng, 9, 9)).toBe(9);
    expect(calls).toBe(0);
    expect(uniformInclusive(rng, 3, 4)).toBe(3);
  });

  it('refuses a range it cannot draw from', () => {
    const rng = deriveStream({ seed: 1, purpose: 't' });
    expect(() => uniformBelow(rng, 0)).toThrow(RangeError);
    expect(() => uniformBelow(rng, 2 ** 32 + 1)).toThrow(RangeError);
  });
});

describe('LazyShuffle', () => {
  it('yields a permutation of 0..n−1, then undefined', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 1000 }), (n, seed) => {
        const shuffle = new LazyShuffle(deriveStream({ seed, purpose: 'shuffle' }), n);
        const seen: number[] = [];
        for (let i = shuffle.next(); i !== undefined; i = shuffle.next()) seen.push(i);
        expect(seen.slice().sort((a, b) => a - b)).toEqual(Array.from({ length: n }, (_, i) => i));
        expect(shuffle.next()).toBeUndefined();
      }),
      { numRuns: 100 },
    );
  });

  it('puts every element first about equally often', () => {
    const firsts = new Array(5).fill(0);
    for (let seed = 0; seed < 5000; seed++)
      firsts[new LazyShuffle(deriveStream({ seed, purpose: 's' }), 5).next() as number]++;
    for (const c of firsts) expect(c).toBeGreaterThan(880); // expected 1000
  });
});
