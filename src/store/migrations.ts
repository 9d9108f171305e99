// The ledger's schema, as an ordered list of versioned migrations. `migrate` applies the ones a
// database has not seen yet, each in its own transaction, and records them in `schema_version`;
// a database written by a newer goodput (a version this build does not know) is refused.

import type Database from 'better-sqlite3';
import { GoodputError } from '../core/errors.js';

export interface Migration {
  /** strictly increasing from 1 */
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, cells and request rows',
    sql: `
      CREATE TABLE runs (
        id            INTEGER PRIMARY KEY,
        uid           TEXT NOT NULL UNIQUE,
        started_at    TEXT,
        finished_at   TEXT,
        recorded_at   TEXT NOT NULL,
        command_line  TEXT,
        tool_version  TEXT,
        label         TEXT,
        source        TEXT NOT NULL,
        source_path   TEXT,
        commit_sha    TEXT
      );
      CREATE INDEX runs_label ON runs(label);
      CREATE INDEX runs_commit ON runs(commit_sha);
      CREATE TABLE cells (
        id                 INTEGER PRIMARY KEY,
        run_id             INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        idx                INTEGER NOT NULL,
        cell_key           TEXT NOT NULL,
        model              TEXT NOT NULL,
        model_base         TEXT NOT NULL,
        backend            TEXT NOT NULL,
        scenario           TEXT NOT NULL,
        concurrency        INTEGER,
        request_rate       REAL,
        n_prompt           INTEGER NOT NULL,
        n_gen              INTEGER NOT NULL,
        dataset            TEXT,
        n_repeats          INTEGER NOT NULL,
        comparability_hash TEXT,
        env_hash           TEXT NOT NULL,
        commit_sha         TEXT,
        started_at         TEXT,
        finished_at        TEXT,
        report_json        TEXT NOT NULL,
        UNIQUE (run_id, idx)
      );
      CREATE INDEX cells_key ON cells(cell_key);
      CREATE INDEX cells_shape ON cells(model_base, scenario, concurrency, request_rate, n_prompt, n_gen);
      CREATE INDEX cells_commit ON cells(commit_sha);
      CREATE INDEX cells_env_hash ON cells(env_hash);
      CREATE INDEX cells_comparability ON cells(comparability_hash);
      CREATE TABLE requests (
        id          INTEGER PRIMARY KEY,
        run_id      INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
        cell_key    TEXT NOT NULL,
        repeat      INTEGER NOT NULL,
        idx         INTEGER NOT NULL,
        warmup      INTEGER NOT NULL,
        status      INTEGER,
        record_json TEXT NOT NULL
      );
      CREATE INDEX requests_run_cell ON requests(run_id, cell_key, repeat, idx);
    `,
  },
];

/** The newest schema version this build knows. */
export function latestVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return migrations.reduce((v, m) => Math.max(v, m.version), 0);
}

/**
 * Brings `db` up to the newest version of `migrations`, applying each missing one in order inside
 * its own transaction. Returns the versions applied. `path` only names the file in errors.
 */
export function migrate(
  db: Database.Database,
  path: string,
  migrations: readonly Migration[] = MIGRATIONS,
): number[] {
  for (let i = 0; i < migrations.length; i++) {
    if (migrations[i]?.version !== i + 1) {
      throw new GoodputError(
        'INTERNAL',
        `ledger migrations must be numbered 1..n in order; entry ${i} is ${migrations[i]?.version}`,
      );
    }
  }
  db.exec(`CREATE TABLE IF NOT EXISTS schema_version (
    version    INTEGER PRIMARY KEY,
    name       TEXT NOT NULL,
    applied_at TEXT NOT NULL
  )`);
  const row = db.prepare('SELECT MAX(version) AS v FROM schema_version').get() as { v: number | null };
  const current = row.v ?? 0;
  const latest = latestVersion(migrations);
  if (current > latest) {
    throw new GoodputError(
      'IO',
      `ledger ${path} has schema version ${current}, newer than this goodput knows (${latest})`,
      {
        hint: 'upgrade goodput, or use another --db file',
      },
    );
  }
  const applied: number[] = [];
  const record = db.prepare('INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)');
  for (const m of migrations) {
    if (m.version <= current) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, new Date().toISOString());
    })();
    applied.push(m.version);
  }
  return applied;
}
