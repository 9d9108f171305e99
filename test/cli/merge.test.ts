// `goodput merge` finishes its run like bench-serve (SPEC §3.7, §5, §9): report.html beside
// report.md, and the merged run — one run, its one cell, every request row — in the ledger unless
// --no-db; a bad --db names the flag and the file after every result file is written. Two shards
// of one small closed-loop run go to a real simulator over HTTP, both in this process.

import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import type { RunSummary } from '../../src/store/ledger.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-merge-cli-'));
const shardDirs = [join(tmp, 'shard-0'), join(tmp, 'shard-1')];
let sim: SimulatorHandle;

async function run(args: string[], cwd = tmp) {
  const io = memoryIo({ cwd });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

const lines = (path: string) =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '');

beforeAll(async () => {
  sim = await startSimulator({ seed: 3 });
  // one sharded run: 2 shards of a closed loop of 2 streams, 6 measured requests and 2 warmups
  const startAt = String(Date.now() + 1500);
  const shards = await Promise.all(
    shardDirs.map((dir, i) =>
      run([
        'bench-serve',
        '--base-url',
        sim.url,
        '--seed',
        '5',
        '--n-repeats',
        '1',
        '--concurrency',
        '2',
        '--num-prompts',
        '6',
        '--warmup-requests',
        '2',
        '--random-input-len',
        '16',
        '--random-output-len',
        '4',
        '--shard',
        `${i}/2`,
        '--start-at',
        startAt,
        '--out-dir',
        dir,
      ]),
    ),
  );
  for (const s of shards) expect(s.code, s.err).toBe(0);
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

describe('goodput merge records and renders the merged run', () => {
  const db = join(tmp, 'ledger.db');
  const out = join(tmp, 'merged');

  it('--db --db-requests: the ledger holds the merged run (source merge, 1 cell, every request row) and report.html its cell', async () => {
    const r = await run(['merge', ...shardDirs, '--out-dir', out, '--db', db, '--db-requests']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toContain(`recorded run 1 in ${db} (1 cell, 8 request rows)`);
    const requests = lines(join(out, 'requests.jsonl'));
    expect(requests).toHaveLength(6 + 2);

    const list = await run(['db', 'list', '--db', db, '--json']);
    expect(list.code, list.err).toBe(0);
    const runs = JSON.parse(list.out) as RunSummary[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({
      id: 1,
      source: 'merge',
      sourcePath: out,
      label: 'goodput-sim',
      cellCount: 1,
      requestCount: requests.length,
      models: ['goodput-sim'],
    });
    expect(runs[0]?.commandLine).toEqual([
      'goodput',
      'merge',
      ...shardDirs,
      '--out-dir',
      out,
      '--db',
      db,
      '--db-requests',
    ]);
    const table = await run(['db', 'list', '--db', db]);
    expect(table.out).toMatch(/│ 1\s+│.*│ merge\s+│.*│ 1\s+│ 8\s+│ goodput-sim/);

    // the stored cell is the file's cell: same report, comparability stamped, from 2 shards
    const file = JSON.parse(readFileSync(join(out, 'report.json'), 'utf8')) as {
      goodput: { run_id: string };
      cells: BenchReport[];
    };
    const shown = await run(['db', 'show', 'latest', '--db', db, '--json']);
    const stored = JSON.parse(shown.out) as { goodput: { run_id: string }; cells: BenchReport[] };
    expect(stored.goodput.run_id).toBe(file.goodput.run_id);
    expect(stored.cells).toEqual(file.cells);
    const cell = stored.cells[0];
    expect(cell?.goodput?.comparability?.hash).toMatch(/^sha256:/);
    expect((cell?.goodput?.shards as { count: number } | undefined)?.count).toBe(2);
    expect(cell?.completed_per_run).toEqual([6]);

    const md = readFileSync(join(out, 'report.md'), 'utf8');
    expect(md).toContain('closed_loop');
    const html = readFileSync(join(out, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain('goodput-sim');
    expect(html).toContain('closed_loop');
    expect(html).toContain(out);
  });

  it('report latest and compare run:<id> vs the merged file read what merge stored', async () => {
    const fromLedger = await run(['report', 'latest', '--db', db, '--format', 'md']);
    expect(fromLedger.code, fromLedger.err).toBe(0);
    expect(fromLedger.out).toContain('closed_loop');
    const fromDir = await run(['report', out, '--format', 'md']);
    expect(fromLedger.out.replaceAll('run:1', out)).toBe(fromDir.out);

    const compared = await run([
      'compare',
      'run:1',
      join(out, 'report.json'),
      '--db',
      db,
      '--format',
      'json',
    ]);
    expect(compared.code, compared.err).toBe(0);
    const comparison = JSON.parse(compared.out) as {
      cells: {
        sourceA: string;
        sourceB: string;
        comparability: unknown[];
        metrics: { a: unknown; b: unknown }[];
      }[];
      onlyA: unknown[];
      onlyB: unknown[];
    };
    // the stored run and its file are the same cell: joined, comparable, every metric equal
    expect(comparison.onlyA).toEqual([]);
    expect(comparison.onlyB).toEqual([]);
    expect(comparison.cells).toHaveLength(1);
    const joined = comparison.cells[0];
    expect(joined?.sourceA).toBe('run:1#0');
    expect(joined?.comparability).toEqual([]);
    expect(joined?.metrics.length).toBeGreaterThan(0);
    for (const m of joined?.metrics ?? []) expect(m.a).toEqual(m.b);
  });

  it('`goodput db import` of a merged run directory records it as source merge', async () => {
    const other = join(tmp, 'imported.db');
    const r = await run(['db', 'import', out, '--db', other]);
    expect(r.code, r.err).toBe(0);
    const runs = JSON.parse((await run(['db', 'list', '--db', other, '--json'])).out) as RunSummary[];
    expect(runs).toHaveLength(1);
    expect(runs[0]).toMatchObject({ source: 'merge', cellCount: 1, sourcePath: out });
  });

  it('merging the same shards again does not record the run a second time', async () => {
    const r = await run(['merge', ...shardDirs, '--out-dir', join(tmp, 'merged-again'), '--db', db]);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toMatch(/was already recorded in .*ledger\.db as run 1: not recorded again/);
    const runs = JSON.parse((await run(['db', 'list', '--db', db, '--json'])).out) as RunSummary[];
    expect(runs).toHaveLength(1);
  });

  it('records into ./goodput.db by default, and --no-db leaves no ledger behind', async () => {
    const withDb = join(tmp, 'cwd-default');
    const noDb = join(tmp, 'cwd-no-db');
    mkdirSync(withDb);
    mkdirSync(noDb);
    const plain = await run(['merge', ...shardDirs, '--out-dir', 'm'], withDb);
    expect(plain.code, plain.err).toBe(0);
    expect(existsSync(join(withDb, 'goodput.db'))).toBe(true);
    // request rows are opt-in (--db-requests): by default the run and its cell only
    expect(plain.err).toContain('(1 cell; request rows only with --db-requests)');
    const listed = JSON.parse((await run(['db', 'list', '--json'], withDb)).out) as RunSummary[];
    expect(listed[0]).toMatchObject({ source: 'merge', cellCount: 1, requestCount: 0 });
    const r = await run(['merge', ...shardDirs, '--out-dir', 'm', '--no-db'], noDb);
    expect(r.code, r.err).toBe(0);
    expect(r.err).not.toContain('recorded');
    expect(existsSync(join(noDb, 'goodput.db'))).toBe(false);
    expect(readFileSync(join(noDb, 'm', 'report.html'), 'utf8')).toContain('closed_loop');
  });

  it('a --db that cannot be opened fails naming the flag and the file, after every result file is written', async () => {
    const blocker = join(tmp, 'not-a-dir');
    writeFileSync(blocker, 'a file, not a directory\n');
    const bad = join(blocker, 'ledger.db');
    const dir = join(tmp, 'merged-bad-db');
    const r = await run(['merge', ...shardDirs, '--out-dir', dir, '--db', bad]);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`error: --db ${bad}: cannot open ledger`);
    expect(r.err).toContain(`the results are written in ${dir}`);
    expect(r.err).toContain(`goodput db import ${dir}`);
    for (const f of ['report.json', 'cells.jsonl', 'requests.jsonl', 'report.md', 'report.html'])
      expect(existsSync(join(dir, f)), f).toBe(true);
    expect(lines(join(dir, 'requests.jsonl'))).toHaveLength(8);
  });
});
