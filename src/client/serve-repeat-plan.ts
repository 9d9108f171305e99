// The plan of one (cell, repeat) of a bench-serve run: the cell's arrival schedule (shared by its
// repeats), the seeded prompts, the warmup and measured load and the connections to pre-open.

import { buildDataset } from '../core/dataset/build-dataset.js';
import { buildSchedule, type RateProfile } from '../core/schedule/build-schedule.js';
import type { Schedule } from '../core/schedule/schedule.js';
import type { RepeatPlan } from './repeat-runner.js';
import type { CellLoad, ServeBenchmarkConfig, ServeCell } from './serve-benchmark-config.js';

/** One schedule per open cell, shared by its repeats (so --schedule-out / --schedule-in replay a whole run). */
export function scheduleOf(
  config: ServeBenchmarkConfig,
  cell: ServeCell,
  cache: Map<number, Schedule>,
): Schedule {
  const cached = cache.get(cell.index);
  if (cached !== undefined) return cached;
  const load = cell.load as Extract<CellLoad, { kind: 'open' }>;
  const bound =
    config.durationMs === undefined ? { count: config.numPrompts } : { durationMs: config.durationMs };
  const schedule =
    load.replay ?? buildSchedule(load.profile as RateProfile, { seed: config.seed, cell: cell.key }, bound);
  cache.set(cell.index, schedule);
  return schedule;
}

/** The plan of one (cell, repeat): its seeded prompts, warmup and measured load, preconnect (also a shard's input). */
export async function repeatPlan(
  config: ServeBenchmarkConfig,
  cell: ServeCell,
  repeat: number,
  schedule: Schedule | undefined,
  warn: (text: string) => void,
): Promise<RepeatPlan> {
  const load = cell.load;
  let warmupOffsets: number[] = [];
  if (load.kind === 'open') {
    // warmup at the cell's own arrival process, from its own stream
    const profile: RateProfile = load.profile ?? { kind: 'constant', rateRps: load.rateRps };
    const at = { seed: config.seed, cell: `${cell.key}/warmup`, repeat };
    if (config.warmupMs !== undefined)
      warmupOffsets = buildSchedule(profile, at, { durationMs: config.warmupMs }).offsets_ms;
    if (warmupOffsets.length < config.warmupRequests) {
      warmupOffsets =
        config.warmupRequests === 0
          ? []
          : buildSchedule(profile, at, { count: config.warmupRequests }).offsets_ms;
    }
  }
  const measuredCount =
    schedule !== undefined
      ? schedule.offsets_ms.length
      : config.durationMs === undefined
        ? config.numPrompts
        : undefined;
  const built = await buildDataset(cell.dataset ?? config.dataset, {
    ...config.measure,
    seed: config.seed,
    cellKey: cell.key,
    repeat,
    // duration-bounded and long schedules cycle through at most --num-prompts prompts
    numPrompts: Math.max(1, Math.min(measuredCount ?? config.numPrompts, config.numPrompts)),
    warmupPrompts:
      load.kind === 'open'
        ? Math.min(warmupOffsets.length, Math.max(config.warmupRequests, 1))
        : config.warmupRequests,
  });
  for (const w of built.warnings) warn(w);
  const common = {
    cellIndex: cell.index,
    cellKey: cell.key,
    repeat,
    measured: built.measured,
    warmup: built.warmup,
    graceMs: config.graceMs,
  };
  if (load.kind === 'closed') {
    return {
      ...common,
      load: {
        kind: 'closed',
        concurrency: load.concurrency,
        ...(config.durationMs === undefined
          ? { count: config.numPrompts }
          : { durationMs: config.durationMs }),
      },
      ...(config.warmupMs === undefined ? {} : { warmupMinMs: config.warmupMs }),
      preconnect: { count: load.concurrency, path: config.preconnectPath },
    };
  }
  return {
    ...common,
    load: {
      kind: 'open',
      offsetsMs: (schedule as Schedule).offsets_ms,
      warmupOffsetsMs: warmupOffsets,
      ...(load.maxConcurrency === undefined ? {} : { maxConcurrency: load.maxConcurrency }),
    },
    // an open loop without a cap cannot know its peak; warm what one second of arrivals needs
    preconnect: {
      count: load.maxConcurrency ?? Math.max(1, Math.min(64, Math.ceil(load.rateRps))),
      path: config.preconnectPath,
    },
  };
}
