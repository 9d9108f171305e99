// `goodput compare` end to end on the ferrum fixtures: files, "vs" lists, ledger selectors, the
// markdown and JSON outputs, and the exit status of the regression gate.

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';

const here = dirname(fileURLToPath(import.meta.url));
const reports = resolve(here, '../../../shared/fixtures/ferrum/reports');
const files = (folder: string, prefix: string) =>
  readdirSync(join(reports, folder))
    .filter((f) => f.startsWith(prefix))
    .map((f) => join(reports, folder, f));

let cwd: string;
beforeEach(() => {
  cwd = mkdtempSync(join(tmpdir(), 'goodput-compare-cli-'));
});
afterEach(() => rmSync(cwd, { recursive: true, force: true }));

async function run(...args: string[]) {
  const io = memoryIo({ cwd });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

interface JsonComparison {
  cells: Array<{ key: { concurrency: number }; metrics: Array<{ metric: string; verdict: string }> }>;
  onlyA: unknown[];
  onlyB: unknown[];
  gate?: { failed: boolean; failures: Array<{ metric: string }> };
}

describe('goodput compare', () => {
  it('engine-pair: ferrum vs vLLM joins all four cells with per-metric verdicts', async () => {
    const r = await run(
      'compare',
      ...files('engine-pair', 'ferrum'),
      'vs',
      ...files('engine-pair', 'vllm'),
      '--label-a',
      'ferrum',
      '--label-b',
      'vllm',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('# goodput compare — ferrum → vllm');
    expect(r.out).toContain('4 cells joined');
    for (const c of [1, 4, 16, 32])
      expect(r.out).toContain(`## Qwen/Qwen3-30B-A3B-GPTQ-Int4 · closed_loop · c=${c} · 256→128`);
    expect(r.out).toMatch(
      /\| TTFT p50 \(ms\) \| 48\.75 ± [0-9.]+ \| 88\.14 ± [0-9.]+ \| 1\.808 \| .* \| <0\.001 \| ✓ differ \| \*\*worse\*\* \|/,
    );
    expect(r.out).toMatch(/\| output throughput \(tok\/s\) \| 160\.42 .* \*\*better\*\* \|/);
    expect(r.out).not.toContain('## Not joined');
  });

  it('engine-pair as JSON: every cell and metric has a verdict', async () => {
    const r = await run(
      'compare',
      ...files('engine-pair', 'ferrum'),
      'vs',
      ...files('engine-pair', 'vllm'),
      '--format',
      'json',
    );
    const doc = JSON.parse(r.out) as JsonComparison;
    expect(doc.cells.map((c) => c.key.concurrency)).toEqual([1, 4, 16, 32]);
    expect(
      doc.cells.every((c) =>
        c.metrics.every((m) => ['better', 'worse', 'no_significant_change'].includes(m.verdict)),
      ),
    ).toBe(true);
  });

  it('release-gate: a threshold the significant TTFT p75 regression exceeds fails the gate (exit 1)', async () => {
    const r = await run(
      'compare',
      ...files('release-gate', 'baseline'),
      'vs',
      ...files('release-gate', 'candidate'),
      '--fail-on-regression',
      '5%',
      '--metrics',
      'ttft_p75,ttft_p50',
      '--format',
      'json',
    );
    expect(r.code).toBe(1);
    const doc = JSON.parse(r.out) as JsonComparison;
    expect(doc.gate?.failed).toBe(true);
    expect(doc.gate?.failures.map((f) => f.metric)).toEqual(['ttft_p75']);
    expect(r.err).toContain('gate FAILED: 1 significant regression(s) beyond 5%');
  });

  it('release-gate: a threshold above the regression passes (exit 0)', async () => {
    const r = await run(
      'compare',
      ...files('release-gate', 'baseline'),
      'vs',
      ...files('release-gate', 'candidate'),
      '--fail-on-regression',
      '40',
      '--metrics',
      'ttft_p75',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Threshold 40% on ttft_p75: **passed**');
    expect(r.err).toContain('gate passed');
  });

  it('release-gate with the default gate metrics passes at 5 %: the large regressions there are not significant', async () => {
    const r = await run(
      'compare',
      ...files('release-gate', 'baseline'),
      'vs',
      ...files('release-gate', 'candidate'),
      '--fail-on-regression',
      '5',
    );
    expect(r.code).toBe(0);
    expect(r.out).toContain('Beyond the threshold but not significant (never fails the gate):');
    expect(r.out).toMatch(/c=4 · 256→128 — ttft_p50: 8\.6% worse \(p 0\.42\)/);
  });

  it('graph-ab (n=1): not assessable everywhere, and the gate cannot fail', async () => {
    const r = await run(
      'compare',
      ...files('graph-ab', 'graph_off'),
      'vs',
      ...files('graph-ab', 'graph_on'),
      '--fail-on-regression',
      '0',
      '--format',
      'json',
    );
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as JsonComparison;
    expect(doc.cells).toHaveLength(4);
    expect(doc.cells.flatMap((c) => c.metrics).every((m) => m.verdict === 'not_assessable')).toBe(true);
    const md = await run(
      'compare',
      ...files('graph-ab', 'graph_off'),
      'vs',
      ...files('graph-ab', 'graph_on'),
    );
    expect(md.out).toContain('✓ (void: n<3)');
    expect(md.out).toContain('not assessable: fewer than 3 repeats (A n=1, B n=1)');
    expect(md.out).toContain('`engine_env.FERRUM_VLLM_MOE`: absent → 1');
    // FERRUM_VLLM_MOE differs: the parity block is shown above the comparison
    expect(md.out.indexOf('## Configuration parity')).toBeLessThan(md.out.indexOf('## Qwen'));
  });

  it('reads ledger selectors: runs imported with labels compare like the files', async () => {
    await run('db', 'import', '--label', 'base', ...files('release-gate', 'baseline'));
    await run('db', 'import', '--label', 'cand', ...files('release-gate', 'candidate'));
    // each file is its own run; label:x selects the newest run with that label (runs 4 and 8: the c=4 files)
    const r = await run('compare', 'label:base', 'label:cand', '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.out) as JsonComparison;
    expect(doc.cells.map((c) => c.key.concurrency)).toEqual([4]);
    const lists = await run(
      'compare',
      'run:1',
      'run:2',
      'run:3',
      'run:4',
      'vs',
      'run:5',
      'run:6',
      'run:7',
      'run:8',
      '--fail-on-regression',
      '5',
      '--metrics',
      'ttft_p75',
    );
    expect(lists.code).toBe(1);
    expect(lists.out).toContain('4 cells joined');
  });

  it('lists unjoined cells and exits 1 when nothing joins', async () => {
    const r = await run(
      'compare',
      join(reports, 'release-gate/baseline_c1_n3.json'),
      join(reports, 'release-gate/candidate_c4_n3.json'),
    );
    expect(r.code).toBe(1);
    expect(r.out).toContain('## Not joined');
    expect(r.out).toContain('- only in A: Qwen/Qwen3-30B-A3B-GPTQ-Int4 · closed_loop · c=1 · 256→128');
    expect(r.err).toContain('nothing was compared');
  });

  it('writes --out atomically', async () => {
    const r = await run(
      'compare',
      join(reports, 'graph-ab/graph_off_c1.json'),
      join(reports, 'graph-ab/graph_on_c1.json'),
      '--out',
      'cmp.md',
    );
    expect(r.code).toBe(0);
    expect(r.out).toBe('');
    expect(readFileSync(join(cwd, 'cmp.md'), 'utf8')).toContain('# goodput compare');
  });

  it.each([
    [['compare', 'a.json'], 'expected two inputs'],
    [['compare', 'a', 'vs'], '"vs" exactly once'],
    [['compare', 'a', 'b', '--metrics', 'ttft_p50'], 'needs --fail-on-regression'],
    [['compare', 'a', 'b', '--fail-on-regression', 'lots'], '--fail-on-regression lots'],
    [
      ['compare', 'a', 'b', '--fail-on-regression', '5', '--metrics', 'ttft_p42'],
      'unknown metric "ttft_p42"',
    ],
    [['compare', 'a', 'b', '--alpha', '2'], '--alpha 2'],
  ])('%j is a usage error (exit 2)', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
  });

  it('a missing file or an empty ledger names what is missing', async () => {
    const missing = await run('compare', 'nope.json', join(reports, 'graph-ab/graph_on_c1.json'));
    expect(missing.code).toBe(2);
    expect(missing.err).toContain('nope.json does not exist');
    const noLedger = await run('compare', 'latest', 'run:1');
    expect(noLedger.code).toBe(2);
    expect(noLedger.err).toContain('no ledger at');
  });
});

describe('goodput compare --format html', () => {
  it("writes the HTML engineer's self-contained page for the comparison", async () => {
    const r = await run(
      'compare',
      ...files('release-gate', 'baseline'),
      'vs',
      ...files('release-gate', 'candidate'),
      '--format',
      'html',
      '--out',
      'cmp.html',
      '--label-a',
      'base<line>',
    );
    expect(r.code).toBe(0);
    const html = readFileSync(join(cwd, 'cmp.html'), 'utf8');
    expect(html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain('base&lt;line&gt;');
    expect(html).not.toContain('base<line>');
  });
});
