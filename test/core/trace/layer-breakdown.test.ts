import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATEGORY_ALIASES, lookupCategory, TRACE_CATEGORIES } from '../../../src/core/trace/category-map.js';
import { layerBreakdown } from '../../../src/core/trace/layer-breakdown.js';

const here = dirname(fileURLToPath(import.meta.url));
const FIXTURE = resolve(here, '../../../../shared/fixtures/ferrum/trace/m3_layerwise_trace.json');

describe('category map', () => {
  it.each([
    ['attn', 'attention'],
    ['Attention', 'attention'],
    [' ATTN ', 'attention'],
    ['moe_prefill', 'moe'],
    ['moe_batched', 'moe'],
    ['rms_norm', 'norm'],
    ['matmul', 'gemm'],
    ['allreduce', 'comm'],
  ])('%j → %s', (raw, category) => {
    expect(lookupCategory(raw)).toBe(category);
  });

  it.each(['interaction', 'gemm_moe', 'decode_step', 'attention_extra'])(
    '%j is not matched by substring',
    (raw) => {
      expect(lookupCategory(raw)).toBeUndefined();
    },
  );

  it('every alias belongs to exactly one category', () => {
    const all = TRACE_CATEGORIES.flatMap((c) => CATEGORY_ALIASES[c]);
    expect(new Set(all).size).toBe(all.length);
    for (const c of TRACE_CATEGORIES) expect(lookupCategory(c)).toBe(c);
  });
});

describe('layerBreakdown', () => {
  it('sums by tid and category; unknown categories go to other and are listed', () => {
    const b = layerBreakdown([
      { name: 'attn', cat: 'attn', ph: 'X', ts: 0, dur: 30, pid: 0, tid: 1 },
      { name: 'moe', cat: 'moe', ph: 'X', ts: 0, dur: 50, pid: 0, tid: 1 },
      { name: 'x', cat: 'decode_step', ph: 'X', ts: 0, dur: 20, pid: 0, tid: 0 },
      { name: 'rmsnorm', ph: 'X', ts: 0, dur: 100, pid: 0, tid: '2' },
      { name: 'meta', ph: 'M', pid: 0, tid: 0, args: {} },
      { name: 'bad', cat: 'moe', ph: 'X', ts: 0, dur: 'x', pid: 0, tid: 0 },
      { name: 'bad', cat: 'moe', ph: 'X', ts: 0, dur: 1, pid: 0, tid: 'main' },
      'junk',
    ]);
    expect(b.totalUs).toBe(200);
    expect(b.categories).toEqual(['attention', 'moe', 'norm', 'other']);
    expect(b.totalsUs.attention).toBe(30);
    expect(b.shares.norm).toBe(0.5);
    expect(b.layers.map((l) => [l.tid, l.totalUs, l.share])).toEqual([
      [0, 20, 0.1],
      [1, 80, 0.4],
      [2, 100, 0.5],
    ]);
    expect(b.unknownCategories).toEqual([{ raw: 'decode_step', events: 1, us: 20 }]);
    expect(b.events).toBe(4);
    expect(b.skipped).toEqual({ notComplete: 2, badDuration: 1, badTid: 1 });
  });

  it('filters by event-name prefix', () => {
    const b = layerBreakdown(
      [
        { name: 'prefill.attn', cat: 'attention', ph: 'X', dur: 5, tid: 0 },
        { name: 'decode.attn', cat: 'attention', ph: 'X', dur: 7, tid: 0 },
      ],
      { namePrefixes: ['decode.'] },
    );
    expect(b.totalUs).toBe(7);
  });

  it('on the ferrum fixture, attn/attention counts as attention and totals equal a direct sum', () => {
    const events = JSON.parse(readFileSync(FIXTURE, 'utf8')) as Array<{
      cat: string;
      dur: number;
      tid: number;
    }>;
    // independent sums straight from the file
    const direct = new Map<string, number>();
    const perTid = new Map<number, number>();
    for (const e of events) {
      direct.set(e.cat, (direct.get(e.cat) ?? 0) + e.dur);
      perTid.set(e.tid, (perTid.get(e.tid) ?? 0) + e.dur);
    }
    const b = layerBreakdown(events);
    expect(b.categories).toEqual(['attention', 'moe']);
    expect(b.totalsUs.attention).toBe(direct.get('attention'));
    expect(b.totalsUs.moe).toBe(direct.get('moe'));
    expect(b.totalsUs.other).toBe(0);
    expect(b.unknownCategories).toEqual([]);
    expect(b.layers).toHaveLength(48);
    for (const row of b.layers) expect(row.totalUs).toBe(perTid.get(row.tid));
    expect(b.shares.attention + b.shares.moe).toBeCloseTo(1, 12);
  });
});
