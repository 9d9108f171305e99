// `goodput report --history [selector…]`: every metric of each cell key across the ledger's runs
// (all, or those the selectors match), in time or commit order, as the self-contained HTML page of
// render/html/history-page.ts or the markdown tables of render/history-markdown.ts.

import { resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import { historyPoints, historyRunId } from '../store/history-points.js';
import { type HistoryOrder, orderHistoryRuns, selectHistoryRuns } from '../store/history-runs.js';
import { isSelector, parseSelector } from '../store/selector.js';
import { openLedgerFor } from './report-ledger.js';

export interface HistoryRequest {
  readonly selectors: readonly string[];
  readonly dbPath: string;
  readonly cwd: string;
  readonly format: 'html' | 'md';
  readonly order: HistoryOrder;
  readonly cells: readonly string[];
  readonly metrics?: readonly string[];
  /** ISO 8601 time of this invocation, printed on the page */
  readonly generatedAt: string;
}

export interface HistoryDocument {
  readonly text: string;
  /** notes for stderr: runs without a commit in commit order, duplicate cells, metrics nobody had */
  readonly warnings: string[];
}

/** Reads the runs from the ledger and renders the history document. */
export async function renderLedgerHistory(req: HistoryRequest): Promise<HistoryDocument> {
  const files = req.selectors.filter((s) => !isSelector(s));
  if (files.length > 0) {
    throw new GoodputError('USAGE', `--history reads the ledger: "${files[0]}" is not a ledger selector`, {
      hint: 'give run:<id>, commit:<sha>, label:<x> or latest (or nothing, for every run); put report files in the ledger first with `goodput db import FILES`',
    });
  }
  const commits = req.selectors
    .map((s) => parseSelector(s))
    .flatMap((s) => (s.kind === 'commit' ? [s.sha] : []));
  const dbFile = resolve(req.cwd, req.dbPath);
  const ledger = openLedgerFor(
    dbFile,
    req.selectors.length === 0 ? '--history' : `--history ${req.selectors.map((s) => `"${s}"`).join(' ')}`,
  );
  let selected: ReturnType<typeof selectHistoryRuns>;
  try {
    selected = selectHistoryRuns(ledger, req.selectors);
  } finally {
    ledger.close();
  }
  if (selected.length === 0) {
    throw new GoodputError('INPUT_EMPTY', `--history: ledger ${dbFile} holds no runs`, {
      hint: 'record runs with `goodput bench-serve` or `goodput db import FILES`',
    });
  }
  const ordered = orderHistoryRuns(selected, req.order, commits);
  const { points, warnings } = historyPoints(ordered.runs, {
    cells: req.cells,
    ...(req.metrics === undefined ? {} : { metrics: req.metrics }),
  });
  if (points.length === 0) {
    throw new GoodputError('INPUT_EMPTY', '--history: the selected runs provide none of the chosen metrics', {
      hint: 'choose other --metrics (ITL is unavailable in cells without complete ITL evidence)',
    });
  }
  if (ordered.withoutCommit > 0) {
    warnings.unshift(
      `--order commit: ${ordered.withoutCommit} run(s) record no commit; they are placed last, in time order`,
    );
  }
  const options = {
    // commit order is computed here; time order is re-derived by the renderer from the same start times
    order: req.order === 'commit' ? ('given' as const) : ('time' as const),
    title: req.selectors.length === 0 ? 'Benchmark history' : `Benchmark history: ${req.selectors.join(' ')}`,
  };
  if (req.format === 'md') {
    const { renderHistoryMarkdown } = await import('../render/history-markdown.js');
    const runLabels = new Map<string, string>();
    for (const r of ordered.runs) if (r.run.label !== null) runLabels.set(historyRunId(r), r.run.label);
    return { text: renderHistoryMarkdown(points, { ...options, runLabels }), warnings };
  }
  // loaded on demand: the page pulls in the chart engine, which `goodput --help` must not pay for
  const { renderHistoryHtml } = await import('../render/html/history-page.js');
  return { text: await renderHistoryHtml(points, { ...options, generatedAt: req.generatedAt }), warnings };
}
