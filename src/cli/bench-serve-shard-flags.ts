// bench-serve's `--shard i/N --start-at <epoch ms>` (SPEC §9): what a sharded run needs and refuses.
// A shard runs one count-bounded cell, one repeat, against a shared --base-url, on one thread, and
// writes raw records for `goodput merge`; flags that would make a whole-run claim are refused.

import { parseShardFlag } from '../core/shard/shard-manifest.js';
import { parseIntFlag } from './bench-serve-flag-values.js';
import type { CellFlag, RawBenchServeOptions } from './bench-serve-options.js';

export interface ShardOption {
  /** 0-based shard number */
  readonly index: number;
  readonly count: number;
  /** the wall-clock instant (ms since the epoch) the measured phase of every shard starts at */
  readonly startAtMs: number;
}

/** The shard option, or undefined without --shard; problems are pushed, each naming its flag. */
export function shardOption(
  raw: RawBenchServeOptions,
  context: { readonly cells: readonly CellFlag[]; readonly nRepeats: number },
  problems: string[],
): ShardOption | undefined {
  if (raw.shard === undefined) {
    if (raw.startAt !== undefined)
      problems.push('--start-at synchronises the shards of --shard i/N: give --shard too');
    return undefined;
  }
  const parsed = parseShardFlag(raw.shard);
  if (typeof parsed === 'string') {
    problems.push(parsed);
    return undefined;
  }
  let startAtMs = 0;
  if (raw.startAt === undefined)
    problems.push('--shard needs --start-at <epoch ms>: the instant every shard starts its measured phase');
  else {
    const t = parseIntFlag('--start-at', raw.startAt, 0, Number.MAX_SAFE_INTEGER);
    if (t.ok) startAtMs = t.value;
    else problems.push(`${t.problem} (ms since the epoch, e.g. $(( $(date +%s) * 1000 + 30000 )))`);
  }
  if (raw.baseUrl === undefined)
    problems.push(
      '--shard needs --base-url: every shard loads the same server (the built-in simulator is per process)',
    );
  if (context.cells.length !== 1) problems.push('--shard runs one cell: drop the sweep');
  if (context.nRepeats !== 1)
    problems.push(
      `--shard runs one repeat (only its start is synchronised): give --n-repeats 1 (got ${context.nRepeats})`,
    );
  const refused = [
    ['--duration', raw.duration],
    ['--output', raw.output],
    ['--out', raw.out ?? raw.resultFile],
    ['--schedule-out', raw.scheduleOut],
    ['--trace-out', raw.traceOut],
  ].filter(([, v]) => v !== undefined);
  for (const [flag] of refused) {
    problems.push(
      flag === '--duration'
        ? '--duration cannot be split into shards deterministically: use --num-prompts with --shard'
        : `${flag} describes a whole run: with --shard, give it to \`goodput merge\` instead (a shard writes raw records)`,
    );
  }
  if (raw.workers !== 'auto' && raw.workers !== '1')
    problems.push('--shard sends from one thread per shard: run more shards instead of --workers');
  const cell = context.cells[0];
  if (cell?.kind === 'closed' && cell.concurrency < parsed.count) {
    problems.push(
      `--shard ${raw.shard}: a closed loop of ${cell.concurrency} streams cannot be split into ${parsed.count} shards (each needs ≥ 1)`,
    );
  }
  return { index: parsed.index, count: parsed.count, startAtMs };
}
