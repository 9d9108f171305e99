import { describe, expect, it } from 'vitest';
import { SampleBuffer } from '../../../src/core/stats/sample-buffer.js';

describe('SampleBuffer', () => {
  it('grows past its capacity and keeps every value in order', () => {
    const b = new SampleBuffer(16);
    for (let i = 0; i < 1000; i++) b.push(i * 0.5);
    expect(b.length).toBe(1000);
    expect(b.view(998)).toEqual(Float64Array.from([499, 499.5]));
    expect(b.view().reduce((a, v) => a + v, 0)).toBe(0.5 * ((999 * 1000) / 2));
  });
  it('returns a live view: sorting a segment sorts the buffer', () => {
    const b = new SampleBuffer();
    for (const v of [5, 1, 9, 3]) b.push(v);
    b.view(1, 4).sort();
    expect(Array.from(b.view())).toEqual([5, 1, 3, 9]);
  });
});
