// bench-serve's load-shape flags → the run's cells: closed loop (--concurrency, --concurrency-sweep),
// open loop (--request-rate, --rate-sweep, --burstiness, --max-concurrency, --schedule-in), the
// run's bound (--num-prompts, --duration), and the conflicts between them.

import { readFileSync } from 'node:fs';
import { GoodputError } from '../core/errors.js';
import type { Schedule } from '../core/schedule/schedule.js';
import { parseScheduleFile } from '../core/schedule/schedule-file.js';
import type { DatasetFlags } from './bench-serve-dataset-flags.js';
import type { FlagValidation } from './bench-serve-flag-validation.js';
import {
  parseDurationFlag,
  parseIntFlag,
  parseListFlag,
  parsePositiveFlag,
} from './bench-serve-flag-values.js';
import { prefixSweepCells } from './bench-serve-prefix-sweep.js';
import { BENCH_SERVE_DEFAULTS, type RawBenchServeOptions } from './bench-serve-raw-options.js';
import { replayCells } from './bench-serve-replay.js';

/** One cell as the flags describe it (keys and streams are derived later). */
export type CellFlag =
  | { readonly kind: 'closed'; readonly concurrency: number; readonly prefixGroups?: number }
  | {
      readonly kind: 'open';
      readonly rateRps: number;
      readonly burstiness: number;
      readonly maxConcurrency?: number;
      /** --schedule-in, or the timestamps of a replayed jsonl file */
      readonly replay?: Schedule;
      /** the jsonl file's timestamps give the schedule (filled in by resolveReplay) */
      readonly replayTimestamps?: boolean;
      /** replay only the first N lines (an explicit --num-prompts) */
      readonly replayLines?: number;
      /** --prefix-groups-sweep: this cell's prefix groups */
      readonly prefixGroups?: number;
    };

export interface LoadFlags {
  /** measured requests per repeat (a --schedule-in's length when it gives the schedule) */
  readonly numPrompts: number;
  readonly cells: CellFlag[];
  readonly durationMs?: number;
  readonly scheduleInPath?: string;
}

/** The load-shape flags and the cells they define. Problems go to `v`, each naming its flag. */
export function loadFlags(raw: RawBenchServeOptions, data: DatasetFlags, v: FlagValidation): LoadFlags {
  const numPrompts = v.take(
    parseIntFlag('--num-prompts', raw.numPrompts ?? BENCH_SERVE_DEFAULTS.numPrompts, 1),
    1,
  );
  const positiveInt = (flag: string) => (t: string) => parseIntFlag(flag, t, 1);
  const concurrency = v.optional(raw.concurrency, positiveInt('--concurrency'), 1);
  const concurrencySweep = v.optional(
    raw.concurrencySweep,
    (t) => parseListFlag('--concurrency-sweep', t, positiveInt('--concurrency-sweep')),
    [],
  );
  const requestRate = v.optional(raw.requestRate, (t) => parsePositiveFlag('--request-rate', t), 1);
  const rateSweep = v.optional(
    raw.rateSweep,
    (t) => parseListFlag('--rate-sweep', t, (item) => parsePositiveFlag('--rate-sweep', item)),
    [],
  );
  const burstiness =
    raw.burstiness === undefined
      ? 1
      : raw.burstiness === 'inf'
        ? Number.POSITIVE_INFINITY
        : v.take(parsePositiveFlag('--burstiness', raw.burstiness), 1);
  const maxConcurrency = v.optional(raw.maxConcurrency, positiveInt('--max-concurrency'), 1);
  const durationMs = v.optional(raw.duration, (t) => parseDurationFlag('--duration', t), 1000);
  let replay: Schedule | undefined;
  const scheduleInPath = v.path(raw.scheduleIn);
  if (scheduleInPath !== undefined) {
    try {
      replay = parseScheduleFile(readFileSync(scheduleInPath, 'utf8'), scheduleInPath);
      if (replay.offsets_ms.length === 0)
        v.push(`--schedule-in ${scheduleInPath}: the schedule has no requests`);
    } catch (e) {
      v.push(
        e instanceof GoodputError
          ? `--schedule-in ${e.message}`
          : `--schedule-in ${scheduleInPath}: ${(e as Error).message}`,
      );
    }
  }
  const openFlags = [
    raw.requestRate !== undefined && '--request-rate',
    raw.rateSweep !== undefined && '--rate-sweep',
    raw.scheduleIn !== undefined && '--schedule-in',
  ].filter((f): f is string => f !== false);
  const closedFlags = [
    raw.concurrency !== undefined && '--concurrency',
    raw.concurrencySweep !== undefined && '--concurrency-sweep',
  ].filter((f): f is string => f !== false);
  if (openFlags.length > 1) v.push(`${openFlags.join(' and ')} each define the open-loop cells: give one`);
  if (closedFlags.length > 1)
    v.push('--concurrency and --concurrency-sweep both define closed-loop cells: give one');
  if (openFlags.length > 0 && closedFlags.length > 0) {
    v.push(
      `${closedFlags.join('/')} (closed loop) and ${openFlags.join('/')} (open loop) cannot be mixed in one run`,
    );
  }
  if (raw.burstiness !== undefined && openFlags.length === 0)
    v.push('--burstiness shapes open-loop arrivals: it needs --request-rate or --rate-sweep');
  if (raw.burstiness !== undefined && raw.scheduleIn !== undefined)
    v.push('--burstiness does not apply to a replayed --schedule-in');
  const cells: CellFlag[] = [];
  const open = (rateRps: number, sched?: Schedule): CellFlag => ({
    kind: 'open',
    rateRps,
    burstiness,
    ...(maxConcurrency === undefined ? {} : { maxConcurrency }),
    ...(sched === undefined ? {} : { replay: sched }),
  });
  if (replay !== undefined) cells.push(open(replayRate(replay), replay));
  else if (rateSweep !== undefined) for (const r of rateSweep) cells.push(open(r));
  else if (requestRate !== undefined) cells.push(open(requestRate));
  else if (concurrencySweep !== undefined)
    for (const c of concurrencySweep) cells.push({ kind: 'closed', concurrency: c });
  else {
    // closed loop: --max-concurrency is ferrum's alias of --concurrency here
    if (concurrency !== undefined && maxConcurrency !== undefined && concurrency !== maxConcurrency) {
      v.push('--max-concurrency is an alias of --concurrency in a closed-loop run: give one of them');
    }
    cells.push({
      kind: 'closed',
      concurrency: concurrency ?? maxConcurrency ?? BENCH_SERVE_DEFAULTS.concurrency,
    });
  }
  if (durationMs !== undefined && replay !== undefined)
    v.push('--duration and --schedule-in both bound the run: give one');
  // a timed jsonl file replays at its timestamps; a prefix-groups sweep repeats the load cell
  const scenarioCells =
    replayCells(raw, data.datasetPath, maxConcurrency, v.problems) ??
    prefixSweepCells(raw, data.dataset, cells, v.problems);
  if (scenarioCells !== undefined) cells.splice(0, cells.length, ...scenarioCells);
  return {
    numPrompts: replay === undefined ? numPrompts : replay.offsets_ms.length,
    cells,
    ...(durationMs === undefined ? {} : { durationMs }),
    ...(scheduleInPath === undefined ? {} : { scheduleInPath }),
  };
}

/** The rate a replayed schedule stands for: its recorded rate, else requests over its span. */
function replayRate(schedule: Schedule): number {
  const p = schedule.profile;
  if (p.kind !== 'trace') return p.rate_rps;
  const offsets = schedule.offsets_ms;
  const span = (offsets[offsets.length - 1] ?? 0) - (offsets[0] ?? 0);
  return span > 0 ? ((offsets.length - 1) * 1000) / span : offsets.length;
}
