// Records a bench-serve run directory in the ledger: report.json (the run envelope; cells.jsonl
// when an interrupted run left no report.json) plus requests.jsonl as request rows, all in the one
// transaction of recordRun. This is the hook bench-serve calls after a run unless `--no-db`.

import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { parseReportFile } from '../core/schema/report-reader.js';
import type { RunMetadata } from '../core/schema/run-envelope.js';
import { readLinesSync } from './jsonl-lines.js';
import { type Ledger, openLedger, type RecordOptions, type RecordResult, type RunInput } from './ledger.js';

export interface RunDirContents {
  readonly cells: BenchReport[];
  readonly meta: RunMetadata | undefined;
  /** the file the cells came from */
  readonly reportPath: string;
  /** requests.jsonl, when the directory has one */
  readonly requestsPath: string | undefined;
}

/** True when `path` is a directory holding a run (report.json or cells.jsonl). */
export function isRunDir(path: string): boolean {
  return (
    existsSync(path) &&
    statSync(path).isDirectory() &&
    (existsSync(join(path, 'report.json')) || existsSync(join(path, 'cells.jsonl')))
  );
}

/** Reads a run directory's cells and metadata; errors name the directory and the file. */
export function readRunDir(runDir: string): RunDirContents {
  const reportJson = join(runDir, 'report.json');
  const cellsJsonl = join(runDir, 'cells.jsonl');
  const reportPath = existsSync(reportJson) ? reportJson : existsSync(cellsJsonl) ? cellsJsonl : undefined;
  if (reportPath === undefined) {
    throw new GoodputError(
      'INPUT_MISSING',
      `${runDir} is not a goodput run directory: it has neither report.json nor cells.jsonl`,
      {
        hint: 'pass the --out-dir of a bench-serve run',
      },
    );
  }
  const parsed = parseReportFile(readFileSync(reportPath, 'utf8'), reportPath);
  const requests = join(runDir, 'requests.jsonl');
  return {
    cells: parsed.reports,
    meta: parsed.envelope,
    reportPath,
    requestsPath: existsSync(requests) ? requests : undefined,
  };
}

/** The RunInput of a run directory (request lines are read lazily, inside the transaction). */
function runInputFromDir(
  runDir: string,
  options: { label?: string; source?: string; withRequests?: boolean } = {},
): RunInput {
  const dir = resolve(runDir);
  const contents = readRunDir(dir);
  const meta = contents.meta;
  const label = options.label ?? (typeof meta?.label === 'string' ? meta.label : undefined);
  const commit = typeof meta?.commit === 'string' ? meta.commit : undefined;
  const withRequests = options.withRequests ?? true;
  return {
    ...(meta === undefined
      ? {}
      : { uid: meta.run_id, startedAt: meta.started_at, finishedAt: meta.finished_at }),
    ...(meta === undefined ? {} : { commandLine: meta.command_line, toolVersion: meta.tool_version }),
    ...(label === undefined ? {} : { label }),
    ...(commit === undefined ? {} : { commit }),
    source: options.source ?? sourceOf(meta),
    sourcePath: dir,
    cells: contents.cells,
    ...(withRequests && contents.requestsPath !== undefined
      ? { requestLines: readLinesSync(contents.requestsPath), requestSource: contents.requestsPath }
      : {}),
  };
}

/** The command that wrote a run directory, from its recorded command line (bench-serve if unknown). */
function sourceOf(meta: RunMetadata | undefined): string {
  const command = meta?.command_line[1];
  return command === 'merge' || command === 'bench' ? command : 'bench-serve';
}

/** Records a run directory in an open ledger. */
export function recordRunDir(
  ledger: Ledger,
  runDir: string,
  options: RecordOptions & { label?: string; source?: string; withRequests?: boolean } = {},
): RecordResult {
  return ledger.recordRun(runInputFromDir(runDir, options), options);
}

/** Opens the ledger at `dbPath`, records the run directory, closes it: bench-serve's hook. */
export function recordRunFromDir(
  dbPath: string,
  runDir: string,
  options: { label?: string; source?: string } = {},
): RecordResult {
  const ledger = openLedger(dbPath);
  try {
    return recordRunDir(ledger, runDir, options);
  } finally {
    ledger.close();
  }
}
