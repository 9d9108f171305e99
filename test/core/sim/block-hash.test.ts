import { describe, expect, it } from 'vitest';
import { promptBlockHashes } from '../../../src/core/sim/block-hash.js';

const range = (from: number, n: number) => Array.from({ length: n }, (_, i) => from + i);

describe('prompt block hashes', () => {
  it('has one key per full block only', () => {
    expect(promptBlockHashes(range(0, 47), 16)).toHaveLength(2);
    expect(promptBlockHashes(range(0, 48), 16)).toHaveLength(3);
    expect(promptBlockHashes(range(0, 15), 16)).toHaveLength(0);
  });

  it('shares keys over a shared prefix and differs from the first differing block on', () => {
    const a = promptBlockHashes([...range(0, 40), ...range(1000, 24)], 16);
    const b = promptBlockHashes([...range(0, 40), ...range(2000, 24)], 16);
    expect(a.slice(0, 2)).toEqual(b.slice(0, 2));
    expect(a[2]).not.toBe(b[2]);
    expect(a[3]).not.toBe(b[3]);
  });

  it('chains: the same block after a different prefix has a different key', () => {
    const a = promptBlockHashes([...range(0, 16), ...range(500, 16)], 16);
    const b = promptBlockHashes([...range(100, 16), ...range(500, 16)], 16);
    expect(a[1]).not.toBe(b[1]);
  });

  it('keys are safe integers and deterministic', () => {
    const ids = range(7, 160);
    const keys = promptBlockHashes(ids, 16);
    expect(keys.every(Number.isSafeInteger)).toBe(true);
    expect(promptBlockHashes(ids, 16)).toEqual(keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
