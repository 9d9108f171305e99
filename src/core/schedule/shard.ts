// Execution segments for sharded load generation (SPEC §9, k6's model): a deterministic partition
// of one schedule into N disjoint parts whose union is the whole schedule.

import { GoodputError } from '../errors.js';

// Shard i of N runs the
// requests whose global index j satisfies j mod N = i. For N equal segments this is exactly k6's
// striped ExecutionSegmentSequence: each shard's arrivals are spread over the whole run (every
// shard sees the same load shape at 1/N of the rate), the shards are disjoint, and their union is
// the whole schedule. Shards keep the global offsets, so a shared start time is all they need.

export interface ScheduleShard {
  /** 0-based shard number (a Kubernetes Indexed Job's completion index) */
  readonly shard: number;
  readonly shards: number;
  /** global request indices of this shard, ascending */
  readonly indices: number[];
  /** their send offsets (ms from the shared start), same order */
  readonly offsetsMs: number[];
}

/** The part of `offsetsMs` that shard `shard` (0-based) of `shards` sends. */
export function shardSchedule(offsetsMs: readonly number[], shard: number, shards: number): ScheduleShard {
  if (!Number.isInteger(shards) || shards < 1) {
    throw new GoodputError('USAGE', `shard count must be an integer ≥ 1, got ${shards}`, {
      hint: 'use --shard i/N with N ≥ 1',
    });
  }
  if (!Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new GoodputError('USAGE', `shard index must be an integer in 0..${shards - 1}, got ${shard}`, {
      hint: 'use --shard i/N with 0 ≤ i < N',
    });
  }
  const indices: number[] = [];
  const offsets: number[] = [];
  for (let j = shard; j < offsetsMs.length; j += shards) {
    indices.push(j);
    offsets.push(offsetsMs[j] as number);
  }
  return { shard, shards, indices, offsetsMs: offsets };
}
