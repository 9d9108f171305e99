// The inputs of `goodput report`: report files and result directories (input/read-reports.ts) and
// ledger selectors (`run:<id>`, `commit:<sha>`, `label:<x>`, `latest`) read from `--db`. A ledger
// run becomes one input like its report.json would, with its stored request rows for the charts.

import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { GoodputError, isGoodputError } from '../core/errors.js';
import { loadReportInput } from '../input/read-reports.js';
import { type Ledger, openLedger, type StoredRun } from '../store/ledger.js';
import { isSelector, parseSelector } from '../store/selector.js';
import type { ReportSource } from './report.js';

/**
 * Opens an existing ledger for reading. `forWhat` names what needed it (the selectors, `--history`),
 * so a missing file is an error that says both what was asked and where it looked.
 */
export function openLedgerFor(dbFile: string, forWhat: string): Ledger {
  if (!existsSync(dbFile)) {
    throw new GoodputError('INPUT_MISSING', `${forWhat}: no ledger at ${dbFile}`, {
      hint: 'runs are recorded by `goodput bench-serve` (unless --no-db) and `goodput db import`; pass --db PATH to read another ledger',
    });
  }
  return openLedger(dbFile, { mustExist: true });
}

/** The newest run a selector matches; no match is INPUT_MISSING naming the selector and the ledger. */
function resolveIn(ledger: Ledger, selector: string): StoredRun {
  try {
    return ledger.resolveSelector(selector);
  } catch (e) {
    if (!isGoodputError(e, 'INPUT_MISSING')) throw e;
    throw new GoodputError(
      'INPUT_MISSING',
      `ledger selector "${selector}" matches no run in ${ledger.path}`,
      {
        hint: `list the stored runs with \`goodput db list --db ${ledger.path}\``,
        cause: e,
      },
    );
  }
}

/** A ledger run as a report input: its cells, its envelope metadata, and its request rows read on demand. */
function ledgerSource(ledger: Ledger, stored: StoredRun): ReportSource {
  const { id, requestCount } = stored.run;
  const dbFile = ledger.path;
  return {
    source: `run:${id}`,
    reports: stored.cells.map((c) => c.report),
    shape: 'envelope',
    envelope: ledger.exportRun(id).goodput,
    ...(requestCount === 0
      ? {}
      : {
          requests: {
            name: `${dbFile} run:${id} request`,
            // the ledger is closed once the inputs are loaded; the rows are read when a chart wants them
            *lines() {
              const reader = openLedger(dbFile, { mustExist: true });
              try {
                yield* reader.requestLines(id);
              } finally {
                reader.close();
              }
            },
          },
        }),
  };
}

/**
 * Loads every input in the given order: selectors from the ledger at `dbPath` (opened once, only
 * when a selector is given), anything else as a file or result directory relative to `cwd`.
 */
export async function loadReportSources(
  inputs: readonly string[],
  options: { readonly cwd: string; readonly dbPath: string },
): Promise<ReportSource[]> {
  const sources: ReportSource[] = [];
  const selectors = inputs.filter(isSelector);
  // a malformed selector is a usage error whether or not the ledger exists
  for (const s of selectors) parseSelector(s);
  let ledger: Ledger | undefined;
  try {
    for (const input of inputs) {
      if (isSelector(input)) {
        ledger ??= openLedgerFor(
          resolve(options.cwd, options.dbPath),
          `ledger selector${selectors.length === 1 ? '' : 's'} ${selectors.map((s) => `"${s}"`).join(', ')}`,
        );
        sources.push(ledgerSource(ledger, resolveIn(ledger, input)));
      } else {
        sources.push(await loadReportInput(input, { cwd: options.cwd }));
      }
    }
  } finally {
    ledger?.close();
  }
  return sources;
}
