import { describe, expect, it } from 'vitest';
import { collectSpans } from '../../../src/core/trace/trace-spans.js';

describe('collectSpans', () => {
  it('keeps complete events with a duration and an integer tid; ts only when finite and numeric', () => {
    const set = collectSpans([
      { name: 'attn', cat: 'attn', ph: 'X', ts: 5, dur: 3, tid: '2' },
      { name: 'step', ph: 'X', ts: '7', dur: 1, tid: 0 },
      { name: 'x', cat: 'decode_step', ph: 'X', ts: Number.NaN, dur: 0, tid: 1 },
      { name: 'bad', ph: 'X', ts: 1, dur: -1, tid: 0 },
      { name: 'bad', ph: 'X', ts: 1, dur: 1, tid: 1.5 },
      { name: 'meta', ph: 'M', tid: 0 },
    ]);
    expect(set.spans).toEqual([
      { name: 'attn', tid: 2, tsUs: 5, durUs: 3, category: 'attention', rawCategory: 'attn', known: true },
      {
        name: 'step',
        tid: 0,
        tsUs: undefined,
        durUs: 1,
        category: 'other',
        rawCategory: 'step',
        known: false,
      },
      {
        name: 'x',
        tid: 1,
        tsUs: undefined,
        durUs: 0,
        category: 'other',
        rawCategory: 'decode_step',
        known: false,
      },
    ]);
    expect(set.skipped).toEqual({ notComplete: 1, badDuration: 1, badTid: 1 });
  });

  it('a name-prefix filter drops events without counting them as skipped', () => {
    const set = collectSpans(
      [
        { name: 'decode.attn', cat: 'attention', ph: 'X', ts: 0, dur: 1, tid: 0 },
        { name: 'prefill.attn', cat: 'attention', ph: 'X', ts: 0, dur: 1, tid: 0 },
      ],
      { namePrefixes: ['decode.'] },
    );
    expect(set.spans.map((s) => s.name)).toEqual(['decode.attn']);
    expect(set.skipped).toEqual({ notComplete: 0, badDuration: 0, badTid: 0 });
  });
});
