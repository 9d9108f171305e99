// What one shard of a sharded bench-serve run (SPEC §9) writes beside its raw request records:
// which part of which plan it ran (shard i of N, seed, the plan and its hash), the shared start,
// and the wall-clock anchor that puts its monotonic times on one clock with the other shards.

import { createHash } from 'node:crypto';
import { z } from 'zod';
import { EnvSchema, SloSchema } from '../schema/bench-report.js';
import { RepeatWindowSchema } from '../schema/request-record.js';

export const SHARD_MANIFEST_FILE = 'shard.json';
export const SHARD_MANIFEST_VERSION = 1;

/** `--shard i/N` → {index, count}; a problem naming the flag otherwise. */
export function parseShardFlag(raw: string): { index: number; count: number } | string {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(raw);
  const index = m === null ? Number.NaN : Number(m[1]);
  const count = m === null ? Number.NaN : Number(m[2]);
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(count) || count < 1 || index >= count)
    return `--shard ${JSON.stringify(raw)}: expected i/N with 0 ≤ i < N, e.g. 0/4`;
  return { index, count };
}

/**
 * Everything that must be equal in every shard of one run: the same seeded schedule and prompts,
 * the same server, model and SLO. Its hash is what `goodput merge` compares first.
 */
export const ShardPlanSchema = z.looseObject({
  seed: z.int().min(0),
  shards: z.int().min(1),
  cell_key: z.string(),
  scenario: z.string(),
  /** closed: {kind, concurrency}; open: {kind, rate_rps, arrivals, …} */
  load: z.looseObject({ kind: z.string() }),
  /** measured requests of the whole run (every shard together) */
  requests: z.int().min(1),
  warmup_requests: z.int().min(0),
  dataset: z.looseObject({ name: z.string() }),
  base_url: z.string(),
  model: z.string(),
  endpoint: z.string(),
  slo: SloSchema,
});
export type ShardPlan = z.infer<typeof ShardPlanSchema>;

/** Keys sorted at every level, so the hash does not depend on the order a producer wrote them in. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value !== null && typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .filter((k) => obj[k] !== undefined)
        .map((k) => [k, canonical(obj[k])]),
    );
  }
  return value;
}

/** `sha256:` + hex SHA-256 of the plan's canonical JSON. */
export function shardPlanHash(plan: ShardPlan): string {
  return `sha256:${createHash('sha256')
    .update(JSON.stringify(canonical(plan)))
    .digest('hex')}`;
}

export const ShardClockSchema = z.looseObject({
  /** a wall-clock reading (ms since the epoch) … */
  epoch_ms: z.number(),
  /** … and the monotonic reading (the records' clock) taken at the same instant */
  monotonic_ms: z.number(),
  /** half the bracket of the two readings plus Date.now()'s 0.5 ms resolution */
  uncertainty_ms: z.number().min(0),
});
export type ShardClock = z.infer<typeof ShardClockSchema>;

export const ShardManifestSchema = z.looseObject({
  kind: z.literal('goodput-shard'),
  version: z.literal(SHARD_MANIFEST_VERSION),
  shard: z.int().min(0),
  shards: z.int().min(1),
  plan_hash: z.string(),
  plan: ShardPlanSchema,
  /** --start-at: the wall-clock instant (epoch ms) every shard's measured phase starts at */
  start_at_ms: z.number(),
  clock: ShardClockSchema,
  /** how late this shard's measured phase actually started (≥ 0; 0 when on time) */
  started_late_ms: z.number().min(0),
  /** this shard's measured window, monotonic clock */
  window: RepeatWindowSchema,
  /** what computeMetrics needs about the cell beyond the records */
  cell: z.looseObject({
    model: z.string(),
    backend: z.string(),
    concurrency: z.int().optional(),
    request_rate: z.number().optional(),
    n_prompt: z.int().optional(),
    n_gen: z.int(),
    env: EnvSchema,
    require_done: z.boolean(),
  }),
  /** run-level extension fields (dataset identity, server identity, warmup policy, load, …) */
  extension: z.record(z.string(), z.unknown()),
  tool_version: z.string(),
  command_line: z.array(z.string()),
  started_at: z.string(),
  finished_at: z.string(),
  interrupted: z.boolean().optional(),
});
export type ShardManifest = z.infer<typeof ShardManifestSchema>;
