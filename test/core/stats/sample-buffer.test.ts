import { describe, expect, it } from 'vitest';
import { CHUNK_LENGTH, SampleBuffer } from '../../../src/core/stats/sample-buffer.js';

function joined(parts: readonly Float64Array[]): number[] {
  return parts.flatMap((p) => Array.from(p));
}

describe('SampleBuffer', () => {
  it('grows past its expected length and keeps every value in order', () => {
    const b = new SampleBuffer(16);
    for (let i = 0; i < 1000; i++) b.push(i * 0.5);
    expect(b.length).toBe(1000);
    expect(joined(b.parts(998))).toEqual([499, 499.5]);
    expect(joined(b.parts()).reduce((a, v) => a + v, 0)).toBe(0.5 * ((999 * 1000) / 2));
  });

  it('is empty before the first push', () => {
    const b = new SampleBuffer();
    expect(b.length).toBe(0);
    expect(b.parts()).toEqual([]);
  });

  it('keeps full chunks in place and returns one view per chunk a range touches', () => {
    const b = new SampleBuffer(1000);
    const n = 2 * CHUNK_LENGTH + 10;
    for (let i = 0; i < n; i++) b.push(i);
    expect(b.length).toBe(n);
    const all = b.parts();
    expect(all.map((p) => p.length)).toEqual([CHUNK_LENGTH, CHUNK_LENGTH, 10]);
    // views, not copies: writing through one shows in the next read
    (all[1] as Float64Array)[0] = -1;
    expect(b.parts(CHUNK_LENGTH, CHUNK_LENGTH + 1)[0]?.[0]).toBe(-1);
    const across = b.parts(CHUNK_LENGTH - 2, CHUNK_LENGTH + 2);
    expect(across.map((p) => Array.from(p))).toEqual([
      [CHUNK_LENGTH - 2, CHUNK_LENGTH - 1],
      [-1, CHUNK_LENGTH + 1],
    ]);
    expect(joined(b.parts(n - 3))).toEqual([n - 3, n - 2, n - 1]);
    expect(b.parts(5, 5)).toEqual([]);
  });

  it('pushes a run of values at once, across a chunk boundary', () => {
    const b = new SampleBuffer(CHUNK_LENGTH);
    for (let i = 0; i < CHUNK_LENGTH - 2; i++) b.push(0);
    const run = Float64Array.from([1, 2, 3, 4, 5, 6, 7]);
    b.pushMany(run, 5); // only the first five
    expect(b.length).toBe(CHUNK_LENGTH + 3);
    expect(b.parts(CHUNK_LENGTH - 3).map((p) => Array.from(p))).toEqual([
      [0, 1, 2],
      [3, 4, 5],
    ]);
  });
});
