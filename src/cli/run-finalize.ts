// The end of every run that produced cells — bench-serve, merge and bench (SPEC §3.7, §5): the
// comparability stamp each cell carries, report.md and report.html rendered into the run directory,
// and the run (its cells; its request rows too with --db-requests; one transaction) recorded in the
// ledger unless --no-db.

import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { comparabilityHash, comparabilityKey, provenanceOf } from '../core/env/comparability.js';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { RUN_FILES, type RunDirectory } from '../output/run-directory.js';
import { renderHtmlReport } from '../render/html/report-page.js';
import { renderSingle, renderSweep } from '../render/markdown.js';
import { type Ledger, openLedger, type RecordResult } from '../store/ledger.js';
import { recordRunDir } from '../store/run-dir.js';
import { DEFAULT_DB_PATH } from './db.js';
import { sampleRequestFiles } from './report-visual.js';

/** Who produced a run, as the ledger's `source` column records it. */
export type RunSource = 'bench-serve' | 'merge' | 'bench';

/**
 * `--db PATH` / `--no-db` / `--db-requests` of every command that records its run; commander gives
 * `db: string | false` and `dbRequests: true | undefined`. Request rows are opt-in (SPEC §5: cells,
 * "and optionally per-request rows"): they cost ≈ 3.5 KB and ≈ 50 µs each (100 000 requests: about
 * 350 MB and 5 s), while every report stays re-renderable from requests.jsonl in the run directory.
 */
export function ledgerOptions() {
  return [
    new Option('--db <path>', 'results ledger to record the run in').default(DEFAULT_DB_PATH),
    new Option('--no-db', 'do not record the run in the ledger'),
    new Option(
      '--db-requests',
      'also store every request record in the ledger (large: ≈ 3.5 KB per request)',
    ),
  ] as const;
}

/** The ledger file of `--db` resolved against `cwd`, or undefined with `--no-db`. */
export function ledgerPath(cwd: string, db: string | false): string | undefined {
  return db === false ? undefined : resolve(cwd, db);
}

/** Sets the extension's comparability key and hash (the ledger indexes the hash) and provenance. */
export function stampComparability(report: BenchReport): void {
  const ext = report.goodput;
  if (ext === undefined) return;
  ext.comparability = {
    key: comparabilityKey(report) as unknown as Record<string, unknown>,
    hash: comparabilityHash(report),
  };
  ext.provenance = provenanceOf(report);
}

export interface FinishedRun {
  /** the run directory, with report.json written and requests.jsonl complete */
  readonly dir: RunDirectory;
  /** the cells of report.json, in order */
  readonly reports: readonly BenchReport[];
  readonly source: RunSource;
  readonly label: string;
  /** the ledger file (absolute), or undefined with --no-db */
  readonly db: string | undefined;
  /** --db-requests: store the request rows too */
  readonly dbRequests: boolean;
}

/**
 * Renders report.md (one cell: the single report, several: the sweep) and report.html (with a
 * sample of requests.jsonl for its charts) into the run directory, then records the directory's
 * run in the ledger. Does nothing for a run with no cell. Every result file is written before the
 * ledger is opened, so a bad --db loses nothing; its error names the flag, the file and the run
 * directory. Returns the ledger's answer, or undefined when nothing was recorded.
 */
export async function finalizeRun(
  run: FinishedRun,
  note: (line: string) => void,
): Promise<RecordResult | undefined> {
  const { dir, reports } = run;
  if (reports.length === 0) return undefined;
  dir.writeFile(
    RUN_FILES.markdown,
    reports.length === 1 ? renderSingle(reports[0] as BenchReport) : renderSweep(reports),
  );
  // requests.jsonl must be complete on disk: the page samples it as `goodput report DIR` does
  dir.sync();
  const sample = sampleRequestFiles([dir.path(RUN_FILES.requests)]);
  const html = await renderHtmlReport({
    cells: [...reports],
    requests: sample.records,
    requestsTotal: sample.total,
    sources: [dir.dir],
    generatedAt: new Date().toISOString(),
  });
  dir.writeFile(RUN_FILES.html, html);
  if (run.db === undefined) return undefined;

  const ledger = openRunLedger(run.db, dir.dir);
  try {
    let recorded: RecordResult;
    try {
      recorded = recordRunDir(ledger, dir.dir, {
        label: run.label,
        source: run.source,
        withRequests: run.dbRequests,
      });
    } catch (e) {
      if (e instanceof GoodputError) throw e;
      throw ledgerError(run.db, dir.dir, `cannot record the run: ${(e as Error).message}`, e);
    }
    note(
      recorded.created
        ? `recorded run ${recorded.id} in ${run.db} (${recorded.cells} cell${recorded.cells === 1 ? '' : 's'}${
            run.dbRequests ? `, ${recorded.requests} request rows` : '; request rows only with --db-requests'
          })`
        : `run ${recorded.uid} was already recorded in ${run.db} as run ${recorded.id}: not recorded again`,
    );
    return recorded;
  } finally {
    ledger.close();
  }
}

function openRunLedger(db: string, runDir: string): Ledger {
  try {
    return openLedger(db);
  } catch (e) {
    throw ledgerError(db, runDir, (e as Error).message, e);
  }
}

function ledgerError(db: string, runDir: string, problem: string, cause: unknown): GoodputError {
  return new GoodputError('IO', `--db ${db}: ${problem}; the results are written in ${runDir}`, {
    hint: `record them later with \`goodput db import ${runDir} --db PATH\`, or pass a writable --db PATH or --no-db`,
    cause,
  });
}
