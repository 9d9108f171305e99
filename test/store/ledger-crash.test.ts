// A crash in the middle of recording a run leaves the ledger readable with either the whole run or
// nothing of it (SPEC §5): a child process is SIGKILLed while its one transaction is open.

import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { openLedger } from '../../src/store/ledger.js';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const fixture = resolve(root, '../shared/fixtures/ferrum/reports/release-gate/baseline_c4_n3.json');
const TOTAL_ROWS = 400_000;

let dir: string | undefined;
afterEach(() => {
  if (dir !== undefined) rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('ledger crash safety', () => {
  it('keeps the earlier run and none of a run killed with SIGKILL mid-transaction', async () => {
    dir = mkdtempSync(join(tmpdir(), 'goodput-ledger-crash-'));
    const dbPath = join(dir, 'goodput.db');
    const before = openLedger(dbPath);
    before.recordRun({
      uid: 'earlier',
      source: 'test',
      cells: [],
      requestLines: ['{"cell":"x","repeat":1,"index":0}'],
    });
    before.close();

    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'ledger-crash-writer.ts'), dbPath, fixture, String(TOTAL_ROWS)],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) =>
      child.on('exit', (code, signal) => res({ code, signal })),
    );
    await new Promise<void>((res, rej) => {
      child.stdout.on('data', (d: Buffer) => {
        stdout += d.toString();
        if (stdout.includes('rows ')) {
          child.kill('SIGKILL');
          res();
        }
      });
      child.on('exit', () => rej(new Error(`writer exited before writing rows: ${stdout}\n${stderr}`)));
    });
    const { signal } = await exit;
    expect(signal).toBe('SIGKILL');
    expect(stdout).not.toContain('committed');

    // The raw file: opens, passes SQLite's integrity check, holds no trace of the killed run.
    const raw = new Database(dbPath);
    expect(raw.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(raw.prepare("SELECT COUNT(*) AS n FROM runs WHERE uid = 'crash-run'").get()).toEqual({ n: 0 });
    expect(raw.prepare("SELECT COUNT(*) AS n FROM requests WHERE cell_key = 'crash-cell'").get()).toEqual({
      n: 0,
    });
    expect(raw.prepare('SELECT COUNT(*) AS n FROM cells').get()).toEqual({ n: 0 });
    raw.close();

    // Through the ledger: the earlier run is whole, and a new run can be written.
    const after = openLedger(dbPath);
    const runs = after.listRuns();
    expect(runs.map((r) => r.uid)).toEqual(['earlier']);
    expect(runs[0]?.requestCount).toBe(1);
    expect(after.recordRun({ uid: 'after', source: 'test', cells: [] }).created).toBe(true);
    after.close();
  });
});
