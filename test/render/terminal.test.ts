import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import { renderTerminal, renderTerminalSummary, terminalWarnings } from '../../src/render/terminal.js';
import { appendixA3Report, appendixA4Report, sampleExtension } from '../fixtures/appendix-a-reports.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[`);
const row = (text: string, label: string) => text.split('\n').find((l) => l.includes(`│ ${label}`)) ?? '';
const cells = (line: string) =>
  line
    .split('│')
    .map((c) => c.trim())
    .filter((c) => c !== '');

describe('renderTerminalSummary', () => {
  it('shows p50/p95/p99 with ± CI for the A.3 cell', () => {
    const out = renderTerminalSummary(appendixA3Report());
    expect(out.split('\n')[0]).toBe('m#tag — closed_loop · c=4 (n_repeats=3, ± = 95 % CI half-width)');
    expect(cells(row(out, 'TTFT (ms)'))).toEqual([
      'TTFT (ms)',
      '130.67 ± 10.04',
      '157.10 ± 1.51',
      '159.42 ± 0.30',
    ]);
    expect(cells(row(out, 'ITL (ms)'))).toEqual(['ITL (ms)', '60.00', '94.75', '98.95']);
    expect(cells(row(out, 'output throughput'))).toEqual(['output throughput (tok/s)', '1.18 ± 0.22']);
    expect(row(out, 'goodput (req/s)')).toContain('0.39 ± 0.07  (no SLO: every success counts)');
    expect(out).toContain('errors: none of 12 requests');
    expect(out).not.toContain('warnings:');
    expect(out).not.toMatch(ANSI);
  });

  it('A.4: SLO, errors by flag, ITL unavailable, and the warnings that apply', () => {
    const out = renderTerminalSummary(appendixA4Report());
    expect(row(out, 'goodput (req/s)')).toContain(
      '0.17 ± 0.72  (SLO ttft ≤ 500 ms, tpot ≤ 50 ms, e2e ≤ 30000 ms)',
    );
    expect(cells(row(out, 'ITL (ms)'))).toEqual(['ITL (ms)', 'unavailable', 'unavailable', 'unavailable']);
    expect(out).toContain('errors: 2 of 6 requests (http_500 2)');
    expect(out).toContain('! ITL unavailable');
  });

  it('with the extension: ITL over covered requests, SLO share and misses, extended errors, warnings', () => {
    const r = {
      ...appendixA4Report(),
      goodput: sampleExtension({ client: { client_limited: true, reasons: ['dispatch lag p99 4 ms'] } }),
    };
    const out = renderTerminalSummary(r);
    expect(cells(row(out, 'ITL (ms), 75.0 % covered'))).toEqual([
      'ITL (ms), 75.0 % covered',
      '60.00',
      '80.00',
      '85.00 ⚠',
    ]);
    expect(row(out, 'goodput (req/s)')).toContain('66.7 % of 12 met it; missed TTFT 3, TPOT 2, E2E 0');
    expect(out).toContain('(timeout 1, http_500 2)');
    expect(terminalWarnings(r)).toEqual([
      'ITL covers 75.0 % of successful requests (the others streamed several tokens per event)',
      'client-limited run: dispatch lag p99 4 ms',
      'p99 from 12 samples is not reliable',
    ]);
  });

  it('warns below three repeats; colours only when asked', () => {
    const one = { ...appendixA3Report(), n_repeats: 1 };
    expect(renderTerminalSummary(one)).toContain('! n_repeats = 1 < 3');
    expect(renderTerminalSummary(one, { color: true })).toMatch(ANSI);
    expect(renderTerminalSummary(one, { color: false })).not.toMatch(ANSI);
  });

  it('renders every fixture, one summary per cell', () => {
    const reports = fixtureFiles.map((f) => parseReports(readFileSync(f, 'utf8'), f)[0] as BenchReport);
    const out = renderTerminal(reports);
    expect(out.match(/^Qwen\/Qwen3-30B-A3B-GPTQ-Int4 — closed_loop · c=\d+ /gm)).toHaveLength(
      fixtureFiles.length,
    );
    const gate = renderTerminalSummary(
      reports[fixtureFiles.findIndex((f) => f.endsWith('baseline_c1_n3.json'))] as BenchReport,
    );
    expect(cells(row(gate, 'TTFT (ms)'))).toEqual([
      'TTFT (ms)',
      '59.76 ± 0.60',
      '62.25 ± 1.16',
      '63.13 ± 1.51',
    ]);
  });
});
