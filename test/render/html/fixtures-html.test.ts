import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/render/html/report-page.js';
import { FIXTURE_REPORTS, readFixture } from './sweep-data.js';

const folders = ['engine-pair', 'graph-ab', 'release-gate'];

describe('every ferrum fixture report renders to HTML', () => {
  it.each(folders)('each report of %s on its own', async (folder) => {
    for (const file of readdirSync(join(FIXTURE_REPORTS, folder))) {
      const report = readFixture(`${folder}/${file}`);
      const html = await renderHtmlReport({ cells: [report] });
      expect(html, file).toContain(`<title>${report.model} — closed_loop · c=${report.concurrency}</title>`);
      expect(html.match(/<svg /g)?.length, file).toBeGreaterThanOrEqual(8);
      expect(html, file).toMatch(/<\/html>\n$/);
    }
  });

  it('all 24 together, one series per file family', async () => {
    const entries = folders.flatMap((folder) =>
      readdirSync(join(FIXTURE_REPORTS, folder)).map((f) => ({ folder, f })),
    );
    expect(entries).toHaveLength(24);
    const html = await renderHtmlReport({
      cells: entries.map((e) => readFixture(`${e.folder}/${e.f}`)),
      seriesLabels: entries.map((e) => `${e.folder}/${e.f.split('_c')[0]}`),
    });
    expect(html).toContain('<title>Bench sweep (24 cells) — Qwen/Qwen3-30B-A3B-GPTQ-Int4</title>');
    // six series of four concurrencies each: the sweep chart draws six lines
    expect(html).toContain('data-chart="throughput-vs-latency" data-series-marks="6"');
  });
});
