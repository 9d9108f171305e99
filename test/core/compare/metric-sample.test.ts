import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { metricById } from '../../../src/core/compare/metric-catalog.js';
import { metricSample } from '../../../src/core/compare/metric-sample.js';
import type { BenchReport } from '../../../src/core/schema/bench-report.js';
import { parseReports } from '../../../src/core/schema/report-reader.js';

const here = dirname(fileURLToPath(import.meta.url));
const path = resolve(here, '../../../../shared/fixtures/ferrum/reports/release-gate/baseline_c4_n3.json');
const base = parseReports(readFileSync(path, 'utf8'), path)[0]!;
const m = (id: string) => metricById(id)!;

describe('metricSample', () => {
  it('reads the locked aggregate with n = n_repeats from a ferrum report', () => {
    expect(metricSample(base, m('ttft_p75'))).toEqual({
      mean: 106.23063916666666,
      stddev: 12.390460017866364,
      n: 3,
      ci95Hw: 30.782093241083388,
      source: 'locked',
    });
    expect(metricSample(base, m('goodput')).mean).toBe(base.goodput_rps.mean);
  });

  it('a latency of exactly 0 is unavailable (ferrum zeroes ITL without evidence); a rate of 0 is a value', () => {
    const r: BenchReport = structuredClone(base);
    r.itl_ms.p50 = { mean: 0, stddev: 0, ci95_hw: 0 };
    r.goodput_rps = { mean: 0, stddev: 0, ci95_hw: 0 };
    expect(metricSample(r, m('itl_p50'))).toMatchObject({
      mean: null,
      unavailable: 'ITL unavailable (no complete ITL evidence)',
    });
    expect(metricSample(r, m('goodput'))).toMatchObject({ mean: 0, n: 3 });
  });

  it("prefers the extension's missing-aware statistics: n counts the repeats that produced a value", () => {
    const r: BenchReport = structuredClone(base);
    const stats = (values: (number | null)[], mean: number | null, stddev: number | null) => ({
      n: values.filter((v) => v !== null).length,
      mean,
      stddev,
      ci95_hw: null,
      t: null,
      values,
    });
    r.goodput = {
      schema_version: 1,
      statistics: {
        repeats: {
          ttft_ms: { p50: stats([100, null, 110, 120], 110, 10), p99: stats([null, null], null, null) },
        },
        rates: {},
        pooled: {},
        bootstrap: { seed: 0, resamples: 0 },
      },
    };
    // the overlap rule keeps ferrum's locked half-width
    expect(metricSample(r, m('ttft_p50'))).toEqual({
      mean: 110,
      stddev: 10,
      n: 3,
      ci95Hw: base.ttft_ms.p50.ci95_hw,
      source: 'extension',
    });
    expect(metricSample(r, m('ttft_p99'))).toMatchObject({
      mean: null,
      n: 0,
      unavailable: 'no repeat produced a value',
    });
    // a metric the extension does not cover falls back to the locked field
    expect(metricSample(r, m('tpot_p50')).source).toBe('locked');
  });
});
