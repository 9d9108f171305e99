import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { mergeRepeatReports, mergeRepeatRuns } from '../../../src/core/compare/repeat-merge.js';
import { type BenchReport, BenchReportSchema } from '../../../src/core/schema/bench-report.js';
import { writeReportJson } from '../../../src/core/schema/json-writer.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const path = resolve(here, '../../../../shared/fixtures/ferrum/reports/release-gate/baseline_c4_n3.json');
const template = parseReports(readFileSync(path, 'utf8'), path)[0]!;

/** A single-repeat report whose every percentile and rate of this repeat is `value` (TTFT p50 = ttftP50). */
function single(ttftP50: number, completed: number, extra: Partial<BenchReport> = {}): BenchReport {
  const r = structuredClone(template);
  r.n_repeats = 1;
  for (const m of ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2e_ms'] as const) {
    for (const p of ['p50', 'p75', 'p95', 'p99'] as const) r[m][p] = { mean: 10, stddev: 0, ci95_hw: 0 };
  }
  r.ttft_ms.p50 = { mean: ttftP50, stddev: 0, ci95_hw: 0 };
  r.output_throughput_tps = { mean: completed * 10, stddev: 0, ci95_hw: 0 };
  r.completed_per_run = [completed];
  r.errored_per_run = [128 - completed];
  for (const f of [
    'bad_output_per_run',
    'malformed_stream_per_run',
    'missing_done_per_run',
    'duplicate_done_per_run',
    'zero_output_tokens_per_run',
    'stream_bulk_flush_per_run',
    'panic_per_run',
  ] as const)
    r[f] = [0];
  r.http_500_per_run = [128 - completed];
  r.quality_issues_per_run = [{ ...template.quality_issues_per_run[0]!, http_500: 128 - completed }];
  r.actual_input_tokens_per_request = [new Array<number>(128).fill(256)];
  r.output_tokens_per_request = [new Array<number>(128).fill(128)];
  delete r.itl_evidence_per_request;
  return { ...r, ...extra };
}

describe('mergeRepeatReports', () => {
  // ferrum-behaviour Appendix A.3: per-repeat TTFT p50 130, 135, 127 → mean 130.66666666666666,
  // stddev 4.041451884327381, ci95_hw 10.040333333333335 (t = 4.303)
  const merged = mergeRepeatReports([single(130, 128), single(135, 127), single(127, 126)]);

  it('rebuilds the locked cross-repeat aggregates exactly as ferrum computes them', () => {
    expect(merged.n_repeats).toBe(3);
    expect(merged.ttft_ms.p50).toEqual({
      mean: 130.66666666666666,
      stddev: 4.041451884327381,
      ci95_hw: 10.040333333333335,
    });
    expect(merged.ttft_ms.p99).toEqual({ mean: 10, stddev: 0, ci95_hw: 0 });
    expect(merged.output_throughput_tps.mean).toBeCloseTo(1270, 10);
  });

  it('concatenates the per-run arrays and per-request arrays in repeat order', () => {
    expect(merged.completed_per_run).toEqual([128, 127, 126]);
    expect(merged.errored_per_run).toEqual([0, 1, 2]);
    expect(merged.http_500_per_run).toEqual([0, 1, 2]);
    expect(merged.quality_issues_per_run.map((q) => q.http_500)).toEqual([0, 1, 2]);
    expect(merged.output_tokens_per_request).toHaveLength(3);
    expect(merged.itl_evidence_per_request).toBeUndefined();
  });

  it('is a valid report that the ordered writer serialises', () => {
    const text = writeReportJson(merged);
    expect(BenchReportSchema.parse(JSON.parse(text)).n_repeats).toBe(3);
  });

  it('keeps the configuration the repeats agree on, drops what differs, and says so', () => {
    const withExt = (seed: number, port: number, finished: string) =>
      single(100, 128, {
        goodput: {
          schema_version: 1,
          seed,
          dataset: { name: 'random' },
          server: { base_url: `http://127.0.0.1:${port}`, server_args: ['--max-num-seqs', '32'] },
          finished_at: finished,
          errors_per_run: { timeout: [1] },
          comparability: { key: { seed }, hash: `sha256:${seed}` },
        },
      });
    const m = mergeRepeatReports([withExt(7, 8001, 't1'), withExt(8, 8002, 't2')]);
    expect(m.goodput).toMatchObject({
      dataset: { name: 'random' },
      server: { server_args: ['--max-num-seqs', '32'] },
      finished_at: 't2',
      errors_per_run: { timeout: [1, 1] },
    });
    expect(m.goodput?.seed).toBeUndefined();
    expect(m.goodput?.server?.base_url).toBeUndefined();
    expect(m.goodput?.warnings).toEqual([
      'merged from 2 interleaved single-repeat runs: pooled and missing-aware statistics were not recomputed; the locked fields hold the cross-repeat aggregates',
      'fields that differ between the repeats were left out: seed, comparability',
    ]);
    // nothing half-kept: the merged report still serialises (comparability needs its hash)
    expect(m.goodput?.comparability).toBeUndefined();
    expect(() => writeReportJson(m)).not.toThrow();
    expect(mergeRepeatReports([withExt(7, 1, 'a'), withExt(7, 1, 'b')]).goodput?.seed).toBe(7);
  });

  it('refuses parts that are not single repeats of one cell', () => {
    expect(() => mergeRepeatReports([single(1, 128), { ...single(1, 128), concurrency: 8 }])).toThrow(
      /not .*c=4/,
    );
    expect(() => mergeRepeatReports([{ ...single(1, 128), n_repeats: 2 }])).toThrow(
      /each part must be one repeat/,
    );
    expect(() => mergeRepeatReports([])).toThrow(/at least one/);
  });
});

describe('mergeRepeatRuns', () => {
  it('groups the cells of several runs by cell key', () => {
    const c8 = (v: number) => ({ ...single(v, 128), concurrency: 8 });
    const merged = mergeRepeatRuns([
      [single(1, 128), c8(2)],
      [single(3, 128), c8(4)],
    ]);
    expect(merged.map((m) => [m.concurrency, m.n_repeats, m.ttft_ms.p50.mean])).toEqual([
      [4, 2, 2],
      [8, 2, 3],
    ]);
  });
});
