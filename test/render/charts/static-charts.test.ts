import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderChartsToDir } from '../../../src/render/charts/chart-files.js';
import { FIXTURE_REPORTS, readFixture, sweepCells, syntheticRequests } from '../html/sweep-data.js';

const dirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'goodput-charts-'));
  dirs.push(d);
  return d;
};
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe('renderChartsToDir', () => {
  it('writes one SVG per available chart under its stable name, titled, and lists the skipped ones', async () => {
    const cells = sweepCells();
    const dir = tempDir();
    const result = await renderChartsToDir({ cells, requests: syntheticRequests(cells, 50, 16) }, dir, 'svg');
    const expected = [
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
    ];
    expect(result.written).toEqual(expected.map((n) => join(dir, `${n}.svg`)));
    expect(result.skipped.map((s) => s.name)).toEqual(['repeat-drift', 'errors-by-reason']);
    expect(readdirSync(dir).sort()).toEqual(expected.map((n) => `${n}.svg`).sort());
    const svg = readFileSync(join(dir, 'latency-cdf-ttft.svg'), 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('TTFT distribution (CDF)');
    expect(svg.match(/class="[^"]*series_marks[^"]*"/g)?.length).toBe(4);
  });

  it('writes PNGs (at 2× the SVG size) for the release-gate reports', async () => {
    const cells = readdirSync(join(FIXTURE_REPORTS, 'release-gate'))
      .filter((f) => f.startsWith('baseline'))
      .map((f) => readFixture(`release-gate/${f}`));
    const dir = tempDir();
    const result = await renderChartsToDir({ cells }, dir, 'png');
    expect(result.written.length).toBeGreaterThanOrEqual(10);
    for (const path of result.written) {
      const bytes = readFileSync(path);
      expect([...bytes.subarray(0, 8)]).toEqual(PNG_SIGNATURE);
      expect(bytes.length).toBeGreaterThan(5_000);
    }
    const png = readFileSync(join(dir, 'percentiles-ttft.png'));
    expect(png.readUInt32BE(16)).toBeGreaterThan(900);
  });

  it.each(['engine-pair', 'graph-ab', 'release-gate'])(
    'renders every report of fixtures/%s to SVG',
    async (folder) => {
      const files = readdirSync(join(FIXTURE_REPORTS, folder)).sort();
      const cells = files.map((f) => readFixture(`${folder}/${f}`));
      const result = await renderChartsToDir(
        { cells, seriesLabels: files.map((f) => f.split('_c')[0]) },
        tempDir(),
        'svg',
      );
      expect(result.written.length).toBeGreaterThanOrEqual(10);
      for (const path of result.written) expect(readFileSync(path, 'utf8')).toMatch(/^<svg[\s\S]*<\/svg>$/);
    },
  );
});
