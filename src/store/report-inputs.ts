// The inputs of `compare`, `parity` and `report`: report files, result directories and ledger
// selectors (`run:<id>`, `commit:<sha>`, `label:<x>`, `latest`), resolved into cells that each
// remember where they came from. The ledger is opened only when a selector is used.

import { resolve } from 'node:path';
import type { SourcedCell } from '../core/compare/join.js';
import { loadReportInput } from '../input/read-reports.js';
import { type Ledger, openLedger } from './ledger.js';
import { isSelector } from './selector.js';

export interface ResolvedInputs {
  readonly cells: SourcedCell[];
  /** a default label: the ledger run's label when there is one, else the inputs as given */
  readonly label: string;
}

export interface ResolveOptions {
  /** the ledger file for selectors */
  readonly dbPath: string;
  /** relative paths are read from here */
  readonly cwd: string;
}

/** Resolves one side's inputs, in order. Each cell's source names its file (and index) or run. */
export async function resolveReportInputs(
  inputs: readonly string[],
  options: ResolveOptions,
): Promise<ResolvedInputs> {
  const cells: SourcedCell[] = [];
  const labels: string[] = [];
  let ledger: Ledger | undefined;
  try {
    for (const input of inputs) {
      if (isSelector(input)) {
        if (ledger === undefined)
          ledger = openLedger(resolve(options.cwd, options.dbPath), { mustExist: true });
        const { run, cells: stored } = ledger.resolveSelector(input);
        labels.push(run.label ?? `run:${run.id}`);
        for (const c of stored) cells.push({ report: c.report, source: `run:${run.id}#${c.index}` });
      } else {
        const loaded = await loadReportInput(input, { cwd: options.cwd });
        const label = loaded.envelope?.label;
        labels.push(typeof label === 'string' ? label : input);
        loaded.reports.forEach((report, i) => {
          cells.push({
            report,
            source: loaded.reports.length === 1 ? loaded.source : `${loaded.source}[${i}]`,
          });
        });
      }
    }
  } finally {
    ledger?.close();
  }
  const label = labels.length <= 2 ? labels.join(', ') : `${labels[0]}, … (${labels.length} inputs)`;
  return { cells, label };
}
