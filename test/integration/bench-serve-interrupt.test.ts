// Ctrl-C in the middle of a cell: bench-serve stops sending, lets the requests in flight finish,
// and leaves a valid report.json, cells.jsonl and requests.jsonl holding every completed cell, then
// exits 1 — once through main() with a fake interrupt, once as a real child process with SIGINT.

import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { readRunDirectory } from './run-directory-reader.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(join(tmpdir(), 'goodput-interrupt-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const PROMPTS = 12;
/** first cell c=4 finishes fast; the second (c=1, ~7 ms per token × 24 tokens per request) takes seconds */
const args = (dir: string) => [
  'bench-serve',
  '--concurrency-sweep',
  '4,1',
  '--num-prompts',
  String(PROMPTS),
  '--n-repeats',
  '1',
  '--warmup-requests',
  '1',
  '--sim-preset',
  'small-gpu',
  '--random-input-len',
  '16',
  '--random-output-len',
  '24',
  '--ignore-eos',
  '--out-dir',
  dir,
  '--no-db',
];

function cellLines(dir: string): number {
  const path = join(dir, 'cells.jsonl');
  return existsSync(path)
    ? readFileSync(path, 'utf8')
        .split('\n')
        .filter((l) => l !== '').length
    : 0;
}

async function waitFor(condition: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 20));
  }
}

function expectCompletedCellOnly(dir: string): void {
  const { requests, cells, envelope, schemaProblems } = readRunDirectory(dir);
  expect(schemaProblems).toEqual([]);
  expect(cells).toHaveLength(1);
  expect(envelope.cells).toHaveLength(1);
  expect(envelope.cells[0]?.concurrency).toBe(4);
  expect(envelope.goodput.interrupted).toBe(true);
  // every planned request of both cells (warmup included) has exactly one record
  const ids = requests.map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  const first = requests.filter((r) => r.id.startsWith('0.'));
  const second = requests.filter((r) => r.id.startsWith('1.'));
  expect(first).toHaveLength(PROMPTS + 1);
  expect(first.every((r) => r.flags.length === 0)).toBe(true);
  expect(second).toHaveLength(PROMPTS + 1);
  // the interrupted cell: what was in flight finished within the grace period, the rest never left
  const unsent = second.filter((r) => r.flags.includes('aborted'));
  expect(unsent.length).toBeGreaterThan(0);
  expect(unsent.every((r) => r.status === undefined && r.event_ms.length === 0)).toBe(true);
  expect(second.filter((r) => r.flags.length === 0).length).toBe(PROMPTS + 1 - unsent.length);
}

describe('bench-serve interrupted mid-cell', () => {
  it('through main() with an interrupt: writes every completed cell and exits 1', async () => {
    const dir = join(tmp, 'memory');
    const io = memoryIo({ cwd: tmp });
    const run = main(args(dir), io);
    await waitFor(() => cellLines(dir) === 1, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    io.interrupt();
    expect(await run).toBe(1);
    expect(io.err()).toMatch(/interrupted: 1 of 2 cell\(s\) completed/);
    expectCompletedCellOnly(dir);
  });

  it('as a real child process receiving SIGINT: the same, exit code 1', async () => {
    const dir = join(tmp, 'child');
    const child = spawn(process.execPath, [join(ROOT, 'bin/goodput.js'), ...args(dir)], {
      cwd: tmp,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    child.stdout.resume();
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    await waitFor(() => cellLines(dir) === 1, 30_000);
    await new Promise((r) => setTimeout(r, 300));
    child.kill('SIGINT');
    expect(await exited).toBe(1);
    expect(stderr).toMatch(/interrupted/);
    expectCompletedCellOnly(dir);
  });
});
