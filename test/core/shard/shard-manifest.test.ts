// The shard flag syntax and the plan hash that tells merge whether shards belong to one run.

import { describe, expect, it } from 'vitest';
import { parseShardFlag, type ShardPlan, shardPlanHash } from '../../../src/core/shard/shard-manifest.js';

const plan: ShardPlan = {
  seed: 5,
  shards: 2,
  cell_key: 'open:rate=40',
  scenario: 'open_loop',
  load: { kind: 'open', rate_rps: 40, requests: 30 },
  requests: 30,
  warmup_requests: 2,
  dataset: { name: 'random', params: { input_len: 24 } },
  base_url: 'http://127.0.0.1:8000',
  model: 'm',
  endpoint: 'chat',
  slo: { ttft_p99_ms: 500, tpot_p99_ms: 50, e2e_p99_ms: 9000 },
};

describe('parseShardFlag', () => {
  it.each([
    ['0/1', { index: 0, count: 1 }],
    ['3/4', { index: 3, count: 4 }],
    [' 1 / 2 ', { index: 1, count: 2 }],
  ])('%j → %j', (raw, want) => expect(parseShardFlag(raw)).toEqual(want));
  it.each(['4/4', '0/0', '-1/2', '1', 'a/b', '1/2/3'])('%j is a problem naming --shard', (raw) => {
    expect(parseShardFlag(raw)).toMatch(/^--shard ".*": expected i\/N with 0 ≤ i < N/);
  });
});

describe('shardPlanHash', () => {
  it('does not depend on key order, and changes with any field', () => {
    const reordered = Object.fromEntries(Object.entries(plan).reverse()) as ShardPlan;
    expect(shardPlanHash(reordered)).toBe(shardPlanHash(plan));
    expect(shardPlanHash(plan)).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(shardPlanHash({ ...plan, seed: 6 })).not.toBe(shardPlanHash(plan));
    expect(shardPlanHash({ ...plan, load: { ...plan.load, rate_rps: 41 } })).not.toBe(shardPlanHash(plan));
  });
});
