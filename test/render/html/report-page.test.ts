import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderHtmlReport } from '../../../src/render/html/report-page.js';
import { FIXTURE_REPORTS, readFixture, sweepCells, syntheticRequests } from './sweep-data.js';

/** The size bound of a 4-cell sweep page, whatever the number of requests (see report-page.ts). */
const SWEEP_PAGE_MAX_BYTES = 500_000;

const figures = (html: string) =>
  [...html.matchAll(/<figure class="([^"]*)" id="chart-([^"]+)"/g)].map((m) => ({ cls: m[1]!, name: m[2]! }));

function assertSelfContained(html: string): void {
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none';`);
  expect(html).not.toMatch(/<script/i);
  expect(html).not.toMatch(/<[a-z][^>]*\ssrc=/i);
  expect(html).not.toMatch(/href="(?!#)/);
  expect(html).not.toMatch(/url\((?!#)/);
  expect(html).not.toMatch(/@import/);
}

describe('renderHtmlReport', () => {
  it('renders a ferrum sweep without extension or records, saying what is missing', async () => {
    const files = readdirSync(join(FIXTURE_REPORTS, 'engine-pair')).filter((f) => f.startsWith('ferrum'));
    const html = await renderHtmlReport({
      cells: files.map((f) => readFixture(`engine-pair/${f}`)),
      generatedAt: '2026-06-01T00:00:00Z',
    });
    assertSelfContained(html);
    expect(html).toContain('<title>Bench sweep (4 cells) — Qwen/Qwen3-30B-A3B-GPTQ-Int4</title>');
    expect(html).toContain('These reports have no goodput extension');
    expect(html).toContain('No per-request records were supplied');
    // c=16 TTFT p50: mean 142.9 ms ± 14.04 (ci95_hw of the fixture), rounded to 2 significant digits
    expect(html).toContain('c=16</span></td><td class="gs">142.9<span class="ci">± 14</span>');
    const figs = figures(html);
    expect(figs.map((f) => f.name)).toEqual([
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
      'repeat-drift',
      'token-timeline',
      'errors-by-reason',
    ]);
    expect(figs.filter((f) => f.cls.includes('unavailable')).map((f) => f.name)).toEqual([
      'repeat-drift',
      'token-timeline',
      'errors-by-reason',
    ]);
    expect(html.match(/<svg /g)?.length).toBe(10);
    expect(html).toContain('unknown: this report predates ITL evidence');
  });

  it('titles a single cell the way ferrum does and has no sweep curve', async () => {
    const html = await renderHtmlReport({ cells: [readFixture('graph-ab/graph_on_c4.json')] });
    expect(html).toContain('<title>Qwen/Qwen3-30B-A3B-GPTQ-Int4 — closed_loop · c=4</title>');
    expect(html).toContain('No sweep here');
    expect(html).not.toContain('data-chart="throughput-vs-latency"');
    expect(html).toContain('fewer than 3 repeats');
  });

  it('shows every user-supplied string as text: model, server strings, labels, sources, warnings', async () => {
    const xss = '<script>alert(1)</script>';
    const img = '"><img src=x onerror=alert(2)>';
    const base = readFixture('engine-pair/vllm0202_c4_n5.json');
    const cell = {
      ...base,
      model: `evil${xss}`,
      backend: img,
      env: { ...base.env, ferrum_env: { [`K${xss}`]: img } },
      goodput: {
        schema_version: 1,
        cell_key: xss,
        server: { base_url: `http://127.0.0.1/${img}`, version: xss, server_header: img, server_args: [xss] },
        warnings: [`warning ${xss}`],
        tokens: { output_sources: { [xss]: 3 }, mismatched_requests: 0, tokenizer: img },
      },
    };
    const html = await renderHtmlReport({
      cells: [cell, { ...cell, concurrency: 8 }],
      requests: syntheticRequests([cell], 4, 8),
      title: `title ${xss}`,
      seriesLabels: [img, xss],
      sources: [`/tmp/${xss}/report.json`],
    });
    assertSelfContained(html);
    expect(html).not.toContain(xss);
    expect(html).not.toContain('<img');
    expect(html).toContain('evil&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&quot;&gt;&lt;img src=x onerror=alert(2)&gt;');
  });

  it(`keeps a 4-cell sweep with 5 000 requests under ${SWEEP_PAGE_MAX_BYTES} bytes, and the size does not grow with the run`, async () => {
    const cells = sweepCells();
    const small = await renderHtmlReport({ cells, requests: syntheticRequests(cells, 1250) });
    const large = await renderHtmlReport({ cells, requests: syntheticRequests(cells, 3000, 128, 11) });
    const bytes = (s: string) => Buffer.byteLength(s, 'utf8');
    expect(bytes(small)).toBeLessThan(SWEEP_PAGE_MAX_BYTES);
    expect(Math.abs(bytes(large) - bytes(small)) / bytes(small)).toBeLessThan(0.03);
    expect(small).toContain('data-chart="token-timeline" data-series-marks="20"');
  });

  it("lists the runs' own warnings in one note, folded when there are many", async () => {
    const base = readFixture('engine-pair/vllm0202_c4_n5.json');
    const few = await renderHtmlReport({
      cells: [{ ...base, goodput: { schema_version: 1, warnings: ['w1', 'w2'] } }],
    });
    expect(few).toContain(
      '<details open><summary>2 warnings recorded by the run</summary><ul><li>c=4: w1</li><li>c=4: w2</li></ul>',
    );
    const many = Array.from({ length: 6 }, (_, i) => `w${i}`);
    const folded = await renderHtmlReport({
      cells: [{ ...base, goodput: { schema_version: 1, warnings: many } }],
    });
    expect(folded).toContain('<details><summary>6 warnings recorded by the run</summary>');
  });

  it('says when request-level charts come from a sample of the records', async () => {
    const cells = sweepCells();
    const html = await renderHtmlReport({
      cells,
      requests: syntheticRequests(cells, 10, 8),
      requestsTotal: 400,
    });
    expect(html).toContain('a deterministic sample of 40 of the 400 measured request records');
  });
});
