// `goodput report --history` through main(): a ledger in a temp dir holding ferrum's release-gate
// fixture (baseline, then candidate: one run each, with labels and commits), drawn as the HTML page
// and as markdown. The fixture's one significant regression is TTFT p75 at c=4 (ITL p75 at c=4 is
// a significant, tiny improvement); every other metric of every cell is "no significant change".

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { COMPARED_METRICS } from '../../src/core/compare/metric-catalog.js';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { openLedger } from '../../src/store/ledger.js';
import { FIXTURE_REPORTS, readFixture } from '../render/html/sweep-data.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-report-history-'));
const DB = join(dir, 'goodput.db');
const KEY = (c: number) => `Qwen/Qwen3-30B-A3B-GPTQ-Int4|closed_loop|c=${c}|rate=-|in=256|out=128|ds=?`;

function side(prefix: string): BenchReport[] {
  return readdirSync(join(FIXTURE_REPORTS, 'release-gate'))
    .filter((f) => f.startsWith(`${prefix}_`))
    .sort()
    .map((f) => readFixture(`release-gate/${f}`));
}

async function run(args: string[]) {
  const io = memoryIo({ cwd: dir });
  const code = await main(args, io);
  return { code, out: io.out(), err: io.err() };
}

beforeAll(() => {
  let tick = 0;
  const ledger = openLedger(DB, { now: () => new Date(Date.UTC(2026, 6, 1, 0, 0, tick++)) });
  ledger.recordRun({
    source: 'import',
    label: 'baseline',
    commit: 'aaaa1111aaaa',
    startedAt: '2026-06-01T10:00:00.000Z',
    cells: side('baseline'),
  });
  ledger.recordRun({
    source: 'import',
    label: 'candidate',
    commit: 'bbbb2222bbbb',
    startedAt: '2026-06-02T10:00:00.000Z',
    cells: side('candidate'),
  });
  ledger.close();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('goodput report --history --format html', () => {
  it('draws every metric of each cell key across the runs and marks the known regression', async () => {
    const r = await run(['report', '--history', '--out', 'history.html']);
    expect(r.code, r.err).toBe(0);
    expect(r.err).toBe('→ wrote history.html\n');
    // written atomically: no temp file left beside it
    expect(readdirSync(dir).filter((f) => f.startsWith('history'))).toEqual(['history.html']);
    const html = readFileSync(join(dir, 'history.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script/i);
    for (const c of [1, 4, 16, 32]) expect(html).toContain(`<h2>${KEY(c)}</h2>`);
    // 4 cell keys × every compared metric (the fixture has all of them), one chart each
    expect(html.match(/<figure class="chart" id="chart-history-/g)).toHaveLength(4 * COMPARED_METRICS.length);
    expect(html).toContain('<li>runs <b>2</b></li>');
    expect(html).toContain('<li>significant steps <b>2</b></li>');
    const rows = [...html.matchAll(/<tr class="row-(worse|better)">(.*?)<\/tr>/g)];
    expect(rows.map((m) => m[1])).toEqual(['worse', 'better']);
    const worse = rows[0]![2]!;
    expect(worse).toContain(`<td class="text">${KEY(4)}</td><td class="text">TTFT p75</td>`);
    expect(worse).toContain('aaaa1111aaaa → bbbb2222bbbb');
    expect(worse).toContain('+36.8 %');
    expect(rows[1]![2]).toContain(`${KEY(4)}</td><td class="text">ITL p75</td>`);
  });

  it('writes html to stdout by default, for the chosen cell and metrics only', async () => {
    const r = await run(['report', '--history', '--cell', 'c=4', '--metrics', 'ttft_p75,output_throughput']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.startsWith('<!doctype html>')).toBe(true);
    expect(r.out.match(/<h2>Qwen[^<]*<\/h2>/g)).toEqual([`<h2>${KEY(4)}</h2>`]);
    expect(r.out.match(/<figure class="chart" id="chart-history-/g)).toHaveLength(2);
    expect(r.out.match(/<tr class="row-worse">/g)).toHaveLength(1);
  });
});

describe('goodput report --history --format md', () => {
  it('lists the runs in time order and marks the significant change in its cell', async () => {
    const r = await run(['report', '--history', '--format', 'md', '--metrics', 'ttft_p50,ttft_p75,itl_p75']);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('2 runs · 4 cell keys · order: run start time · 2 significant steps');
    expect(r.out).toContain(
      [
        `## ${KEY(4).replaceAll('|', '\\|')}`,
        '',
        '| run | commit | label | started | TTFT p50 (ms) | TTFT p75 (ms) | ITL p75 (ms) |',
        '|---|---|---|---|---:|---:|---:|',
        '| run:1 | aaaa1111aaaa | baseline | 2026-06-01 10:00 | 97.47 ± 0.85 | 106.23 ± 30.78 | 9.45 ± 0.04 |',
        '| run:2 | bbbb2222bbbb | candidate | 2026-06-02 10:00 | 105.81 ± 35.85 | 145.37 ± 45.41 **worse** | 9.40 ± 0.01 **better** |',
        '',
        'Significant steps:',
        '',
        '- TTFT p75: run:1 (aaaa1111aaaa) → run:2 (bbbb2222bbbb): 106.23 → 145.37 ms (+36.8 %), p = 0.044, **worse**',
      ].join('\n'),
    );
    // the other cells: both runs, in the same order, nothing marked
    expect(r.out.match(/\| run:1 \|[^\n]*\n\| run:2 \|/g)).toHaveLength(4);
    expect(r.out.match(/No significant step between consecutive runs\./g)).toHaveLength(3);
  });

  it('--order commit follows the commit: selectors as given', async () => {
    const r = await run([
      'report',
      '--history',
      'commit:bbbb2222',
      'commit:aaaa',
      '--order',
      'commit',
      '--format',
      'md',
      '--cell',
      'c=4',
      '--metrics',
      'ttft_p75',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('# Benchmark history: commit:bbbb2222 commit:aaaa');
    expect(r.out).toContain('order: commit order');
    expect(r.out).toMatch(
      /\| run:2 \|[^\n]*\n\| run:1 \| aaaa1111aaaa \| baseline \|[^\n]*\*\*better\*\* \|/,
    );
  });

  it('--cell is repeatable: a cell matching any of them is kept', async () => {
    const r = await run(['report', '--history', '--format', 'md', '--cell', 'c=32', '--cell', 'c=1|in=256']);
    expect(r.code, r.err).toBe(0);
    expect(r.out.match(/^## .*$/gm)?.map((h) => h.split('\\|')[2])).toEqual(['c=1', 'c=32']);
  });

  it('a label selector takes only its runs', async () => {
    const r = await run([
      'report',
      '--history',
      'label:candidate',
      '--format',
      'md',
      '--metrics',
      'ttft_p50',
    ]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain('1 run · 4 cell keys');
    expect(r.out).not.toContain('| run:1 |');
  });

  it('follows a third run recorded later, and imported files without a start by their import time', async () => {
    const copy = join(dir, 'copy.db');
    let tick = 0;
    const ledger = openLedger(copy, { now: () => new Date(Date.UTC(2026, 6, 1, 0, 0, tick++)) });
    ledger.recordRun({ source: 'import', label: 'baseline', cells: side('baseline') });
    ledger.recordRun({ source: 'import', label: 'candidate', cells: side('candidate') });
    ledger.recordRun({ source: 'import', label: 'candidate', cells: side('candidate') });
    ledger.close();
    const r = await run(['report', '--history', '--db', 'copy.db', '--format', 'md', '--cell', 'c=4']);
    expect(r.code, r.err).toBe(0);
    // every run carries the fixture's commit: the rows say so, in import order
    expect(r.out).toMatch(
      /\| run:1 \| 22b8b7ad \| baseline \| 2026-07-01 00:00 \|[^\n]*\n\| run:2 \| 22b8b7ad \| candidate \|[^\n]*\n\| run:3 \| 22b8b7ad \| candidate \|/,
    );
    // the rerun of the same candidate changes nothing
    expect(r.out.match(/\*\*worse\*\*/g)).toHaveLength(2);
  });
});

describe('goodput report --history: errors (exit 2)', () => {
  it.each([
    [['--db', 'none.db'], `error: --history: no ledger at ${join(dir, 'none.db')}`],
    [['--db', 'none.db', 'latest'], `error: --history "latest": no ledger at ${join(dir, 'none.db')}`],
    [['label:nightly'], `error: ledger selector "label:nightly" matches no run in ${DB}`],
    [['run:7'], `error: ledger selector "run:7" matches no run in ${DB}`],
    [['baseline.json'], 'error: --history reads the ledger: "baseline.json" is not a ledger selector'],
    [['--format', 'svg'], 'error: --history --format svg: the history renders html or md'],
    [['--metrics', 'ttft_p42'], 'error: --metrics: unknown metric "ttft_p42"'],
    [['--cell', 'c=64'], 'error: --cell c=64: no cell of the selected runs matches'],
  ])('%j', async (args, message) => {
    const r = await run(['report', '--history', ...args]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')[0]).toBe(message);
    expect(r.out).toBe('');
  });

  it('refuses the history flags without --history', async () => {
    const r = await run(['report', 'latest', '--cell', 'c=4', '--order', 'commit']);
    expect(r.code).toBe(2);
    expect(r.err).toContain('error: --cell, --order apply only with --history');
  });
});
