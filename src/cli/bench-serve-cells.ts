// bench-serve's cells from its load flags: one ServeCell per --concurrency / --request-rate value,
// keyed the way prompts and schedules derive from them (the key is stable across runs and shards).

import type { ServeCell } from '../client/serve-benchmark.js';
import type { BenchServeOptions, CellFlag } from './bench-serve-options.js';

function cellKey(flag: CellFlag): string {
  if (flag.kind === 'closed') return `closed:c=${flag.concurrency}`;
  if (flag.replay !== undefined) return `open:replay:n=${flag.replay.offsets_ms.length}`;
  const b = flag.burstiness === 1 ? '' : `:b=${flag.burstiness}`;
  const cap = flag.maxConcurrency === undefined ? '' : `:cap=${flag.maxConcurrency}`;
  return `open:rate=${flag.rateRps}${b}${cap}`;
}

/** The serve cells of the flags, keyed as the prompts and schedules derive from them. */
export function serveCells(options: BenchServeOptions): ServeCell[] {
  const sharedPrefix = options.dataset.kind === 'shared-prefix';
  return options.cells.map((flag, index) => ({
    index,
    key: cellKey(flag),
    scenario: sharedPrefix ? 'shared_prefix' : flag.kind === 'closed' ? 'closed_loop' : 'open_loop',
    load:
      flag.kind === 'closed'
        ? { kind: 'closed', concurrency: flag.concurrency }
        : {
            kind: 'open',
            rateRps: flag.rateRps,
            ...(flag.replay === undefined
              ? {
                  profile:
                    flag.burstiness === 1
                      ? { kind: 'poisson', rateRps: flag.rateRps }
                      : { kind: 'gamma', rateRps: flag.rateRps, burstiness: flag.burstiness },
                }
              : { replay: flag.replay }),
            ...(flag.maxConcurrency === undefined ? {} : { maxConcurrency: flag.maxConcurrency }),
          },
  }));
}
