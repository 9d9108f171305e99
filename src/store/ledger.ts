// The results ledger (SPEC §5): one SQLite file (WAL mode) holding runs, their cells (the report
// JSON verbatim plus indexed columns) and optionally their request records. Each run is written in
// ONE transaction, so a crash leaves either the whole run or nothing.

import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { GoodputError } from '../core/errors.js';
import type { BenchReport } from '../core/schema/bench-report.js';
import { GOODPUT_SCHEMA_VERSION } from '../core/schema/extension.js';
import type { RunEnvelope } from '../core/schema/run-envelope.js';
import { cellRowFromReport, reportFromRow } from './cell-row.js';
import { migrate } from './migrations.js';
import { parseSelector, type Selector } from './selector.js';

/** One run to record: its metadata, its cells and, optionally, its raw request records. */
export interface RunInput {
  /** a stable id for the run (the envelope's run_id, or a content hash for imports); random when absent */
  readonly uid?: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  readonly commandLine?: readonly string[];
  readonly toolVersion?: string;
  readonly label?: string;
  /** who produced it: `bench-serve`, `import`, `compare-commits`, … */
  readonly source: string;
  /** the file or directory it came from */
  readonly sourcePath?: string;
  /** the commit measured; defaults to the first cell's env.commit_sha */
  readonly commit?: string;
  readonly cells: readonly BenchReport[];
  /** requests.jsonl lines, one JSON record each, read lazily inside the transaction */
  readonly requestLines?: Iterable<string>;
  /** names the request lines in errors (`<dir>/requests.jsonl`) */
  readonly requestSource?: string;
}

export interface RecordOptions {
  /** called every `progressEvery` request rows with the number written so far (inside the transaction) */
  readonly onRequestRows?: (written: number) => void;
  readonly progressEvery?: number;
}

export interface RecordResult {
  readonly id: number;
  readonly uid: string;
  /** false when a run with this uid was already stored (nothing was written) */
  readonly created: boolean;
  readonly cells: number;
  readonly requests: number;
}

export interface RunSummary {
  readonly id: number;
  readonly uid: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
  readonly recordedAt: string;
  readonly commandLine: string[] | null;
  readonly toolVersion: string | null;
  readonly label: string | null;
  readonly source: string;
  readonly sourcePath: string | null;
  readonly commit: string | null;
  readonly cellCount: number;
  readonly requestCount: number;
  /** distinct models (without tag) of its cells */
  readonly models: string[];
}

export interface StoredCell {
  readonly id: number;
  readonly runId: number;
  readonly index: number;
  readonly cellKey: string;
  readonly report: BenchReport;
}

export interface StoredRun {
  readonly run: RunSummary;
  readonly cells: StoredCell[];
}

export interface RunFilter {
  readonly limit?: number;
  readonly label?: string;
  readonly commit?: string;
  readonly source?: string;
  /** model name, with or without tag */
  readonly model?: string;
}

export type PruneRule = { readonly keep: number } | { readonly before: string };

export interface Ledger {
  readonly path: string;
  recordRun(run: RunInput, options?: RecordOptions): RecordResult;
  listRuns(filter?: RunFilter): RunSummary[];
  getRun(id: number): StoredRun;
  /** the cells of the newest run the selector matches; throws INPUT_MISSING when none does */
  resolveSelector(selector: string | Selector): StoredRun;
  exportRun(id: number): RunEnvelope;
  /** the stored requests.jsonl lines of a run, in insertion order */
  requestLines(id: number): IterableIterator<string>;
  /** the runs a prune rule would delete (newest first), without deleting */
  planPrune(rule: PruneRule): RunSummary[];
  /** deletes what planPrune returns, in one transaction; returns the deleted runs */
  pruneRuns(rule: PruneRule): RunSummary[];
  close(): void;
}

export interface OpenOptions {
  /** wall clock for recorded_at; injectable for tests */
  readonly now?: () => Date;
  /** refuse to create a new file (readers: `compare run:3` against a missing ledger is a mistake) */
  readonly mustExist?: boolean;
}

interface RunRow {
  id: number;
  uid: string;
  started_at: string | null;
  finished_at: string | null;
  recorded_at: string;
  command_line: string | null;
  tool_version: string | null;
  label: string | null;
  source: string;
  source_path: string | null;
  commit_sha: string | null;
  cell_count: number;
  request_count: number;
  models: string | null;
}

interface CellRow {
  id: number;
  run_id: number;
  idx: number;
  cell_key: string;
  report_json: string;
}

const RUN_COLUMNS = `r.id, r.uid, r.started_at, r.finished_at, r.recorded_at, r.command_line, r.tool_version,
  r.label, r.source, r.source_path, r.commit_sha,
  (SELECT COUNT(*) FROM cells c WHERE c.run_id = r.id) AS cell_count,
  (SELECT COUNT(*) FROM requests q WHERE q.run_id = r.id) AS request_count,
  (SELECT GROUP_CONCAT(DISTINCT c.model_base) FROM cells c WHERE c.run_id = r.id) AS models`;

/**
 * Opens (creating if needed) the ledger at `path`, switches it to WAL mode and applies pending
 * migrations. Errors name the file: a directory, an unreadable file or a non-SQLite file is IO.
 */
export function openLedger(path: string, options: OpenOptions = {}): Ledger {
  const now = options.now ?? (() => new Date());
  if (options.mustExist === true && !existsSync(path)) {
    throw new GoodputError('INPUT_MISSING', `no ledger at ${path}`, {
      hint: 'runs are recorded by `goodput bench-serve` and `goodput db import`; pass --db PATH to use another ledger',
    });
  }
  let db: Database.Database;
  try {
    mkdirSync(dirname(path), { recursive: true });
    db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, path);
  } catch (e) {
    if (e instanceof GoodputError) throw e;
    throw new GoodputError('IO', `cannot open ledger ${path}: ${(e as Error).message}`, {
      hint: 'pass --db with a writable SQLite file path, or --no-db',
      cause: e,
    });
  }

  const insertRun = db.prepare(`INSERT INTO runs
    (uid, started_at, finished_at, recorded_at, command_line, tool_version, label, source, source_path, commit_sha)
    VALUES (@uid, @started_at, @finished_at, @recorded_at, @command_line, @tool_version, @label, @source, @source_path, @commit_sha)`);
  const insertCell = db.prepare(`INSERT INTO cells
    (run_id, idx, cell_key, model, model_base, backend, scenario, concurrency, request_rate, n_prompt, n_gen,
     dataset, n_repeats, comparability_hash, env_hash, commit_sha, started_at, finished_at, report_json)
    VALUES (@run_id, @idx, @cell_key, @model, @model_base, @backend, @scenario, @concurrency, @request_rate,
     @n_prompt, @n_gen, @dataset, @n_repeats, @comparability_hash, @env_hash, @commit_sha, @started_at,
     @finished_at, @report_json)`);
  const insertRequest =
    db.prepare(`INSERT INTO requests (run_id, cell_key, repeat, idx, warmup, status, record_json)
    VALUES (?, ?, ?, ?, ?, ?, ?)`);
  const runByUid = db.prepare('SELECT id FROM runs WHERE uid = ?');
  const runById = db.prepare(`SELECT ${RUN_COLUMNS} FROM runs r WHERE r.id = ?`);
  const cellsOfRun = db.prepare(
    'SELECT id, run_id, idx, cell_key, report_json FROM cells WHERE run_id = ? ORDER BY idx',
  );

  const summaryOf = (row: RunRow): RunSummary => ({
    id: row.id,
    uid: row.uid,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    recordedAt: row.recorded_at,
    commandLine: row.command_line === null ? null : (JSON.parse(row.command_line) as string[]),
    toolVersion: row.tool_version,
    label: row.label,
    source: row.source,
    sourcePath: row.source_path,
    commit: row.commit_sha,
    cellCount: row.cell_count,
    requestCount: row.request_count,
    models: row.models === null ? [] : row.models.split(',').sort(),
  });

  const getRun = (id: number): StoredRun => {
    const row = runById.get(id) as RunRow | undefined;
    if (row === undefined) {
      throw new GoodputError('INPUT_MISSING', `ledger ${path} has no run ${id}`, {
        hint: 'list the runs with `goodput db list`',
      });
    }
    const cells = (cellsOfRun.all(id) as CellRow[]).map((c) => ({
      id: c.id,
      runId: c.run_id,
      index: c.idx,
      cellKey: c.cell_key,
      report: reportFromRow(c.report_json, `${path} run ${id} cell ${c.idx}`),
    }));
    return { run: summaryOf(row), cells };
  };

  const newestRunWhere = (where: string, params: unknown[], what: string): StoredRun => {
    const row = db
      .prepare(`SELECT r.id FROM runs r WHERE ${where} ORDER BY r.id DESC LIMIT 1`)
      .get(...params) as { id: number } | undefined;
    if (row === undefined) {
      throw new GoodputError('INPUT_MISSING', `no run in ledger ${path} matches ${what}`, {
        hint: 'list the stored runs with `goodput db list`',
      });
    }
    return getRun(row.id);
  };

  const planPrune = (rule: PruneRule): RunSummary[] => {
    let rows: RunRow[];
    if ('keep' in rule) {
      if (!Number.isInteger(rule.keep) || rule.keep < 0) {
        throw new GoodputError('USAGE', `--keep must be a whole number ≥ 0, got ${rule.keep}`);
      }
      rows = db
        .prepare(`SELECT ${RUN_COLUMNS} FROM runs r ORDER BY r.id DESC LIMIT -1 OFFSET ?`)
        .all(rule.keep) as RunRow[];
    } else {
      const before = Date.parse(rule.before);
      if (Number.isNaN(before)) {
        throw new GoodputError('USAGE', `--before "${rule.before}" is not a date`, {
          hint: 'use an ISO date, e.g. 2026-01-31',
        });
      }
      const iso = new Date(before).toISOString();
      rows = db
        .prepare(
          `SELECT ${RUN_COLUMNS} FROM runs r WHERE COALESCE(r.started_at, r.recorded_at) < ? ORDER BY r.id DESC`,
        )
        .all(iso) as RunRow[];
    }
    return rows.map(summaryOf);
  };

  return {
    path,
    recordRun(run, recordOptions = {}) {
      const uid = run.uid ?? randomUUID();
      const every = recordOptions.progressEvery ?? 10_000;
      const write = db.transaction((): RecordResult => {
        const existing = runByUid.get(uid) as { id: number } | undefined;
        if (existing !== undefined) return { id: existing.id, uid, created: false, cells: 0, requests: 0 };
        const commit = run.commit ?? run.cells[0]?.env.commit_sha;
        const info = insertRun.run({
          uid,
          started_at: run.startedAt ?? null,
          finished_at: run.finishedAt ?? null,
          recorded_at: now().toISOString(),
          command_line: run.commandLine === undefined ? null : JSON.stringify(run.commandLine),
          tool_version: run.toolVersion ?? null,
          label: run.label ?? null,
          source: run.source,
          source_path: run.sourcePath ?? null,
          commit_sha: commit === undefined || commit === '' ? null : commit,
        });
        const runId = Number(info.lastInsertRowid);
        run.cells.forEach((report, idx) => {
          insertCell.run({ run_id: runId, idx, ...cellRowFromReport(report) });
        });
        let requests = 0;
        let lineNo = 0;
        for (const line of run.requestLines ?? []) {
          lineNo++;
          if (line.trim() === '') continue;
          const row = requestRow(line, `${run.requestSource ?? 'requests.jsonl'}:${lineNo}`);
          insertRequest.run(runId, row.cell, row.repeat, row.index, row.warmup ? 1 : 0, row.status, line);
          requests++;
          if (requests % every === 0) recordOptions.onRequestRows?.(requests);
        }
        return { id: runId, uid, created: true, cells: run.cells.length, requests };
      });
      return write();
    },

    listRuns(filter = {}) {
      const where: string[] = [];
      const params: unknown[] = [];
      if (filter.label !== undefined) {
        where.push('r.label = ?');
        params.push(filter.label);
      }
      if (filter.source !== undefined) {
        where.push('r.source = ?');
        params.push(filter.source);
      }
      if (filter.commit !== undefined) {
        where.push(`${COMMIT_MATCH}`);
        params.push(...commitParams(filter.commit));
      }
      if (filter.model !== undefined) {
        where.push(
          'EXISTS (SELECT 1 FROM cells c WHERE c.run_id = r.id AND (c.model = ? OR c.model_base = ?))',
        );
        params.push(filter.model, filter.model);
      }
      const limit = filter.limit ?? -1;
      const sql = `SELECT ${RUN_COLUMNS} FROM runs r ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY r.id DESC LIMIT ?`;
      return (db.prepare(sql).all(...params, limit) as RunRow[]).map(summaryOf);
    },

    getRun,

    resolveSelector(selector) {
      const s = typeof selector === 'string' ? parseSelector(selector) : selector;
      switch (s.kind) {
        case 'latest':
          return newestRunWhere('1 = 1', [], 'latest (the ledger is empty)');
        case 'label':
          return newestRunWhere('r.label = ?', [s.label], `label:${s.label}`);
        case 'commit':
          return newestRunWhere(COMMIT_MATCH, commitParams(s.sha), `commit:${s.sha}`);
        case 'run': {
          if (/^\d+$/.test(s.id)) return getRun(Number(s.id));
          return newestRunWhere('r.uid = ? OR r.uid LIKE ?', [s.id, `${s.id}%`], `run:${s.id}`);
        }
      }
    },

    exportRun(id) {
      const { run, cells } = getRun(id);
      // The envelope's required metadata: what the ledger does not know (imported ferrum files
      // have no tool version, times or command line) is marked as such, never invented.
      const envelope: RunEnvelope = {
        goodput: {
          schema_version: GOODPUT_SCHEMA_VERSION,
          tool_version: run.toolVersion ?? 'unknown',
          run_id: run.uid,
          started_at: run.startedAt ?? run.recordedAt,
          finished_at: run.finishedAt ?? run.recordedAt,
          command_line: run.commandLine ?? [],
          ledger_id: run.id,
          source: run.source,
          recorded_at: run.recordedAt,
        },
        cells: cells.map((c) => c.report),
      };
      if (run.label !== null) envelope.goodput.label = run.label;
      if (run.commit !== null) envelope.goodput.commit = run.commit;
      if (run.sourcePath !== null) envelope.goodput.source_path = run.sourcePath;
      return envelope;
    },

    *requestLines(id) {
      getRun(id);
      const rows = db
        .prepare('SELECT record_json FROM requests WHERE run_id = ? ORDER BY id')
        .iterate(id) as IterableIterator<{
        record_json: string;
      }>;
      for (const row of rows) yield row.record_json;
    },

    planPrune,

    pruneRuns(rule) {
      return db.transaction(() => {
        const doomed = planPrune(rule);
        const del = db.prepare('DELETE FROM runs WHERE id = ?');
        for (const r of doomed) del.run(r.id);
        return doomed;
      })();
    },

    close() {
      db.close();
    },
  };
}

/** A commit matches when either sha is a prefix of the other (ferrum stores 7-char shas). */
const COMMIT_MATCH = `(
  (r.commit_sha IS NOT NULL AND (r.commit_sha LIKE ? OR ? LIKE r.commit_sha || '%'))
  OR EXISTS (SELECT 1 FROM cells c WHERE c.run_id = r.id AND c.commit_sha IS NOT NULL AND c.commit_sha <> ''
             AND (c.commit_sha LIKE ? OR ? LIKE c.commit_sha || '%')))`;

function commitParams(sha: string): string[] {
  const s = sha.toLowerCase();
  return [`${s}%`, s, `${s}%`, s];
}

interface RequestRow {
  cell: string;
  repeat: number;
  index: number;
  warmup: boolean;
  status: number | null;
}

/** The indexed columns of one requests.jsonl line; the line itself is stored verbatim. */
function requestRow(line: string, where: string): RequestRow {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (e) {
    throw new GoodputError('INPUT_NOT_JSON', `${where}: not a JSON request record (${(e as Error).message})`);
  }
  const r = value as Record<string, unknown>;
  if (
    typeof r !== 'object' ||
    r === null ||
    typeof r.cell !== 'string' ||
    !Number.isInteger(r.repeat) ||
    !Number.isInteger(r.index)
  ) {
    throw new GoodputError(
      'INPUT_SCHEMA',
      `${where}: a request record needs "cell" (string), "repeat" and "index" (integers)`,
    );
  }
  return {
    cell: r.cell,
    repeat: r.repeat as number,
    index: r.index as number,
    warmup: r.warmup === true,
    status: Number.isInteger(r.status) ? (r.status as number) : null,
  };
}
