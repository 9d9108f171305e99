// compareRuns and evaluateGate on the real ferrum fixtures: engine-pair (ferrum vs vLLM, n=5),
// release-gate (baseline vs candidate, n=3) and graph-ab (n=1).

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { type Comparison, compareRuns } from '../../../src/core/compare/comparison.js';
import { evaluateGate } from '../../../src/core/compare/gate.js';
import type { SourcedCell } from '../../../src/core/compare/join.js';
import { COMPARED_METRICS } from '../../../src/core/compare/metric-catalog.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const reports = resolve(here, '../../../../shared/fixtures/ferrum/reports');

function side(folder: string, prefix: string): SourcedCell[] {
  return readdirSync(join(reports, folder))
    .filter((f) => f.startsWith(prefix))
    .flatMap((f) =>
      parseReports(readFileSync(join(reports, folder, f), 'utf8'), f).map((report) => ({
        report,
        source: f,
      })),
    );
}

const verdict = (c: Comparison, concurrency: number, metric: string) =>
  c.cells.find((x) => x.key.concurrency === concurrency)?.metrics.find((m) => m.metric === metric)?.verdict;

describe('engine-pair: ferrum vs vLLM 0.20.2 (n=5 each)', () => {
  const c = compareRuns(
    { label: 'ferrum', cells: side('engine-pair', 'ferrum') },
    { label: 'vllm', cells: side('engine-pair', 'vllm') },
  );

  it('joins all four concurrency cells although the files come from two engines', () => {
    expect(c.cells.map((x) => x.key.concurrency)).toEqual([1, 4, 16, 32]);
    expect(c.onlyA).toEqual([]);
    expect(c.onlyB).toEqual([]);
    expect(c.cells.every((x) => x.metrics.length === COMPARED_METRICS.length)).toBe(true);
  });

  it('gives per-metric, direction-aware verdicts: vLLM has slower TTFT but faster decode and more throughput', () => {
    for (const conc of [1, 4, 16, 32]) {
      expect(verdict(c, conc, 'ttft_p50')).toBe('worse');
      expect(verdict(c, conc, 'tpot_p50')).toBe('better');
      expect(verdict(c, conc, 'e2e_p50')).toBe('better');
      expect(verdict(c, conc, 'output_throughput')).toBe('better');
    }
    const ttft = c.cells[0]!.metrics.find((m) => m.metric === 'ttft_p50')!;
    expect(ttft.a.mean).toBeCloseTo(48.75, 1);
    expect(ttft.b.mean).toBeCloseTo(88.14, 1);
    expect(ttft.ratio).toBeCloseTo(1.808, 3);
    expect(ttft.welch!.pValue).toBeLessThan(1e-9);
    expect(ttft.welch!.ratioCi95![0]).toBeLessThan(1.808);
    expect(ttft.welch!.ratioCi95![1]).toBeGreaterThan(1.808);
  });

  it('flags nothing as incomparable: the env_hash differences are provenance (observed GPU clock)', () => {
    expect(c.cells.every((x) => x.comparability.length === 0)).toBe(true);
    const c16 = c.cells.find((x) => x.key.concurrency === 16)!;
    expect(c16.warnings.join()).toContain('env_hash differs only in provenance');
  });

  it('counts every verdict once', () => {
    const total = Object.values(c.verdicts).reduce((a, b) => a + b, 0);
    expect(total).toBe(4 * COMPARED_METRICS.length);
    expect(c.verdicts.not_assessable).toBe(0);
  });
});

describe('release-gate: baseline vs candidate (n=3 each)', () => {
  const c = compareRuns(
    { label: 'baseline', cells: side('release-gate', 'baseline') },
    { label: 'candidate', cells: side('release-gate', 'candidate') },
  );

  it('finds exactly one significant regression (TTFT p75 at c=4, +36.8 %, p 0.044) and one improvement', () => {
    const significant = c.cells.flatMap((x) =>
      x.metrics
        .filter((m) => m.verdict === 'better' || m.verdict === 'worse')
        .map((m) => `c=${x.key.concurrency} ${m.metric} ${m.verdict}`),
    );
    expect(significant).toEqual(['c=4 ttft_p75 worse', 'c=4 itl_p75 better']);
    const m = c.cells[1]!.metrics.find((x) => x.metric === 'ttft_p75')!;
    // SciPy ttest_ind_from_stats on the fixture's mean/stddev/n: p = 0.04421147413465932
    expect(m.welch!.pValue).toBeCloseTo(0.04421147413465932, 8);
    expect(m.regressionPct).toBeCloseTo(36.85, 1);
    // the seed's CI-overlap rule does not see it: Welch and overlap are shown side by side
    expect(m.overlap).toBe('overlap');
  });

  it('the gate fails on a metric with a significant regression beyond the threshold', () => {
    const g = evaluateGate(c, { thresholdPct: 5, metrics: ['ttft_p75'] });
    expect(g.failed).toBe(true);
    expect(g.failures.map((f) => [f.cell, f.metric])).toEqual([
      ['Qwen/Qwen3-30B-A3B-GPTQ-Int4 · closed_loop · c=4 · 256→128', 'ttft_p75'],
    ]);
  });

  it('the gate passes when the significant regression is below the threshold', () => {
    const g = evaluateGate(c, { thresholdPct: 40, metrics: ['ttft_p75'] });
    expect(g.failed).toBe(false);
    expect(g.failures).toEqual([]);
  });

  it('with the default metrics a large but NOT significant regression never fails the gate', () => {
    const g = evaluateGate(c, { thresholdPct: 5 });
    expect(g.failed).toBe(false);
    // TTFT p50 at c=4 is 8.6 % higher, p 0.42; TTFT p95 at c=16 is 7.2 % higher: reported, ignored
    expect(g.ignored.map((f) => f.metric)).toContain('ttft_p50');
    expect(g.ignored.every((f) => f.pValue === null || f.pValue >= 0.05)).toBe(true);
  });
});

describe('graph-ab: CUDA graphs off vs on (n=1 each)', () => {
  const c = compareRuns(
    { label: 'off', cells: side('graph-ab', 'graph_off') },
    { label: 'on', cells: side('graph-ab', 'graph_on') },
  );

  it('joins the four cells and says not assessable everywhere', () => {
    expect(c.cells).toHaveLength(4);
    expect(c.verdicts).toEqual({
      better: 0,
      worse: 0,
      no_significant_change: 0,
      not_assessable: 4 * COMPARED_METRICS.length,
    });
    expect(
      c.cells.every((x) =>
        x.metrics.every((m) => m.welch === null && m.reason?.includes('fewer than 3 repeats')),
      ),
    ).toBe(true);
  });

  it("where ferrum's overlap rule would have claimed a difference, the gate still cannot fail", () => {
    const claimed = c.cells.flatMap((x) => x.metrics.filter((m) => m.overlap === 'differ'));
    expect(claimed.length).toBeGreaterThan(50);
    expect(evaluateGate(c, { thresholdPct: 0 }).failed).toBe(false);
  });

  it('lists the engine-env difference of the two builds field by field', () => {
    expect(c.cells[0]!.comparability).toEqual([
      { field: 'engine_env.FERRUM_VLLM_MOE', a: undefined, b: '1' },
    ]);
  });
});

describe('unjoined cells', () => {
  it('are listed per side, never dropped', () => {
    const a = side('release-gate', 'baseline').filter((x) => x.report.concurrency !== 32);
    const b = side('release-gate', 'candidate').filter((x) => x.report.concurrency !== 1);
    const c = compareRuns({ label: 'A', cells: a }, { label: 'B', cells: b });
    expect(c.cells.map((x) => x.key.concurrency)).toEqual([4, 16]);
    expect(c.onlyA.map((u) => u.source)).toEqual(['baseline_c1_n3.json']);
    expect(c.onlyB.map((u) => u.source)).toEqual(['candidate_c32_n3.json']);
  });
});
