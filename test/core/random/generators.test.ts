// Reference sequences computed with an independent Python implementation (arbitrary-precision
// integers) of SplitMix64, FNV-1a 64, xoshiro128** and the stream derivation of streams.ts.

import { describe, expect, it } from 'vitest';
import { SplitMix64 } from '../../../src/core/random/splitmix64.js';
import { deriveStream, fnv1a64, streamKey } from '../../../src/core/random/streams.js';
import { u64FromSafeInteger, u64ToHex } from '../../../src/core/random/uint64.js';
import { Xoshiro128StarStar } from '../../../src/core/random/xoshiro128.js';

describe('SplitMix64', () => {
  it.each([
    [0, ['e220a8397b1dcdaf', '6e789e6aa1b965f4', '06c45d188009454f']],
    [1234567, ['599ed017fb08fc85', '2c73f08458540fa5', '883ebce5a3f27c77']],
    [2 ** 53 - 1, ['24b94facefb6559f', '30c3f2f9b73ff198', '8784e19b83f9875c']],
  ])('seed %d gives the reference outputs', (seed, expected) => {
    const sm = new SplitMix64(u64FromSafeInteger(seed));
    expect(expected.map(() => u64ToHex(sm.next()))).toEqual(expected);
  });
});

describe('FNV-1a 64', () => {
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
    ['é', '0ac21707b7181e01'],
  ])('hashes %j', (text, hex) => {
    expect(u64ToHex(fnv1a64(text))).toBe(hex);
  });

  it('answers from its memo exactly as computed', () => {
    expect(fnv1a64('foobar')).toBe(fnv1a64('foobar'));
    expect(u64ToHex(fnv1a64('foobar'))).toBe('85944171f73967e8');
    // more distinct strings than the memo holds: it starts over, every answer still right
    for (let i = 0; i < 600; i++) fnv1a64(`purpose-${i}`);
    expect(u64ToHex(fnv1a64('a'))).toBe('af63dc4c8601ec8c');
    expect(u64ToHex(fnv1a64('é'))).toBe('0ac21707b7181e01');
  });
});

describe('xoshiro128**', () => {
  it('gives the reference outputs from state 1, 2, 3, 4', () => {
    const x = new Xoshiro128StarStar(1, 2, 3, 4);
    expect(Array.from({ length: 6 }, () => x.nextUint32())).toEqual([
      11520, 0, 5927040, 70819200, 2031721883, 1637235492,
    ]);
  });
  it('refuses the all-zero state', () => {
    expect(() => new Xoshiro128StarStar(0, 0, 0, 0)).toThrow(RangeError);
  });
  it('maps to [0, 1) with 53-bit floats whose mean and variance are uniform', () => {
    const x = new Xoshiro128StarStar(9, 8, 7, 6);
    let sum = 0;
    let sq = 0;
    let outside = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      const u = x.nextFloat();
      if (!(u >= 0 && u < 1)) outside++;
      sum += u;
      sq += u * u;
    }
    expect(outside).toBe(0);
    expect(Math.abs(sum / n - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sq / n - sum ** 2 / n ** 2 - 1 / 12)).toBeLessThan(0.002);
  });
});

describe('stream derivation (seed, purpose, cell, repeat)', () => {
  it('follows the recorded derivation exactly', () => {
    const id = { seed: 42, purpose: 'arrivals', cell: 'c=4', repeat: 1 };
    expect(u64ToHex(streamKey(id))).toBe('d137659af8d1a364');
    const rng = deriveStream(id);
    expect(Array.from({ length: 4 }, () => rng.nextUint32())).toEqual([
      195178910, 107018955, 2894390875, 884392627,
    ]);
  });
  it('gives the same sequence for the same id and different ones for any other component', () => {
    const first = (id: Parameters<typeof deriveStream>[0]) => {
      const r = deriveStream(id);
      return Array.from({ length: 4 }, () => r.nextUint32());
    };
    const base = { seed: 7, purpose: 'arrivals', cell: 'rate=4', repeat: 2 };
    expect(first(base)).toEqual(first({ ...base }));
    const variants = [
      { ...base, seed: 8 },
      { ...base, purpose: 'prompts' },
      { ...base, cell: 'rate=8' },
      { ...base, repeat: 3 },
    ];
    const seen = new Set([JSON.stringify(first(base)), ...variants.map((v) => JSON.stringify(first(v)))]);
    expect(seen.size).toBe(5);
  });
});
