import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import { renderSingle, renderSweep } from '../../src/render/markdown.js';
import { findKnee } from '../../src/render/markdown-extension.js';
import { appendixA3Report, appendixA4Report, sampleExtension } from '../fixtures/appendix-a-reports.js';

const REPORTS_DIR = fileURLToPath(new URL('../../../shared/fixtures/ferrum/reports', import.meta.url));
const fixtureFiles = readdirSync(REPORTS_DIR).flatMap((d) =>
  readdirSync(join(REPORTS_DIR, d)).map((f) => join(REPORTS_DIR, d, f)),
);
const load = (file: string): BenchReport => parseReports(readFileSync(file, 'utf8'), file)[0] as BenchReport;

// ferrum-behaviour Appendix A.3, verbatim (each block ends with a blank line)
const A3_ENV = `## Environment

| key | value |
|---|---|
| backend | cuda |
| commit | \`\` |
| hw_id |  |
| rust |  |
| env_hash | \`sha256:b5883a1670118db0335d99aa8879920e336a39cd9bb18f2b3a658f903e9e504d\` |

`;
const A3_SINGLE = `# m#tag — closed_loop · c=4

${A3_ENV}## Metrics

n_repeats = 3

| metric | p50 | p75 | p95 | p99 |
|---|---|---|---|---|
| TTFT (ms) | 130.67 ± 10.04 | 145.50 ± 7.53 | 157.10 ± 1.51 | 159.42 ± 0.30 |
| TPOT (ms) | 64.83 ± 2.51 | 72.33 ± 2.51 | 78.73 ± 3.51 | 80.01 ± 4.72 |
| ITL (ms)  | 60.00 | 73.75 | 94.75 | 98.95 |
| E2E (ms)  | 260.33 ± 5.02 | 290.17 ± 2.51 | 314.57 ± 8.53 | 319.45 ± 9.74 |

| throughput / goodput | value |
|---|---|
| output_throughput (tok/s) | 1.18 ± 0.22 |
| total_throughput (tok/s)  | 5.13 ± 0.94 |
| request_throughput (req/s) | 0.39 ± 0.07 |

## Per-run breakdown

| run | completed | errored | bad_output | malformed_stream | missing_done | duplicate_done | zero_output_tokens | http_500 | panic | stream_bulk_flush |
|---|---|---|---|---|---|---|---|---|---|---|
| 1 | 4 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 2 | 4 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |
| 3 | 4 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |

`;

describe('renderSingle (ferrum render_single)', () => {
  it('reproduces Appendix A.3 byte for byte, irregular padding included', () => {
    expect(renderSingle(appendixA3Report())).toBe(A3_SINGLE);
  });

  it('the A.3 report carries the aggregate values Appendix A.3 states', () => {
    const r = appendixA3Report();
    expect(r.ttft_ms.p50).toEqual({
      mean: 130.66666666666666,
      stddev: 4.041451884327381,
      ci95_hw: 10.040333333333335,
    });
    expect(r.itl_ms.p50).toEqual({ mean: 60, stddev: 0, ci95_hw: 0 });
    expect(r.output_throughput_tps.mean).toBe(1.184688995215311);
    expect(r.output_throughput_tps.ci95_hw).toBe(0.21648313821662174);
    expect(r.goodput_rps.mean).toBe(0.394896331738437);
  });

  it('renders Appendix A.4: open-loop header, goodput row with the SLO, ITL unavailable', () => {
    const md = renderSingle(appendixA4Report());
    expect(md.startsWith('# m — open_loop · rate=2.5 req/s\n\n')).toBe(true);
    expect(md).toContain('| TTFT (ms) | 166.67 ± 436.24 |');
    expect(md).toContain('| ITL (ms)  | unavailable | unavailable | unavailable | unavailable |\n');
    expect(md).toContain('| **goodput (req/s)** | 0.17 ± 0.72 (SLO ttft:500ms tpot:50ms e2e:30000ms) |\n');
    expect(md).toContain('| 2 | 0 | 2 | 0 | 0 | 0 | 0 | 0 | 2 | 0 | 0 |\n');
    expect(md).not.toContain('## goodput');
  });

  it('hides the goodput row for an unbounded SLO and ITL when evidence is incomplete', () => {
    const r = appendixA3Report();
    expect(renderSingle(r)).not.toContain('goodput (req/s)');
    const rows = r.repeat_metrics ?? [];
    const broken = {
      ...r,
      repeat_metrics: rows.map((row, i) => (i === 1 ? { ...row, itl_observed_intervals: 7 } : row)),
    };
    expect(renderSingle(broken)).toContain('| ITL (ms)  | unavailable |');
  });

  it('warns below 3 repeats and then shows means without ±', () => {
    const r = appendixA3Report();
    const two = { ...r, n_repeats: 2 };
    const md = renderSingle(two);
    expect(md).toContain('n_repeats = 2 · ⚠ < 3 → no CI (PLAYBOOK § 0.4)\n');
    expect(md).toContain('| TTFT (ms) | 130.67 | 145.50 | 157.10 | 159.42 |');
  });

  it("rounds like Rust's {:.2}: exact binary ties go to even", () => {
    const r = appendixA3Report();
    const tie = {
      ...r,
      n_repeats: 1,
      ttft_ms: {
        ...r.ttft_ms,
        p50: { mean: 0.125, stddev: 0, ci95_hw: 0 },
        p75: { mean: 0.375, stddev: 0, ci95_hw: 0 },
      },
    };
    expect(renderSingle(tie)).toContain('| TTFT (ms) | 0.12 | 0.38 |');
  });

  it('shows the optional env rows ferrum shows, in its order', () => {
    const r = load(join(REPORTS_DIR, 'graph-ab', 'graph_on_c1.json'));
    const md = renderSingle(r);
    expect(md).toContain(
      '| backend | cuda |\n| commit | `47e8dec` |\n| hw_id | rtx-4090 |\n| driver | 580.82.09 |\n| cuda | 13.0 |\n| rust | 1.95.0 |\n| features | cuda, vllm-moe-marlin |\n| gpu_clock_lock | 2805 MHz |\n| gpu_power_limit | 500 W |\n| gpu_persistence_mode | true |\n| env_hash | `sha256:be2af05d41f633509042792e35500cc80f2fc9a1926b888b42a20a2f838dc785` |\n\n',
    );
    expect(md).toContain('n_repeats = 1 · ⚠ < 3 → no CI');
    // graph-ab files predate the quality counters: missing entries print 0
    expect(md).toContain('| 1 | 30 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |\n');
  });

  it.each(fixtureFiles.map((f) => [f.slice(REPORTS_DIR.length + 1), f]))(
    'renders the fixture %s without goodput sections',
    (_name, file) => {
      const r = load(file);
      const md = renderSingle(r);
      expect(md.startsWith(`# ${r.model} — closed_loop · c=${r.concurrency}\n\n## Environment\n`)).toBe(true);
      expect(md).toContain('| ITL (ms)  | unavailable |'); // no repeat_metrics in any of them
      expect(md).toContain(`| env_hash | \`${r.env_hash}\` |`);
      expect(md.endsWith(' |\n\n')).toBe(true);
      expect(md).not.toContain('## goodput');
    },
  );
});

describe('renderSweep (ferrum render_sweep)', () => {
  it('renders two copies of A.3 as Appendix A.3 describes', () => {
    const r = appendixA3Report();
    const row = '| c=4 | 130.67 ± 10.04 | 159.42 ± 0.30 | 64.83 ± 2.51 | 1.18 ± 0.22 | 0.39 ± 0.07 |\n';
    expect(renderSweep([r, r])).toBe(
      `# Bench sweep (2 cells)\n\n${A3_ENV}## Sweep\n\n| cell | TTFT_p50 | TTFT_p99 | TPOT_p50 | output_thr | goodput |\n|---|---|---|---|---|---|\n${row}${row}\n`,
    );
  });

  it('writes only the title for zero cells, and the n<3 warning when a cell needs it', () => {
    expect(renderSweep([])).toBe('# Bench sweep (0 cells)\n\n');
    const a4 = appendixA4Report();
    const md = renderSweep([appendixA3Report(), { ...a4, n_repeats: 1 }]);
    expect(md).toContain(
      '## Sweep\n\n⚠ At least one cell has `n_repeats < 3` — CI95 columns omitted for those cells.\n\n',
    );
    expect(md).toContain('| rate=2.5 | 166.67 | 264.67 | 58.33 | 1.50 | 0.17 |\n');
  });

  it('renders the engine-pair fixtures as a sweep of eight cells', () => {
    const files = fixtureFiles.filter((f) => f.includes('engine-pair'));
    const md = renderSweep(files.map(load));
    expect(md.startsWith('# Bench sweep (8 cells)\n\n## Environment\n')).toBe(true);
    expect(md.match(/^\| c=\d+ \|/gm)).toHaveLength(8);
    expect(md).not.toContain('## goodput');
  });
});

describe('goodput sections below ferrum tables', () => {
  it('keeps ferrum tables byte-identical and appends the extension sections', () => {
    const r = { ...appendixA3Report(), goodput: sampleExtension() };
    const md = renderSingle(r);
    expect(md.startsWith(A3_SINGLE)).toBe(true);
    const ext = md.slice(A3_SINGLE.length);
    expect(ext).toContain(
      '## goodput\n\nrun `run-1` · goodput 0.1.0 · started 2026-06-01T10:00:00.000Z · seed 7\n\n',
    );
    expect(ext).toContain('Coverage: 9 of 12 successful requests (75.0 %)');
    expect(ext).toContain(
      '| ITL (ms) | 12 | 60.00 [59.00, 61.00] | 70.00 [69.00, 71.00] | 75.00 [74.00, 76.00] | 80.00 [79.00, 81.00] | 85.00 [84.00, 86.00] ⚠ |',
    );
    expect(ext).toContain('| timeout | 0 | 1 | 0 | 1 |');
    expect(ext).not.toContain('| http_5xx |'); // all-zero reasons are left out
    expect(ext).toContain(
      '| met the SLO | 8 | 66.7 % |\n| missed TTFT | 3 | 25.0 % |\n| missed TPOT | 2 | 16.7 % |\n| missed E2E | 0 | 0.0 % |',
    );
    expect(ext).toContain('| TTFT (ms) | 130.50 ± 4.97 (n=3) |');
    expect(ext).toContain('| E2E (ms) | 12 | 260.00 [259.00, 261.00] |');
    expect(ext).toContain('Bootstrap: 1000 resamples, seed 7. ⚠ marks');
    expect(ext).toContain('### Warnings\n\n- p99 from 12 samples is not reliable\n');
  });

  it('says "No errors." for a clean cell and lists ferrum counters with the extended ones', () => {
    const clean = renderSingle({ ...appendixA3Report(), goodput: sampleExtension({ errors_per_run: {} }) });
    expect(clean).toContain('### Errors by reason\n\nNo errors.\n');
    const a4 = renderSingle({
      ...appendixA4Report(),
      goodput: sampleExtension({ errors_per_run: { http_5xx: [0, 2, 0] } }),
    });
    expect(a4).toContain(
      '| **errored requests** | 0 | 2 | 0 | 2 |\n| http_5xx | 0 | 2 | 0 | 2 |\n| http_500 | 0 | 2 | 0 | 2 |\n',
    );
  });

  it('escapes table separators in strings that come from reports', () => {
    const md = renderSingle({
      ...appendixA3Report(),
      goodput: sampleExtension({ errors_per_run: { 'evil|flag': [1, 0, 0] } }),
    });
    expect(md).toContain('| evil\\|flag | 1 | 0 | 0 | 1 |');
  });

  it('marks the knee and lists environment differences in a sweep', () => {
    const base = appendixA3Report();
    const cells = [1, 4, 16].map((c, i) => ({
      ...base,
      concurrency: c,
      env: { ...base.env, gpu_clock_lock_mhz: 2805 - i * 15 },
      goodput: sampleExtension(
        i === 1 ? { knee: { is_knee: true, note: 'Δthroughput/Δlatency fell below 0.5' } } : {},
      ),
    }));
    const md = renderSweep(cells);
    expect(md).toContain('**Knee: c=4** (Δthroughput/Δlatency fell below 0.5)');
    expect(md).toContain('| c=4 ◀ knee | 60.00 [59.00, 61.00] | 75.0 % | 0 of 12 | 66.7 % | 1 |');
    expect(md).toContain(
      '| field | c=1 | c=4 | c=16 |\n|---|---|---|---|\n| gpu_clock_lock_mhz | 2805 | 2790 | 2775 |\n',
    );
    expect(md).not.toContain('| commit_sha |');
  });

  it('finds a knee given by concurrency on any cell, and none when absent', () => {
    const base = appendixA3Report();
    const cells = [1, 4, 16].map((c) => ({
      ...base,
      concurrency: c,
      goodput: sampleExtension({ knee: { concurrency: 16 } }),
    }));
    expect(findKnee(cells)?.index).toBe(2);
    expect(findKnee([base, base])).toBeUndefined();
    const same = renderSweep(cells);
    expect(same).toContain('All cells share one environment');
  });
});
