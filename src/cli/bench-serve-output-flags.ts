// bench-serve's output flags: where the run is written (--out-dir, --trace-out, --db), ferrum's
// --output/--out document, and --schedule-out. Checked before any request is sent (ferrum checked
// --output and --out only after the whole run, §13.4 #25).

import { FERRUM_OUTPUT_FORMATS, type FerrumOutputFormat } from '../output/ferrum-output.js';
import type { FlagValidation } from './bench-serve-flag-validation.js';
import type { CellFlag } from './bench-serve-load-flags.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';

/** Every path here is resolved against the cwd. */
export interface OutputFlags {
  readonly output?: FerrumOutputFormat;
  readonly out?: string;
  readonly scheduleOut?: string;
  readonly outDir?: string;
  readonly traceOut?: string;
  /** the ledger file, or undefined with --no-db */
  readonly db?: string;
  /** --db-requests: store the request rows in the ledger too */
  readonly dbRequests: boolean;
}

/** The output flags of a run with these `cells`. Problems go to `v`, each naming its flag. */
export function outputFlags(
  raw: RawBenchServeOptions,
  cells: readonly CellFlag[],
  v: FlagValidation,
): OutputFlags {
  const output =
    raw.output === undefined
      ? undefined
      : (FERRUM_OUTPUT_FORMATS as readonly string[]).includes(raw.output)
        ? (raw.output as FerrumOutputFormat)
        : undefined;
  if (raw.output !== undefined && output === undefined)
    v.push(`--output ${JSON.stringify(raw.output)}: expected json, jsonl or md`);
  if (raw.out !== undefined && raw.resultFile !== undefined)
    v.push('--result-file is ferrum’s name for --out: give one of them');
  const out = v.path(raw.out ?? raw.resultFile);
  if (output === 'jsonl' && out === undefined)
    v.push('--output jsonl needs --out PATH (it appends one line per cell)');
  if (out !== undefined && output === undefined) v.push('--out needs --output json|jsonl|md');
  const scheduleOut = v.path(raw.scheduleOut);
  if (scheduleOut !== undefined && cells.filter((c) => c.kind === 'open').length !== 1) {
    v.push(
      '--schedule-out writes the schedule of one open-loop cell: it needs exactly one (--request-rate R)',
    );
  }
  const outDir = v.path(raw.outDir);
  const traceOut = v.path(raw.traceOut);
  const db = raw.db === false ? undefined : v.path(raw.db);
  return {
    ...(output === undefined ? {} : { output }),
    ...(out === undefined ? {} : { out }),
    ...(scheduleOut === undefined ? {} : { scheduleOut }),
    ...(outDir === undefined ? {} : { outDir }),
    ...(traceOut === undefined ? {} : { traceOut }),
    ...(db === undefined ? {} : { db }),
    dbRequests: raw.dbRequests === true,
  };
}
