import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { latestVersion, MIGRATIONS, type Migration, migrate } from '../../src/store/migrations.js';

const v2: Migration = { version: 2, name: 'add a note column', sql: 'ALTER TABLE runs ADD COLUMN note TEXT' };
const v3: Migration = { version: 3, name: 'index the note', sql: 'CREATE INDEX runs_note ON runs(note)' };

describe('migrate', () => {
  it('applies every migration in order on an empty database and records each', () => {
    const db = new Database(':memory:');
    expect(migrate(db, 'mem', [...MIGRATIONS, v2, v3])).toEqual([1, 2, 3]);
    expect(db.prepare('SELECT version FROM schema_version ORDER BY version').pluck().all()).toEqual([
      1, 2, 3,
    ]);
    expect(db.prepare("SELECT name FROM pragma_table_info('runs') WHERE name = 'note'").pluck().get()).toBe(
      'note',
    );
  });

  it('applies only the missing ones to a database at an older version', () => {
    const db = new Database(':memory:');
    migrate(db, 'mem');
    expect(migrate(db, 'mem', [...MIGRATIONS, v2])).toEqual([2]);
    expect(migrate(db, 'mem', [...MIGRATIONS, v2, v3])).toEqual([3]);
    expect(migrate(db, 'mem', [...MIGRATIONS, v2, v3])).toEqual([]);
  });

  it('a failing migration rolls back alone: the version is not recorded and the schema is unchanged', () => {
    const db = new Database(':memory:');
    const bad: Migration = {
      version: 2,
      name: 'bad',
      sql: 'ALTER TABLE runs ADD COLUMN ok TEXT; ALTER TABLE nowhere ADD COLUMN x TEXT',
    };
    expect(() => migrate(db, 'mem', [...MIGRATIONS, bad])).toThrow(/nowhere/);
    expect(db.prepare('SELECT MAX(version) FROM schema_version').pluck().get()).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM pragma_table_info('runs') WHERE name = 'ok'").pluck().get()).toBe(
      0,
    );
  });

  it('refuses a migration list that is not numbered 1..n', () => {
    const db = new Database(':memory:');
    expect(() => migrate(db, 'mem', [...MIGRATIONS, v3])).toThrow(/numbered 1\.\.n/);
    expect(latestVersion([...MIGRATIONS, v2])).toBe(2);
  });
});
