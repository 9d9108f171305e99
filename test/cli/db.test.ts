// `goodput db …` end to end: main() with an in-memory IO in a temp working directory.

import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import { RunEnvelopeSchema } from '../../src/core/schema/run-envelope.js';

const here = dirname(fileURLToPath(import.meta.url));
const reports = resolve(here, '../../../shared/fixtures/ferrum/reports');
const allFixtures = readdirSync(reports).flatMap((d) =>
  readdirSync(join(reports, d)).map((f) => join(reports, d, f)),
);

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'goodput-db-cli-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = memoryIo({ cwd });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

describe('goodput db', () => {
  it('import stores every fixture report; list shows them as a table and as JSON', async () => {
    const imported = await run('db', 'import', ...allFixtures);
    expect(imported.code).toBe(0);
    expect(imported.out).toBe('24 run(s) imported into goodput.db\n');
    expect(existsSync(join(cwd, 'goodput.db'))).toBe(true);

    const table = await run('db', 'list');
    expect(table.code).toBe(0);
    expect(table.out.split('\n').filter((l) => l.includes('│ import')).length).toBe(24);
    expect(table.out).toContain('Qwen/Qwen3-30B-A3B-GPTQ-Int4');

    const json = await run('db', 'list', '--json', '--limit', '2');
    const runs = JSON.parse(json.out) as Array<{ id: number; source: string; cellCount: number }>;
    expect(runs.map((r) => r.id)).toEqual([24, 23]);
    expect(runs.every((r) => r.source === 'import' && r.cellCount === 1)).toBe(true);
  });

  it('a second import of the same files imports nothing', async () => {
    await run('db', 'import', join(reports, 'graph-ab'));
    const again = await run('db', 'import', join(reports, 'graph-ab'));
    expect(again.out).toBe('0 run(s) imported into goodput.db\n');
    expect(again.err).toContain('is already run 1');
  });

  it('show prints the run and its cells; --json prints a valid run envelope', async () => {
    await run('db', 'import', '--label', 'rg', join(reports, 'release-gate/candidate_c16_n3.json'));
    const shown = await run('db', 'show', 'label:rg');
    expect(shown.code).toBe(0);
    expect(shown.out).toContain('run 1 (import:sha256:');
    expect(shown.out).toContain('label     rg');
    expect(shown.out).toMatch(/c=16\s+│ 256→128 │ 3 /);
    const asJson = await run('db', 'show', '1', '--json');
    expect(RunEnvelopeSchema.parse(JSON.parse(asJson.out)).cells).toHaveLength(1);
  });

  it('export writes the envelope or JSONL atomically to --out, and reports equal the originals', async () => {
    const file = join(reports, 'engine-pair/vllm0202_c32_n5.json');
    await run('db', 'import', file);
    expect((await run('db', 'export', 'latest', '--out', 'run.json')).code).toBe(0);
    const envelope = RunEnvelopeSchema.parse(JSON.parse(readFileSync(join(cwd, 'run.json'), 'utf8')));
    expect(envelope.cells).toEqual(parseReports(readFileSync(file, 'utf8'), file));
    const jsonl = await run('db', 'export', 'run:1', '--format', 'jsonl');
    expect(jsonl.out.trim().split('\n')).toHaveLength(1);
    expect(parseReports(jsonl.out, 'stdout')).toEqual(envelope.cells);
    expect(readdirSync(cwd).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('prune without --yes lists and deletes nothing (exit 2); with --yes it deletes', async () => {
    await run('db', 'import', join(reports, 'graph-ab'));
    const dry = await run('db', 'prune', '--keep', '3');
    expect(dry.code).toBe(2);
    expect(dry.err).toContain('would delete the 5 run(s) above; nothing was deleted');
    expect(dry.err).toContain('--yes');
    expect(JSON.parse((await run('db', 'list', '--json')).out)).toHaveLength(8);
    const real = await run('db', 'prune', '--keep', '3', '--yes');
    expect(real.code).toBe(0);
    expect(real.out).toBe('deleted 5 run(s) from goodput.db\n');
    expect(JSON.parse((await run('db', 'list', '--json')).out)).toHaveLength(3);
  });

  it.each([
    [['db', 'prune'], 'exactly one of --keep N or --before DATE'],
    [['db', 'prune', '--keep', 'x', '--yes'], '--keep x'],
    [['db', 'show', 'banana'], 'is not a run'],
    [['db', 'list', '--limit', '-1'], '--limit -1'],
  ])('%j is a usage error naming the problem', async (args, message) => {
    await run('db', 'import', join(reports, 'graph-ab/graph_on_c1.json'));
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('reading a ledger that does not exist says so instead of creating one', async () => {
    const r = await run('db', 'list', '--db', 'missing.db');
    expect(r.code).toBe(2);
    expect(r.err).toContain('no ledger at');
    expect(existsSync(join(cwd, 'missing.db'))).toBe(false);
  });

  it('importing a broken file names it and exits 2', async () => {
    const r = await run('db', 'import', join(reports, 'graph-ab/graph_on_c1.json'), join(cwd, 'nope.json'));
    expect(r.code).toBe(2);
    expect(r.err).toContain('nope.json does not exist');
  });
});
