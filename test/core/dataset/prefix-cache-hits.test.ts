import { describe, expect, it } from 'vitest';
import { findCapacityCliff } from '../../../src/core/dataset/capacity-cliff.js';
import {
  hitRatioFromScrapes,
  hitRatioFromUsage,
  splitPrefixTtft,
} from '../../../src/core/dataset/prefix-cache-hits.js';

describe('hit ratio', () => {
  it('from usage: Σ cached / Σ prompt over the requests that reported both', () => {
    expect(
      hitRatioFromUsage([
        { cachedTokens: 0, promptTokens: 100 },
        { cachedTokens: 96, promptTokens: 100 },
        { cachedTokens: 96, promptTokens: 100 },
        { promptTokens: 100 }, // no prompt_tokens_details: says nothing
        { cachedTokens: 96, promptTokens: 100 },
      ]),
    ).toEqual({ hitTokens: 288, queryTokens: 400, ratio: 0.72, reportingRequests: 4 });
    expect(hitRatioFromUsage([{ promptTokens: 5 }])).toEqual({
      hitTokens: 0,
      queryTokens: 0,
      ratio: null,
      reportingRequests: 0,
    });
  });

  it('from two /metrics scrapes: Δhits / Δqueries; a counter that went down is a reset, not a ratio', () => {
    expect(hitRatioFromScrapes({ hits: 1000, queries: 4000 }, { hits: 1750, queries: 5000 })).toEqual({
      hitTokens: 750,
      queryTokens: 1000,
      ratio: 0.75,
      reset: false,
    });
    expect(hitRatioFromScrapes({ hits: 10, queries: 10 }, { hits: 10, queries: 10 }).ratio).toBeNull();
    expect(hitRatioFromScrapes({ hits: 1000, queries: 4000 }, { hits: 5, queries: 20 })).toEqual({
      hitTokens: 0,
      queryTokens: 0,
      ratio: null,
      reset: true,
    });
  });
});

describe('miss vs warm TTFT split', () => {
  const requests = [
    { ok: true, ttftMs: 100, isPrefixFirst: true, cachedTokens: 0 },
    { ok: true, ttftMs: 120, isPrefixFirst: true, cachedTokens: 0 },
    { ok: true, ttftMs: 20, isPrefixFirst: false, cachedTokens: 496 },
    { ok: true, ttftMs: 30, isPrefixFirst: false, cachedTokens: 496 },
    { ok: true, ttftMs: 40, isPrefixFirst: false, cachedTokens: 496 },
    { ok: true, ttftMs: 90, isPrefixFirst: false, cachedTokens: 16 }, // evicted: a miss despite its position
    { ok: false, ttftMs: 5, isPrefixFirst: false }, // failed: excluded
  ];

  it('by position (first request of each group vs the rest) and by the cached tokens the server saw', () => {
    const split = splitPrefixTtft(requests, 500);
    expect(split.first).toEqual({ n: 2, meanMs: 110, p50Ms: 110, p90Ms: 118, p99Ms: 119.8 });
    expect(split.rest).toEqual({ n: 4, meanMs: 45, p50Ms: 35, p90Ms: 75, p99Ms: 88.5 });
    expect(split.observed?.hit).toMatchObject({ n: 3, meanMs: 30, p50Ms: 30, p90Ms: 38 });
    expect(split.observed?.hit.p99Ms).toBeCloseTo(39.8, 12); // 30·0.02 + 40·0.98
    expect(split.observed?.miss.n).toBe(3);
    expect(split.observed?.miss.p50Ms).toBe(100);
    expect(split.warmSpeedup).toBeCloseTo(110 / 35, 12);
  });

  it('without cached_tokens there is no observed split; an empty side has n = 0 and no numbers', () => {
    const split = splitPrefixTtft([{ ok: true, ttftMs: 10, isPrefixFirst: false }], 64);
    expect(split.observed).toBeUndefined();
    expect(split.first).toEqual({ n: 0 });
    expect(split.warmSpeedup).toBeUndefined();
  });
});

/** LRU over prefix blocks, requests round-robin over `groups` prefixes of `blocks` blocks each. */
function lruHitRatio(
  groups: number,
  blocksPerPrefix: number,
  capacityBlocks: number,
  rounds: number,
): number {
  const cache = new Map<string, true>();
  let hits = 0;
  let queries = 0;
  for (let r = 0; r < rounds; r++) {
    for (let g = 0; g < groups; g++) {
      for (let b = 0; b < blocksPerPrefix; b++) {
        const key = `${g}:${b}`;
        queries++;
        if (cache.has(key)) {
          hits++;
          cache.delete(key);
        }
        cache.set(key, true);
        if (cache.size > capacityBlocks) cache.delete(cache.keys().next().value as string);
      }
    }
  }
  return hits / queries;
}

describe('capacity cliff over a working-set sweep', () => {
  it('finds the drop and interpolates the capacity where the ratio crosses half the plateau', () => {
    const got = findCapacityCliff([
      { workingSetTokens: 4096, hitRatio: 0.5 }, // given out of order on purpose
      { workingSetTokens: 1024, hitRatio: 0.9 },
      { workingSetTokens: 2048, hitRatio: 0.85 },
      { workingSetTokens: 8192, hitRatio: 0.05 },
      { workingSetTokens: 16384, hitRatio: null },
    ]);
    expect(got.points.map((p) => p.workingSetTokens)).toEqual([1024, 2048, 4096, 8192]);
    expect(got.plateauHitRatio).toBe(0.9);
    expect(got.thresholdHitRatio).toBeCloseTo(0.45, 12);
    expect(got.cliff?.lastGood).toEqual({ workingSetTokens: 4096, hitRatio: 0.5 });
    expect(got.cliff?.firstBad).toEqual({ workingSetTokens: 8192, hitRatio: 0.05 });
    // 0.5 → 0.05 over 4096 tokens; 0.45 is 1/9 of the way: 4096 + 4096/9.
    expect(got.cliff?.estimatedCapacityTokens).toBeCloseTo(4096 + 4096 / 9, 9);
  });

  it('locates a real LRU cache (capacity 64 blocks of 16 tokens) between the last fitting and first thrashing working set', () => {
    const blocksPerPrefix = 8; // 128-token prefixes
    const points = [2, 4, 6, 7, 8, 9, 12, 16].map((groups) => ({
      workingSetTokens: groups * blocksPerPrefix * 16,
      hitRatio: lruHitRatio(groups, blocksPerPrefix, 64, 10),
    }));
    const got = findCapacityCliff(points);
    expect(got.plateauHitRatio).toBeCloseTo(0.9, 12); // 9 warm rounds of 10
    expect(got.cliff?.lastGood.workingSetTokens).toBe(1024); // 8 groups × 8 blocks = 64 blocks: fits exactly
    expect(got.cliff?.firstBad).toEqual({ workingSetTokens: 1152, hitRatio: 0 }); // 72 blocks: LRU thrashes
    const capacityTokens = 64 * 16;
    expect(got.cliff?.estimatedCapacityTokens).toBeGreaterThanOrEqual(capacityTokens);
    expect(got.cliff?.estimatedCapacityTokens).toBeLessThan(1152);
  });

  it('says why when there is no cliff', () => {
    expect(findCapacityCliff([{ workingSetTokens: 1, hitRatio: 0.5 }]).reason).toMatch(/fewer than two/);
    expect(
      findCapacityCliff([
        { workingSetTokens: 1, hitRatio: 0 },
        { workingSetTokens: 2, hitRatio: 0 },
      ]).reason,
    ).toMatch(/no hits at any working-set size/);
    const flat = findCapacityCliff([
      { workingSetTokens: 1, hitRatio: 0.9 },
      { workingSetTokens: 2, hitRatio: 0.8 },
    ]);
    expect(flat.cliff).toBeNull();
    expect(flat.reason).toMatch(/still fits/);
    expect(() => findCapacityCliff([], 1)).toThrow(RangeError);
  });

  it('averages repeated working sets', () => {
    const got = findCapacityCliff([
      { workingSetTokens: 10, hitRatio: 0.8 },
      { workingSetTokens: 10, hitRatio: 1 },
      { workingSetTokens: 20, hitRatio: 0.1 },
    ]);
    expect(got.points[0]).toEqual({ workingSetTokens: 10, hitRatio: 0.9 });
    expect(got.cliff?.firstBad.workingSetTokens).toBe(20);
  });
});
