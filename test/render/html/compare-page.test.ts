import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compareRuns } from '../../../src/core/compare/comparison.js';
import { formatP, renderCompareHtml } from '../../../src/render/html/compare-page.js';
import { FIXTURE_REPORTS, readFixture } from './sweep-data.js';

function side(folder: string, prefix: string, label = prefix) {
  const files = readdirSync(join(FIXTURE_REPORTS, folder)).filter((f) => f.startsWith(prefix));
  return {
    label,
    cells: files.map((f) => ({ source: `${folder}/${f}`, report: readFixture(`${folder}/${f}`) })),
  };
}

describe('renderCompareHtml', () => {
  it('colours every metric row by its verdict and gives ratio, interval and p-value (release gate)', async () => {
    const comparison = compareRuns(side('release-gate', 'baseline'), side('release-gate', 'candidate'));
    const html = await renderCompareHtml(comparison);
    expect(html).not.toMatch(/<script/i);
    const rowClasses = [...html.matchAll(/<tr class="row-(better|worse|same|unknown)">/g)].map((m) => m[1]);
    const v = comparison.verdicts;
    expect(rowClasses.filter((c) => c === 'worse')).toHaveLength(v.worse);
    expect(rowClasses.filter((c) => c === 'better')).toHaveLength(v.better);
    expect(rowClasses.filter((c) => c === 'same')).toHaveLength(v.no_significant_change);
    expect(rowClasses).toHaveLength(comparison.cells.length * comparison.cells[0]!.metrics.length);
    // the one significant regression of the fixture: TTFT p75 at c=4
    const worse = comparison.cells.flatMap((c) =>
      c.metrics.filter((m) => m.verdict === 'worse').map((m) => ({ c, m })),
    );
    expect(worse.length).toBeGreaterThan(0);
    const { m } = worse[0]!;
    expect(html).toContain(
      `<td class="ratio">${m.ratio!.toFixed(3)}<span class="ci">[${m.welch!.ratioCi95![0].toFixed(3)}, `,
    );
    expect(html).toContain(`<td>${formatP(m.welch!.pValue)}</td>`);
    expect(html).toContain('Configuration parity');
    expect(html).toContain('data-chart="compare-ratios"');
  });

  it('marks every metric not assessable below 3 repeats (graph on vs off) with the hatched class', async () => {
    const comparison = compareRuns(side('graph-ab', 'graph_off', 'off'), side('graph-ab', 'graph_on', 'on'));
    const html = await renderCompareHtml(comparison);
    expect(comparison.verdicts.better + comparison.verdicts.worse).toBe(0);
    expect(html.match(/<tr class="row-unknown">/g)).toHaveLength(comparison.verdicts.not_assessable);
    expect(html).not.toMatch(/<tr class="row-(worse|better)">/);
    expect(html).toContain('fewer than 3 repeats');
  });

  it('escapes the side labels and sources', async () => {
    const xss = '<script>alert(1)</script>';
    const comparison = compareRuns(
      side('engine-pair', 'ferrum', `A${xss}`),
      side('engine-pair', 'vllm', `B${xss}`),
    );
    const html = await renderCompareHtml(comparison);
    expect(html).not.toContain(xss);
    expect(html).toContain('A&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it.each([
    [0.0004, '< 0.001'],
    [0.0432, '0.043'],
    [0.9, '0.900'],
  ])('formats p = %d as %s', (p, s) => expect(formatP(p)).toBe(s));
});
