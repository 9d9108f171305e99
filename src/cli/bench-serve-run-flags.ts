// bench-serve's flags for how each cell is run: the sending threads (--workers, --calibration), the
// repeats (--n-repeats, --interleave, --require-ci), the warmup before each repeat, and --shard.

import type { FlagValidation } from './bench-serve-flag-validation.js';
import { parseIntFlag, parsePositiveFlag } from './bench-serve-flag-values.js';
import type { CellFlag } from './bench-serve-load-flags.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';
import { type ShardOption, shardOption } from './bench-serve-shard-flags.js';

export interface RunFlags {
  /** worker threads that send the load (1: this thread); 'auto': 1 unless the calibration says one thread cannot reach the load */
  readonly workers: number | 'auto';
  /** --calibration FILE: this machine's client ceiling (default: the stored one, if any) */
  readonly calibration?: string;
  readonly nRepeats: number;
  readonly warmupRequests: number;
  /** --warmup-seconds in ms */
  readonly warmupMs?: number;
  readonly warmupErrorsFail: boolean;
  readonly interleave: boolean;
  readonly shard?: ShardOption;
  readonly requireCi: boolean;
}

/** The run flags of a run with these `cells`. Problems go to `v`, each naming its flag. */
export function runFlags(raw: RawBenchServeOptions, cells: readonly CellFlag[], v: FlagValidation): RunFlags {
  const workers: number | 'auto' =
    raw.workers === 'auto' ? 'auto' : v.take(parseIntFlag('--workers', raw.workers, 1, 64), 1);
  const nRepeats = v.take(parseIntFlag('--n-repeats', raw.nRepeats, 1), 1);
  const warmupRequests = v.take(parseIntFlag('--warmup-requests', raw.warmupRequests, 0), 0);
  const warmupSeconds = v.optional(raw.warmupSeconds, (t) => parsePositiveFlag('--warmup-seconds', t), 1);
  const warmupMs = warmupSeconds === undefined ? undefined : warmupSeconds * 1000;
  if (warmupMs !== undefined && warmupRequests === 0) {
    v.push(
      '--warmup-seconds needs --warmup-requests ≥ 1 (the warmup prompts are cycled until the time is up)',
    );
  }
  if (raw.warmupErrors !== 'fail' && raw.warmupErrors !== 'warn') {
    v.push(`--warmup-errors ${JSON.stringify(raw.warmupErrors)}: expected fail or warn`);
  }
  if (raw.interleave === true && cells.length < 2)
    v.push('--interleave alternates the repeats of several cells: it needs a sweep');
  const shard = shardOption(raw, { cells, nRepeats }, v.problems);
  const requireCi = raw.requireCi === true;
  if (requireCi && nRepeats < 3) v.push(`--require-ci needs --n-repeats ≥ 3 (got ${nRepeats})`);
  const calibration = v.path(raw.calibration);
  return {
    workers,
    ...(calibration === undefined ? {} : { calibration }),
    nRepeats,
    warmupRequests,
    ...(warmupMs === undefined ? {} : { warmupMs }),
    warmupErrorsFail: raw.warmupErrors === 'fail',
    interleave: raw.interleave === true,
    ...(shard === undefined ? {} : { shard }),
    requireCi,
  };
}
