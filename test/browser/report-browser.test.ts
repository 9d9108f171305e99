// The HTML pages in a real headless Chromium (Debian's /usr/bin/chromium): they load with no
// console error, no failed or outgoing request, every chart drew every series, user strings show
// as text and run nothing. Screenshots go to test-artifacts/ for a human look.
//
// Pages: a real (small) concurrency sweep run by bench-serve against the built-in simulator and
// rendered by `goodput report --format html`; ferrum's engine-pair sweep (c = 1/4/16/32) with
// synthetic request records (test/render/html/sweep-data.ts); a comparison; a hostile report.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { compareRuns } from '../../src/core/compare/comparison.js';
import { DEFAULT_GATE_METRICS } from '../../src/core/compare/metric-catalog.js';
import { renderCompareHtml } from '../../src/render/html/compare-page.js';
import { renderHtmlReport } from '../../src/render/html/report-page.js';
import { FIXTURE_REPORTS, readFixture, sweepCells, syntheticRequests } from '../render/html/sweep-data.js';
import { chartFigures as charts, launchBrowser, type OpenedPage, openHtml } from './browser-page.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');
const work = mkdtempSync(join(tmpdir(), 'goodput-browser-'));
let context: BrowserContext;

beforeAll(async () => {
  context = await launchBrowser(work);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

/** Opens an HTML file and records every console error, page error, failed or outgoing request. */
function open(name: string, html: string): Promise<OpenedPage> {
  return openHtml(context, work, name, html);
}

describe('HTML reports in headless Chromium', () => {
  it('shows a real bench-serve sweep (c = 1, 4 against the simulator) with every chart drawn', async () => {
    const run = join(work, 'run');
    const io = memoryIo({ cwd: work });
    // bounded: 2 cells × 3 repeats × (12 + 2 warmup) short requests, on loopback
    const flags = [
      '--concurrency-sweep',
      '1,4',
      '--num-prompts',
      '12',
      '--n-repeats',
      '3',
      '--warmup-requests',
      '2',
    ];
    const sizes = [
      '--random-input-len',
      '32',
      '--random-output-len',
      '16',
      '--timeout',
      '20',
      '--ready-timeout',
      '20',
    ];
    expect(await main(['bench-serve', ...flags, ...sizes, '--out-dir', run, '--no-db'], io), io.err()).toBe(
      0,
    );
    expect(await main(['report', '--format', 'html', run, '--out', 'run.html'], io), io.err()).toBe(0);
    const { page, problems } = await open('run-page.html', readFileSync(join(work, 'run.html'), 'utf8'));
    const drawn = await charts(page);
    const names = drawn.map((c) => c.name);
    for (const name of [
      'throughput-vs-latency',
      'latency-cdf-ttft',
      'latency-cdf-e2e',
      'percentiles-ttft',
      'repeat-drift',
      'token-timeline',
    ]) {
      expect(names).toContain(name);
    }
    for (const c of drawn) {
      expect(c.drawn, c.name ?? '').toBe(c.promised);
      expect(c.promised, c.name ?? '').toBeGreaterThan(0);
      expect(c.width, c.name ?? '').toBeGreaterThan(300);
    }
    // both cells drew a CDF line from their request records
    expect(drawn.find((c) => c.name === 'latency-cdf-ttft')?.drawn).toBe(2);
    await page.screenshot({ path: join(ARTIFACTS, 'report-bench-serve-run.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a 4-cell sweep with every chart drawn, no console error and no request', async () => {
    const cells = sweepCells();
    const html = await renderHtmlReport({
      cells,
      requests: syntheticRequests(cells, 250, 64),
      generatedAt: '2026-06-01T00:00:00Z',
    });
    const { page, problems } = await open('sweep.html', html);
    const drawn = await charts(page);
    expect(drawn.map((c) => c.name)).toEqual([
      'throughput-vs-latency',
      'goodput-vs-concurrency',
      'latency-cdf-ttft',
      'latency-cdf-tpot',
      'latency-cdf-itl',
      'latency-cdf-e2e',
      'percentiles-ttft',
      'percentiles-tpot',
      'percentiles-itl',
      'percentiles-e2e',
      'token-timeline',
    ]);
    for (const c of drawn) {
      expect(c.drawn, c.name ?? '').toBe(c.promised);
      expect(c.promised, c.name ?? '').toBeGreaterThan(0);
      expect(c.width, c.name ?? '').toBeGreaterThan(300);
      expect(c.height, c.name ?? '').toBeGreaterThan(150);
    }
    // one CDF line per cell, three percentile bars per cell
    expect(drawn.find((c) => c.name === 'latency-cdf-ttft')?.drawn).toBe(4);
    expect(drawn.find((c) => c.name === 'percentiles-e2e')?.drawn).toBe(12);
    // the knee of the engine-pair sweep (c=16) is ringed and labelled inside the chart
    expect(await page.$$eval('svg text', (ts) => ts.filter((t) => t.textContent === 'knee').length)).toBe(1);
    await page.screenshot({ path: join(ARTIFACTS, 'report-sweep.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows a comparison with its verdicts, parity table and ratio chart', async () => {
    const side = (prefix: string) => ({
      label: prefix,
      cells: readdirSync(join(FIXTURE_REPORTS, 'release-gate'))
        .filter((f) => f.startsWith(prefix))
        .map((f) => ({ source: f, report: readFixture(`release-gate/${f}`) })),
    });
    const comparison = compareRuns(side('baseline'), side('candidate'));
    const { page, problems } = await open('compare.html', await renderCompareHtml(comparison));
    const [ratios] = await charts(page);
    expect(ratios?.name).toBe('compare-ratios');
    expect(ratios?.drawn).toBe(ratios?.promised);
    // the 8 gate metrics of each of the 4 cells, plus the significant changes outside them
    const significantElsewhere = comparison.cells
      .flatMap((c) => c.metrics)
      .filter(
        (m) => !DEFAULT_GATE_METRICS.includes(m.metric) && (m.verdict === 'better' || m.verdict === 'worse'),
      ).length;
    expect(ratios?.drawn).toBe(comparison.cells.length * 8 + significantElsewhere);
    expect(await page.locator('tr.row-worse').count()).toBe(comparison.verdicts.worse);
    // verdict colours are applied: a worse chip is red, a no-change chip grey
    const colours = await page.$$eval('td .verdict.worse, td .verdict.same', (els) => {
      const style = (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } })
        .getComputedStyle;
      return [...new Set(els.map((e) => style(e).color))];
    });
    expect(colours).toEqual(expect.arrayContaining(['rgb(207, 34, 46)', 'rgb(87, 96, 106)']));
    expect(await page.locator('table.parity tbody tr').count()).toBe(comparison.parity.rows.length);
    await page.screenshot({ path: join(ARTIFACTS, 'report-compare.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });

  it('shows hostile model and server strings as text and runs none of them', async () => {
    const script = '<script>window.__xss = 1</script>';
    const img = '<img src=x onerror="window.__xss = 2">';
    const base = readFixture('engine-pair/vllm0202_c4_n5.json');
    const cell = {
      ...base,
      model: `evil-model ${script}`,
      goodput: {
        schema_version: 1,
        server: { server_header: `srv ${img}`, version: script },
        warnings: [`warn ${img}`],
      },
    };
    const { page, problems } = await open('xss.html', await renderHtmlReport({ cells: [cell] }));
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator('script').count()).toBe(0);
    expect(await page.locator('img').count()).toBe(0);
    await expect(page.locator('h1').textContent()).resolves.toBe(`evil-model ${script} — closed_loop · c=4`);
    expect(await page.locator('h1').isVisible()).toBe(true);
    expect(await page.getByText(`srv ${img}`, { exact: true }).count()).toBeGreaterThan(0);
    await page.screenshot({ path: join(ARTIFACTS, 'report-xss.png') });
    expect(problems).toEqual([]);
    await page.close();
  });
});
