// The history page of `goodput report --history` in a real headless Chromium: written by main() from
// a ledger holding ferrum's release-gate fixture as three runs, it loads with no console error and
// no request, every chart drew its line, and the one significant regression is listed and ringed.
// A screenshot goes to test-artifacts/ for a human look.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import { openLedger } from '../../src/store/ledger.js';
import { chartFigures, launchBrowser, openHtml } from '../browser/browser-page.js';
import { FIXTURE_REPORTS, readFixture } from '../render/html/sweep-data.js';

const ARTIFACTS = join(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts');
const work = mkdtempSync(join(tmpdir(), 'goodput-history-browser-'));
let context: BrowserContext;

const side = (prefix: string) =>
  readdirSync(join(FIXTURE_REPORTS, 'release-gate'))
    .filter((f) => f.startsWith(`${prefix}_`))
    .sort()
    .map((f) => readFixture(`release-gate/${f}`));

beforeAll(async () => {
  const ledger = openLedger(join(work, 'goodput.db'));
  const runs = [
    ['baseline', 'aaaa1111', '2026-06-01T10:00:00.000Z'],
    ['candidate', 'bbbb2222', '2026-06-02T10:00:00.000Z'],
    // the candidate measured again on the next commit: nothing changes
    ['candidate', 'cccc3333', '2026-06-03T10:00:00.000Z'],
  ] as const;
  for (const [label, commit, startedAt] of runs)
    ledger.recordRun({ source: 'import', label, commit, startedAt, cells: side(label) });
  ledger.close();
  context = await launchBrowser(work);
  mkdirSync(ARTIFACTS, { recursive: true });
});

afterAll(async () => {
  await context?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('goodput report --history in headless Chromium', () => {
  it('shows each cell key’s series with CI bands and the significant steps, with no console error', async () => {
    const io = memoryIo({ cwd: work });
    const args = ['report', '--history', '--metrics', 'ttft_p50,ttft_p75,itl_p75,output_throughput'];
    expect(await main([...args, '--out', 'history.html'], io), io.err()).toBe(0);
    const { page, problems } = await openHtml(
      context,
      work,
      'history-page.html',
      readFileSync(join(work, 'history.html'), 'utf8'),
    );
    const headings = await page.locator('section[id^="cell-"] h2').allTextContents();
    expect(headings.map((h) => h.split('|')[2])).toEqual(['c=1', 'c=4', 'c=16', 'c=32']);
    const drawn = await chartFigures(page);
    expect(drawn).toHaveLength(4 * 4);
    for (const c of drawn) {
      expect(c.drawn, c.name ?? '').toBe(c.promised);
      expect(c.promised, c.name ?? '').toBe(1);
      expect(c.width, c.name ?? '').toBeGreaterThan(250);
    }
    // the steps table: TTFT p75 at c=4 worse (baseline → candidate), ITL p75 at c=4 better
    const worse = await page.locator('#changes tr.row-worse td').allTextContents();
    expect(worse.slice(1, 3)).toEqual(['TTFT p75', 'aaaa1111 → bbbb2222']);
    expect(worse[0]).toContain('|c=4|');
    expect(await page.locator('#changes tr.row-better').count()).toBe(1);
    // each chart has one x position per run; the c=4 TTFT p75 chart rings its one step
    const c4 = page.locator('section[id^="cell-2-"] figure').nth(1);
    await expect(c4.locator('figcaption').textContent()).resolves.toContain(
      '3 runs; band = 95 % CI; 1 significant step ringed',
    );
    await page.screenshot({ path: join(ARTIFACTS, 'report-history.png'), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  });
});
