// Reads report inputs from disk for `report`, `env-hash`, `compare`…: report files (.json, .jsonl:
// any shape parseReports accepts) and result directories (their report.json, else cells.jsonl).
// Errors name the file; parsing and validation live in core/schema/report-reader.ts.

import { readFile, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { parseReportFile, type ReportFileShape } from '../core/schema/report-reader.js';
import type { RunMetadata } from '../core/schema/run-envelope.js';

export interface ReportInput {
  /** the file that was read (for a directory, the file inside it) */
  readonly source: string;
  readonly reports: BenchReport[];
  readonly shape: ReportFileShape;
  /** the run metadata when the file was a goodput run envelope */
  readonly envelope?: RunMetadata;
}

/** The files of a result directory, in order of preference (SPEC §3.7). */
const RESULT_DIR_FILES = ['report.json', 'cells.jsonl'] as const;

export interface LoadOptions {
  /** relative paths are read from here (default: the process's directory); messages keep them as given */
  readonly cwd?: string;
}

/** Loads every input in the given order; the first unreadable or invalid one throws. */
export async function loadReportInputs(
  paths: readonly string[],
  opts: LoadOptions = {},
): Promise<ReportInput[]> {
  const out: ReportInput[] = [];
  for (const path of paths) out.push(await loadReportInput(path, opts));
  return out;
}

/** Loads one report file or result directory. */
export async function loadReportInput(path: string, opts: LoadOptions = {}): Promise<ReportInput> {
  const file = await resolveReportFile(path, opts.cwd ?? process.cwd());
  let text: string;
  try {
    text = await readFile(resolve(opts.cwd ?? process.cwd(), file), 'utf8');
  } catch (e) {
    throw new GoodputError('INPUT_MISSING', `cannot read ${file}: ${(e as Error).message}`, {
      hint: 'Check the path and its permissions.',
      cause: e,
    });
  }
  const parsed = parseReportFile(text, file);
  return { source: file, ...parsed };
}

/** The file to read for `path` (a directory's report.json or cells.jsonl), as given relative to cwd. */
async function resolveReportFile(path: string, cwd: string): Promise<string> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(resolve(cwd, path));
  } catch (e) {
    throw new GoodputError('INPUT_MISSING', `${path} does not exist`, {
      hint: 'Give a report file (.json / .jsonl) or a result directory written by goodput bench-serve.',
      cause: e,
    });
  }
  if (!info.isDirectory()) return path;
  for (const name of RESULT_DIR_FILES) {
    const candidate = join(path, name);
    try {
      if ((await stat(resolve(cwd, candidate))).isFile()) return candidate;
    } catch {
      // not there: try the next one
    }
  }
  throw new GoodputError('INPUT_MISSING', `${path} is a directory without ${RESULT_DIR_FILES.join(' or ')}`, {
    hint: 'A result directory written by goodput bench-serve holds report.json (or, if the run was interrupted, cells.jsonl).',
  });
}
