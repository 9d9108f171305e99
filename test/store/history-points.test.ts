import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { cellKeyOf, cellKeyString } from '../../src/core/compare/cell-key.js';
import { compareRuns } from '../../src/core/compare/comparison.js';
import { COMPARED_METRICS, metricById } from '../../src/core/compare/metric-catalog.js';
import { metricSample } from '../../src/core/compare/metric-sample.js';
import { GoodputError } from '../../src/core/errors.js';
import type { BenchReport } from '../../src/core/schema/bench-report.js';
import { parseReports } from '../../src/core/schema/report-reader.js';
import { historySeries } from '../../src/render/charts/history-series.js';
import { cellKeyMatches, historyPoints } from '../../src/store/history-points.js';
import type { StoredRun } from '../../src/store/ledger.js';

const gate = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '../../../shared/fixtures/ferrum/reports/release-gate',
);
const side = (prefix: string): BenchReport[] =>
  readdirSync(gate)
    .filter((f) => f.startsWith(prefix))
    .sort()
    .flatMap((f) => parseReports(readFileSync(join(gate, f), 'utf8'), f));

/** A ledger run as getRun returns it, without a ledger: the mapping is pure. */
function stored(
  id: number,
  cells: BenchReport[],
  extra: { commit?: string; startedAt?: string } = {},
): StoredRun {
  return {
    run: {
      id,
      uid: `u${id}`,
      startedAt: extra.startedAt ?? null,
      finishedAt: null,
      recordedAt: `2026-05-0${id}T00:00:00.000Z`,
      commandLine: null,
      toolVersion: null,
      label: null,
      source: 'import',
      sourcePath: null,
      commit: extra.commit ?? null,
      cellCount: cells.length,
      requestCount: 0,
      models: [],
    },
    cells: cells.map((report, index) => ({
      id: id * 100 + index,
      runId: id,
      index,
      cellKey: cellKeyString(cellKeyOf(report)),
      report,
    })),
  };
}

const baseline = stored(1, side('baseline'), { commit: 'aaaa1111', startedAt: '2026-05-01T10:00:00.000Z' });
const candidate = stored(2, side('candidate'), { commit: 'bbbb2222' });
const C4 = 'Qwen/Qwen3-30B-A3B-GPTQ-Int4|closed_loop|c=4|rate=-|in=256|out=128|ds=?';

describe('cellKeyMatches', () => {
  it.each([
    [C4, true],
    ['c=4', true],
    ['c=4|in=256', true],
    [' c=4 | out=128 ', true],
    ['Qwen/Qwen3-30B-A3B-GPTQ-Int4', true],
    ['c=16', false],
    ['c=4|in=512', false],
    ['c=', false],
    ['|', false],
    ['', false],
  ])('%j → %s', (filter, expected) => {
    expect(cellKeyMatches(C4, filter)).toBe(expected);
  });
});

describe('historyPoints', () => {
  it('gives one point per run, cell and available metric, with the comparison’s own summaries', () => {
    const { points, warnings } = historyPoints([baseline, candidate]);
    expect(warnings).toEqual([]);
    const c4 = baseline.cells.find((c) => c.cellKey === C4)!;
    const p = points.find((x) => x.runId === 'run:1' && x.cellKey === C4 && x.metric === 'ttft_p75')!;
    const s = metricSample(c4.report, metricById('ttft_p75')!);
    expect(p).toEqual({
      runId: 'run:1',
      commit: 'aaaa1111',
      startedAt: '2026-05-01T10:00:00.000Z',
      cellKey: C4,
      metric: 'ttft_p75',
      mean: s.mean,
      ci95_hw: s.ci95Hw,
      n: 3,
      stddev: s.stddev,
    });
    expect(p.mean).toBeCloseTo(106.23, 2);
    // an imported file without a start is placed by when the ledger stored it
    expect(points.find((x) => x.runId === 'run:2')?.startedAt).toBe('2026-05-02T00:00:00.000Z');
    expect(points).toHaveLength(2 * 4 * COMPARED_METRICS.length);
    expect(points.every((x) => x.mean > 0)).toBe(true);
  });

  it('marks exactly the steps `goodput compare` calls significant (release-gate: TTFT p75 at c=4 worse)', () => {
    const { points } = historyPoints([baseline, candidate]);
    const steps = historySeries(points).flatMap((s) =>
      s.steps.filter((st) => st.change).map((st) => `${s.cellKey} ${s.metric} ${st.change?.verdict}`),
    );
    expect(steps).toEqual([`${C4} ttft_p75 worse`, `${C4} itl_p75 better`]);
    const comparison = compareRuns(
      { label: 'a', cells: baseline.cells.map((c) => ({ report: c.report, source: 'a' })) },
      { label: 'b', cells: candidate.cells.map((c) => ({ report: c.report, source: 'b' })) },
    );
    const significant = comparison.cells.flatMap((c) =>
      c.metrics
        .filter((m) => m.verdict === 'better' || m.verdict === 'worse')
        .map((m) => `${cellKeyString(c.key)} ${m.metric} ${m.verdict}`),
    );
    expect(steps.sort()).toEqual(significant.sort());
  });

  it('keeps the cells the filters match, in numeric key order, and the chosen metrics in the given order', () => {
    const { points } = historyPoints([baseline, candidate], {
      metrics: ['output_throughput', 'ttft_p50'],
      cells: ['c=4', 'c=32'],
    });
    expect(points.map((p) => `${p.runId} ${p.cellKey.split('|')[2]} ${p.metric}`)).toEqual([
      'run:1 c=4 output_throughput',
      'run:1 c=4 ttft_p50',
      'run:2 c=4 output_throughput',
      'run:2 c=4 ttft_p50',
      'run:1 c=32 output_throughput',
      'run:1 c=32 ttft_p50',
      'run:2 c=32 output_throughput',
      'run:2 c=32 ttft_p50',
    ]);
  });

  it('warns when a chosen metric is in no run, and when a run has one cell key twice', () => {
    const twice = stored(3, [...side('baseline_c4'), ...side('candidate_c4')]);
    const { points, warnings } = historyPoints([twice, stored(4, side('baseline_c1_'))], {
      metrics: ['itl_p50', 'ttft_p50'],
      cells: ['c=4', 'c=1'],
    });
    expect(warnings).toEqual([`run:3 has two cells for ${C4}; the history uses the later one (cell 1)`]);
    const c4 = points.filter((p) => p.cellKey === C4 && p.metric === 'ttft_p50');
    expect(c4.map((p) => p.mean)).toEqual([twice.cells[1]!.report.ttft_ms.p50.mean]);
    // ferrum writes ITL 0 when it has no complete evidence: no point, never a 0
    const zeroItl = side('baseline_c1_').map((r) => {
      const zero = { mean: 0, stddev: 0, ci95_hw: 0 };
      return { ...r, itl_ms: { p50: zero, p75: zero, p95: zero, p99: zero } };
    });
    const itlOnlyC1 = historyPoints([stored(4, zeroItl)], { metrics: ['itl_p50', 'ttft_p50'] });
    expect(itlOnlyC1.points.map((p) => p.metric)).toEqual(['ttft_p50']);
    expect(itlOnlyC1.warnings).toEqual([
      'no selected run provides itl_p50 (unavailable in every cell, e.g. ITL without complete evidence)',
    ]);
  });

  it('refuses a --cell filter that matches nothing, listing the keys there are', () => {
    const error = (() => {
      try {
        historyPoints([baseline], { cells: ['c=64'] });
      } catch (e) {
        return e;
      }
    })() as GoodputError;
    expect(error).toBeInstanceOf(GoodputError);
    expect(error.code).toBe('USAGE');
    expect(error.message).toBe('--cell c=64: no cell of the selected runs matches');
    expect(error.hint).toContain(C4);
  });
});
