import { describe, expect, it } from 'vitest';
import type { HistoryPoint } from '../../src/render/charts/history-series.js';
import { renderHistoryMarkdown } from '../../src/render/history-markdown.js';

const KEY = 'm|closed_loop|c=4';

/** Run i (1-based) started on 2026-06-0i unless `startedAt` says otherwise. */
function point(run: number, metric: string, mean: number, extra: Partial<HistoryPoint> = {}): HistoryPoint {
  return {
    runId: `run:${run}`,
    commit: `c0mmit${run}`,
    startedAt: `2026-06-0${run}T12:00:00.000Z`,
    cellKey: KEY,
    metric,
    mean,
    ci95_hw: mean * 0.01,
    n: 5,
    ...extra,
  };
}

describe('renderHistoryMarkdown', () => {
  it('writes one row per run in start order, one column per metric, and marks significant steps', () => {
    const points = [
      point(3, 'ttft_p50', 130),
      point(1, 'ttft_p50', 100),
      point(2, 'ttft_p50', 101),
      point(1, 'output_throughput', 1000),
      point(2, 'output_throughput', 1200),
      point(3, 'output_throughput', 1201),
    ];
    const md = renderHistoryMarkdown(points, {
      runLabels: new Map([
        ['run:1', 'nightly'],
        ['run:3', 'pr|42'],
      ]),
    });
    expect(md).toBe(
      [
        '# Benchmark history',
        '',
        '3 runs · 1 cell key · order: run start time · 2 significant steps',
        '',
        "Each run against the one before it, per cell key and metric: Welch's t-test at α = 0.05 on the per-repeat summaries; fewer than 3 repeats on either side is never significant. Values are mean ± 95 % CI.",
        '',
        '## m\\|closed_loop\\|c=4',
        '',
        '| run | commit | label | started | TTFT p50 (ms) | output throughput (tok/s) |',
        '|---|---|---|---|---:|---:|',
        '| run:1 | c0mmit1 | nightly | 2026-06-01 12:00 | 100.00 ± 1.00 | 1000.00 ± 10.00 |',
        '| run:2 | c0mmit2 |  | 2026-06-02 12:00 | 101.00 ± 1.01 | 1200.00 ± 12.00 **better** |',
        '| run:3 | c0mmit3 | pr\\|42 | 2026-06-03 12:00 | 130.00 ± 1.30 **worse** | 1201.00 ± 12.01 |',
        '',
        'Significant steps:',
        '',
        '- TTFT p50: run:2 (c0mmit2) → run:3 (c0mmit3): 101.00 → 130.00 ms (+28.7 %), p = <0.001, **worse**',
        '- output throughput: run:1 (c0mmit1) → run:2 (c0mmit2): 1000.00 → 1200.00 tok/s (+20.0 %), p = <0.001, **better**',
        '',
      ].join('\n'),
    );
  });

  it('keeps the given (commit) order, shows a dash for a metric a run lacks, and says when nothing changed', () => {
    const points = [
      point(2, 'ttft_p50', 100, { commit: undefined }),
      point(1, 'ttft_p50', 100.2),
      point(1, 'tpot_p50', 10, { ci95_hw: 0, n: 2 }),
      point(3, 'ttft_p50', 100.1, { cellKey: 'other' }),
    ];
    const md = renderHistoryMarkdown(points, { order: 'given', title: 'nightly' });
    expect(md).toContain('# nightly\n\n3 runs · 2 cell keys · order: commit order · 0 significant steps');
    expect(md).toContain(
      [
        '| run:2 |  |  | 2026-06-02 12:00 | 100.00 ± 1.00 | — |',
        '| run:1 | c0mmit1 |  | 2026-06-01 12:00 | 100.20 ± 1.00 | 10.00 |',
        '',
        'No significant step between consecutive runs.',
      ].join('\n'),
    );
    // the second cell key lists only the run it has
    expect(md).toContain(
      '## other\n\n| run | commit | label | started | TTFT p50 (ms) |\n|---|---|---|---|---:|\n| run:3 |',
    );
  });
});
