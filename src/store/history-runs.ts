// The runs of a history (SPEC §6 last bullet): every run of the ledger, or those the selectors
// match (a label or a commit selects ALL its runs here, not only the newest), put in time or in
// commit order. The ledger is read; the ordering itself is plain computation on the summaries.

import { GoodputError, isGoodputError } from '../core/errors.js';
import type { Ledger, RunSummary, StoredRun } from './ledger.js';
import { parseSelector } from './selector.js';

/** `time`: by the run's start; `commit`: runs grouped by commit, commits in the given (or first-measured) order. */
export type HistoryOrder = 'time' | 'commit';

/** When a run happened: its recorded start, else when the ledger stored it (imported ferrum files have no start). */
export function runTime(run: RunSummary): string {
  return run.startedAt ?? run.recordedAt;
}

/** The ledger's error for a selector that matches nothing, naming the selector and the ledger file. */
function noMatch(ledger: Ledger, selector: string, cause?: unknown): GoodputError {
  return new GoodputError('INPUT_MISSING', `ledger selector "${selector}" matches no run in ${ledger.path}`, {
    hint: `list the stored runs with \`goodput db list --db ${ledger.path}\``,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The runs one selector stands for in a history: `label:x` and `commit:sha` every run carrying it,
 * `run:id` and `latest` one run. Throws INPUT_MISSING naming the selector and the ledger when none.
 */
function runsOfSelector(ledger: Ledger, text: string): StoredRun[] {
  const selector = parseSelector(text);
  let summaries: RunSummary[];
  if (selector.kind === 'label') summaries = ledger.listRuns({ label: selector.label });
  else if (selector.kind === 'commit') summaries = ledger.listRuns({ commit: selector.sha });
  else {
    try {
      return [ledger.resolveSelector(selector)];
    } catch (e) {
      if (isGoodputError(e, 'INPUT_MISSING')) throw noMatch(ledger, text, e);
      throw e;
    }
  }
  if (summaries.length === 0) throw noMatch(ledger, text);
  return summaries.map((s) => ledger.getRun(s.id));
}

/**
 * The runs of a history: all runs of the ledger when `selectors` is empty, else the union of what
 * each selector matches (each run once). Unordered: pass the result to `orderHistoryRuns`.
 */
export function selectHistoryRuns(ledger: Ledger, selectors: readonly string[]): StoredRun[] {
  if (selectors.length === 0) return ledger.listRuns().map((s) => ledger.getRun(s.id));
  const seen = new Set<number>();
  const runs: StoredRun[] = [];
  for (const text of selectors) {
    for (const run of runsOfSelector(ledger, text)) {
      if (seen.has(run.run.id)) continue;
      seen.add(run.run.id);
      runs.push(run);
    }
  }
  return runs;
}

const byTime = (a: StoredRun, b: StoredRun): number => {
  const ta = runTime(a.run);
  const tb = runTime(b.run);
  return ta < tb ? -1 : ta > tb ? 1 : a.run.id - b.run.id;
};

/** Either sha is a prefix of the other (ferrum stores 7-character shas), as the ledger matches commits. */
function sameCommit(a: string, b: string): boolean {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x.startsWith(y) || y.startsWith(x);
}

export interface OrderedRuns {
  readonly runs: StoredRun[];
  /** in commit order: the runs without a commit, placed last in time order */
  readonly withoutCommit: number;
}

/**
 * Orders the runs. `time`: by start (then ledger id). `commit`: runs grouped by commit; the commits
 * in the order of `commitOrder` (the `commit:` selectors as the user wrote them, since the ledger
 * cannot know the repository's graph), the others after them by their first run; within a commit
 * by time; runs without a commit last.
 */
export function orderHistoryRuns(
  runs: readonly StoredRun[],
  order: HistoryOrder,
  commitOrder: readonly string[] = [],
): OrderedRuns {
  const timed = [...runs].sort(byTime);
  if (order === 'time') return { runs: timed, withoutCommit: 0 };
  const rank = new Map<string, number>();
  for (const run of timed) {
    const commit = run.run.commit;
    if (commit === null || rank.has(commit)) continue;
    const given = commitOrder.findIndex((c) => sameCommit(c, commit));
    // the given commits first, in their order; the rest by first measurement (timed is in time order)
    rank.set(commit, given >= 0 ? given : commitOrder.length + rank.size);
  }
  const withCommit = timed.filter((r) => r.run.commit !== null);
  const without = timed.filter((r) => r.run.commit === null);
  // a stable sort keeps time order within a commit
  withCommit.sort((a, b) => (rank.get(a.run.commit ?? '') ?? 0) - (rank.get(b.run.commit ?? '') ?? 0));
  return { runs: [...withCommit, ...without], withoutCommit: without.length };
}
