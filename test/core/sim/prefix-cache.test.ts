import { describe, expect, it } from 'vitest';
import { PrefixCache } from '../../../src/core/sim/prefix-cache.js';

describe('prefix cache (LRU of block keys)', () => {
  it('counts only the leading run of cached blocks, up to maxBlocks', () => {
    const cache = new PrefixCache(100);
    cache.insert([1, 2, 3, 4]);
    expect(cache.lookup([1, 2, 3, 4], 10)).toBe(4);
    expect(cache.lookup([1, 2, 9, 4], 10)).toBe(2);
    expect(cache.lookup([9, 1, 2], 10)).toBe(0);
    expect(cache.lookup([1, 2, 3, 4], 3)).toBe(3);
  });

  it('evicts the least recently used block beyond capacity; a lookup refreshes', () => {
    const cache = new PrefixCache(3);
    cache.insert([1, 2, 3]);
    expect(cache.lookup([1], 1)).toBe(1); // 1 is now most recent
    cache.insert([4]); // evicts 2
    expect(cache.sizeBlocks).toBe(3);
    expect(cache.lookup([1], 1)).toBe(1);
    expect(cache.lookup([2], 1)).toBe(0);
    expect(cache.lookup([3], 1)).toBe(1);
    expect(cache.lookup([4], 1)).toBe(1);
  });

  it('falls off a cliff when a cyclic working set exceeds capacity', () => {
    const prefixes = [
      [10, 11, 12, 13],
      [20, 21, 22, 23],
      [30, 31, 32, 33],
    ];
    const hitsWith = (capacity: number) => {
      const cache = new PrefixCache(capacity);
      let hits = 0;
      for (let round = 0; round < 5; round++) {
        for (const p of prefixes) {
          hits += cache.lookup(p, 4);
          cache.insert(p);
        }
      }
      return hits;
    };
    expect(hitsWith(12)).toBe(4 * 3 * 4); // everything after the first round hits
    expect(hitsWith(11)).toBe(0); // one block short: LRU evicts each prefix before its reuse
  });

  it('capacity 0 disables caching', () => {
    const cache = new PrefixCache(0);
    cache.insert([1, 2]);
    expect(cache.lookup([1, 2], 2)).toBe(0);
  });
});
