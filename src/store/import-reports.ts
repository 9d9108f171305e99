// `goodput db import`: stores report files written by ferrum (every shape: 0.7.7 sorted keys and
// null SLOs, arrays, JSONL) or goodput (envelopes, run directories) in the ledger, one run per file
// or directory. Re-importing the same content is a no-op: a file's run id is its content hash.

import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import { parseReportFile } from '../core/schema/report-reader.js';
import type { Ledger, RecordResult } from './ledger.js';
import { isRunDir, recordRunDir } from './run-dir.js';

export interface ImportOutcome extends RecordResult {
  readonly path: string;
}

/** Imports one report file as one run. */
function importFile(ledger: Ledger, path: string, label: string | undefined): ImportOutcome {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    throw new GoodputError('INPUT_MISSING', `cannot read ${path}: ${(e as Error).message}`);
  }
  const parsed = parseReportFile(text, path);
  const meta = parsed.envelope;
  const uid = meta?.run_id ?? `import:sha256:${createHash('sha256').update(text).digest('hex')}`;
  const metaLabel = typeof meta?.label === 'string' ? meta.label : undefined;
  const result = ledger.recordRun({
    uid,
    ...(meta === undefined ? {} : { startedAt: meta.started_at, finishedAt: meta.finished_at }),
    ...(meta === undefined ? {} : { commandLine: meta.command_line, toolVersion: meta.tool_version }),
    ...((label ?? metaLabel) === undefined ? {} : { label: label ?? metaLabel }),
    source: 'import',
    sourcePath: path,
    cells: parsed.reports,
  });
  return { ...result, path };
}

const REPORT_FILE = /\.(json|jsonl)$/i;

/**
 * Imports files and directories: a run directory (report.json / cells.jsonl) becomes one run with
 * its request rows; any other directory contributes each `*.json` / `*.jsonl` file in it (sorted),
 * one run per file. Each run is its own transaction, so an import stopped half-way keeps whole runs.
 */
export function importReports(
  ledger: Ledger,
  paths: readonly string[],
  options: { label?: string } = {},
): ImportOutcome[] {
  const outcomes: ImportOutcome[] = [];
  for (const raw of paths) {
    const path = resolve(raw);
    let isDir: boolean;
    try {
      isDir = statSync(path).isDirectory();
    } catch {
      throw new GoodputError('INPUT_MISSING', `${raw} does not exist`, {
        hint: 'pass report files or result directories',
      });
    }
    if (!isDir) {
      outcomes.push(importFile(ledger, path, options.label));
    } else if (isRunDir(path)) {
      outcomes.push({ ...recordRunDir(ledger, path, options), path });
    } else {
      const files = readdirSync(path)
        .filter((f) => REPORT_FILE.test(f))
        .sort();
      if (files.length === 0) {
        throw new GoodputError('INPUT_MISSING', `${raw} holds no *.json or *.jsonl report files`);
      }
      for (const f of files) outcomes.push(importFile(ledger, join(path, f), options.label));
    }
  }
  return outcomes;
}
