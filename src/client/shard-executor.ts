// One shard of a sharded bench-serve run (SPEC §9): runs this shard's stripe of each repeat's
// plan (worker-pool-share's dealing: shard i of N sends global requests i, i + N, …; a closed
// loop gets ⌈K/N⌉ streams for i < K mod N, else ⌊K/N⌋) on this thread, warms up, then holds the
// measured phase until the shared wall-clock --start-at, and records the clock anchor.

import type { RequestRecord } from '../core/schema/request-record.js';
import type { ShardClock } from '../core/shard/shard-manifest.js';
import type { RepeatPlan } from './repeat-runner.js';
import { runRepeat } from './repeat-runner.js';
import { GenerationClient, type GenerationClientOptions } from './request-executor.js';
import type { RunControl } from './run-control.js';
import type { RepeatExecutor } from './serve-benchmark.js';
import { shareOfPlan } from './worker-pool-share.js';

/**
 * Reads the wall clock and the monotonic clock at (nearly) one instant: of a few brackets
 * performance.now() · Date.now() · performance.now(), the tightest. Date.now() counts whole ms, so
 * the instant's epoch time is its reading + 0.5 ± 0.5.
 */
export function readClockAnchor(): ShardClock {
  let best: ShardClock | undefined;
  for (let i = 0; i < 8; i++) {
    const before = performance.now();
    const epoch = Date.now();
    const after = performance.now();
    const anchor = {
      epoch_ms: epoch + 0.5,
      monotonic_ms: (before + after) / 2,
      uncertainty_ms: (after - before) / 2 + 0.5,
    };
    if (best === undefined || anchor.uncertainty_ms < best.uncertainty_ms) best = anchor;
  }
  return best as ShardClock;
}

export class ShardExecutor implements RepeatExecutor {
  private client: GenerationClient | undefined;
  /** the anchor read right before the wait for --start-at */
  clock: ShardClock | undefined;
  /** how late the measured phase started after --start-at (ms, ≥ 0) */
  startedLateMs = 0;

  constructor(
    private readonly shard: number,
    private readonly shards: number,
    private readonly startAtMs: number,
  ) {}

  get inFlightCount(): number {
    return this.client?.inFlightCount ?? 0;
  }

  async runRepeat(
    options: GenerationClientOptions,
    plan: RepeatPlan,
    sink: (record: RequestRecord) => void,
    control: RunControl,
  ) {
    const share = shareOfPlan(plan, this.shard, this.shards);
    const hooks = plan.measuredWindow;
    const mine: RepeatPlan = {
      ...share,
      measuredWindow: {
        start: async () => {
          await hooks?.start();
          const clock = readClockAnchor();
          this.clock = clock;
          const dueMs = clock.monotonic_ms + (this.startAtMs - clock.epoch_ms);
          await control.sleepUntil(dueMs);
          this.startedLateMs = Math.max(0, performance.now() - dueMs);
          // the open loop's schedule is anchored at --start-at itself, not at the moment this
          // shard woke up: a late wake-up shows as dispatch lag, never as a shifted schedule
          return { originMs: dueMs };
        },
        end: async () => {
          await hooks?.end();
        },
      },
    };
    const client = new GenerationClient(options);
    this.client = client;
    try {
      const outcome = await runRepeat(client, mine, sink, control);
      return {
        ...outcome,
        includeUsage: client.includeUsage,
        streamOptionsRejected: client.streamOptionsRejected,
      };
    } finally {
      await client.close();
      this.client = undefined;
    }
  }
}
