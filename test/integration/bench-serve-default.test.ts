// `node bin/goodput.js bench-serve` with no flags, as on a fresh checkout (after `npm run build`):
// it benchmarks the built-in simulator and prints a meaningful summary in well under a minute.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { readRunDirectory } from './run-directory-reader.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const tmp = mkdtempSync(join(tmpdir(), 'goodput-default-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('bench-serve with no flags', () => {
  it('with no flags benchmarks the built-in simulator and prints a summary, quickly', () => {
    const cwd = tmp;
    const t0 = Date.now();
    const r = spawnSync(process.execPath, [join(ROOT, 'bin/goodput.js'), 'bench-serve'], {
      cwd,
      encoding: 'utf8',
      timeout: 120_000,
    });
    const seconds = (Date.now() - t0) / 1000;
    expect(r.status, r.stderr).toBe(0);
    expect(seconds).toBeLessThan(60);
    expect(r.stdout).toMatch(/goodput-sim — closed_loop · c=32 \(n_repeats=3/);
    expect(r.stdout).toMatch(/TTFT \(ms\)/);
    expect(r.stdout).toMatch(/goodput \(req\/s\)/);
    expect(r.stderr).toMatch(/started the built-in simulator/);
    const runs = readdirSync(join(cwd, 'goodput-results'));
    expect(runs).toHaveLength(1);
    const { requests, cells, schemaProblems } = readRunDirectory(
      join(cwd, 'goodput-results', runs[0] as string),
    );
    expect(schemaProblems).toEqual([]);
    expect(cells).toHaveLength(1);
    expect(requests).toHaveLength(3 * (100 + 10));
    expect(existsSync(join(cwd, 'goodput.db'))).toBe(true);
    const dir = join(cwd, 'goodput-results', runs[0] as string);
    expect(readFileSync(join(dir, 'report.md'), 'utf8')).toMatch(/closed_loop/);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  });
});
