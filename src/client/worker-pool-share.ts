// Which worker thread sends which request of one repeat (SPEC §3.9): thread w of W takes the
// global indices w, w + W, w + 2W, … of both the warmup and the measured phase — the striped
// execution segments of core/schedule/shard.ts, so an open loop's threads each follow 1/W of the
// one seeded schedule at its original offsets, and a closed loop's K streams are split as evenly
// as they go. The shares together hold every planned request exactly once, under its own id.

import { shardSchedule } from '../core/schedule/shard.js';
import type { RepeatPlan } from './repeat-runner.js';

/** A plan as a worker receives it: plain data (no hooks) plus its share. */
export type SharedRepeatPlan = Omit<RepeatPlan, 'measuredWindow'>;

/** How many of `total` items fall to thread `w` of `threads` when dealt round-robin. */
export function dealtCount(total: number, w: number, threads: number): number {
  return total <= w ? 0 : Math.floor((total - 1 - w) / threads) + 1;
}

/** Threads worth starting for `plan`: never more than a closed loop has streams. */
export function usefulThreads(plan: SharedRepeatPlan, threads: number): number {
  return plan.load.kind === 'closed' ? Math.max(1, Math.min(threads, plan.load.concurrency)) : threads;
}

/**
 * Thread `w`'s share of `plan` among `threads`: closed loop, ⌈K/W⌉ or ⌊K/W⌋ streams and its dealt
 * part of the count; open loop, its shard of the warmup and measured offsets and of the in-flight
 * cap. The prompts stay whole: request i still gets prompt i (repeat-runner maps local to global
 * indices through `share`, and deals the closed-loop warmup the same way).
 */
export function shareOfPlan(plan: SharedRepeatPlan, w: number, threads: number): SharedRepeatPlan {
  const share = { thread: w, threads };
  const preconnect = {
    ...plan.preconnect,
    count: Math.max(1, dealtCount(plan.preconnect.count, w, threads)),
  };
  const { measuredWindow: _hooks, ...data } = plan as RepeatPlan;
  if (plan.load.kind === 'closed') {
    const load = plan.load;
    return {
      ...data,
      share,
      preconnect,
      load: {
        kind: 'closed',
        concurrency: Math.max(1, dealtCount(load.concurrency, w, threads)),
        ...(load.count === undefined ? {} : { count: dealtCount(load.count, w, threads) }),
        ...(load.durationMs === undefined ? {} : { durationMs: load.durationMs }),
      },
    };
  }
  const load = plan.load;
  return {
    ...data,
    share,
    preconnect,
    load: {
      kind: 'open',
      offsetsMs: shardSchedule(load.offsetsMs, w, threads).offsetsMs,
      warmupOffsetsMs: shardSchedule(load.warmupOffsetsMs, w, threads).offsetsMs,
      ...(load.maxConcurrency === undefined
        ? {}
        : { maxConcurrency: Math.max(1, dealtCount(load.maxConcurrency, w, threads)) }),
    },
  };
}
