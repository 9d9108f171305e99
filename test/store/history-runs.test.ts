import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GoodputError } from '../../src/core/errors.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import { orderHistoryRuns, runTime, selectHistoryRuns } from '../../src/store/history-runs.js';
import { type Ledger, openLedger, type RunInput } from '../../src/store/ledger.js';

const reports = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/fixtures/ferrum/reports');
const cell = (name: string) => parseReports(readFileSync(join(reports, 'release-gate', name), 'utf8'), name);

let dir: string;
let ledger: Ledger;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'goodput-history-runs-'));
  let tick = 0;
  // recorded_at one minute apart, in 2026-03: after every explicit start below
  ledger = openLedger(join(dir, 'goodput.db'), { now: () => new Date(Date.UTC(2026, 2, 1, 0, tick++)) });
});
afterEach(() => {
  ledger.close();
  rmSync(dir, { recursive: true, force: true });
});

function record(run: Partial<RunInput>): number {
  return ledger.recordRun({ source: 'import', cells: cell('baseline_c4_n3.json'), ...run }).id;
}

/** Five runs: two nightly (commits aaaa, cccc), a candidate on bbbb, one without start, one without commit. */
function fiveRuns() {
  const ids = {
    nightly1: record({ label: 'nightly', commit: 'aaaa1111', startedAt: '2026-01-03T00:00:00.000Z' }),
    candidate: record({ label: 'candidate', commit: 'bbbb2222', startedAt: '2026-01-01T00:00:00.000Z' }),
    nightly2: record({ label: 'nightly', commit: 'cccc3333', startedAt: '2026-01-02T00:00:00.000Z' }),
    // imported ferrum file: no start, so the time is when the ledger stored it (2026-03-01 00:03)
    imported: record({ label: 'nightly', commit: 'aaaa1111' }),
    // commit falls back to the cells' env.commit_sha; give cells without one
    noCommit: record({
      startedAt: '2026-01-04T00:00:00.000Z',
      cells: cell('candidate_c4_n3.json').map((c) => ({ ...c, env: { ...c.env, commit_sha: '' } })),
    }),
  };
  return ids;
}

const ids = (runs: { run: { id: number } }[]) => runs.map((r) => r.run.id);

describe('selectHistoryRuns', () => {
  it('takes every run of the ledger when no selector is given', () => {
    const r = fiveRuns();
    expect(ids(selectHistoryRuns(ledger, [])).sort()).toEqual(Object.values(r).sort());
  });

  it('takes EVERY run of a label or commit, one run for run:<id> and latest, each run once', () => {
    const r = fiveRuns();
    expect(ids(selectHistoryRuns(ledger, ['label:nightly'])).sort()).toEqual(
      [r.nightly1, r.nightly2, r.imported].sort(),
    );
    // a commit prefix, as ferrum's 7-character shas need
    expect(ids(selectHistoryRuns(ledger, ['commit:aaaa']))).toEqual([r.imported, r.nightly1]);
    expect(ids(selectHistoryRuns(ledger, [`run:${r.candidate}`]))).toEqual([r.candidate]);
    expect(ids(selectHistoryRuns(ledger, ['latest']))).toEqual([r.noCommit]);
    expect(ids(selectHistoryRuns(ledger, ['commit:aaaa1111', 'label:nightly', 'latest']))).toEqual([
      r.imported,
      r.nightly1,
      r.nightly2,
      r.noCommit,
    ]);
  });

  it.each([['label:weekly'], ['commit:dddd'], ['run:99']])(
    'names the selector %s and the ledger file when it matches nothing',
    (selector) => {
      fiveRuns();
      const error = (() => {
        try {
          selectHistoryRuns(ledger, ['label:nightly', selector]);
        } catch (e) {
          return e;
        }
      })() as GoodputError;
      expect(error).toBeInstanceOf(GoodputError);
      expect(error.code).toBe('INPUT_MISSING');
      expect(error.exitCode).toBe(2);
      expect(error.message).toBe(
        `ledger selector "${selector}" matches no run in ${join(dir, 'goodput.db')}`,
      );
    },
  );

  it('rejects a malformed selector as a usage error', () => {
    expect(() => selectHistoryRuns(ledger, ['commit:xyz'])).toThrow(
      /"commit:xyz": "xyz" is not a commit sha/,
    );
  });
});

describe('orderHistoryRuns', () => {
  it('time: by start, an imported run by when it was stored', () => {
    const r = fiveRuns();
    const ordered = orderHistoryRuns(selectHistoryRuns(ledger, []), 'time');
    expect(ids(ordered.runs)).toEqual([r.candidate, r.nightly2, r.nightly1, r.noCommit, r.imported]);
    expect(runTime(ordered.runs[4]!.run)).toBe('2026-03-01T00:03:00.000Z');
    expect(ordered.withoutCommit).toBe(0);
  });

  it('time: equal starts fall back to the ledger id', () => {
    const a = record({ startedAt: '2026-01-01T00:00:00.000Z' });
    const b = record({ startedAt: '2026-01-01T00:00:00.000Z' });
    const runs = selectHistoryRuns(ledger, []);
    expect(ids(orderHistoryRuns(runs, 'time').runs)).toEqual([a, b]);
  });

  it('commit: the given commits first in their order, the others by first measurement, no commit last', () => {
    const r = fiveRuns();
    const runs = selectHistoryRuns(ledger, []);
    const given = orderHistoryRuns(runs, 'commit', ['cccc', 'aaaa1111']);
    // cccc, then both aaaa runs together in time order, then bbbb (not given), then the run without a commit
    expect(ids(given.runs)).toEqual([r.nightly2, r.nightly1, r.imported, r.candidate, r.noCommit]);
    expect(given.withoutCommit).toBe(1);
    const measured = orderHistoryRuns(runs, 'commit');
    // bbbb first measured 01-01, cccc 01-02, aaaa 01-03
    expect(ids(measured.runs)).toEqual([r.candidate, r.nightly2, r.nightly1, r.imported, r.noCommit]);
  });
});
