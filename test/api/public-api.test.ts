// Pins the public library surface: the names a program importing 'goodput' relies on, and the
// shapes of the report types (a breaking change to either fails here and in the type check).
import { describe, expect, expectTypeOf, it } from 'vitest';
import type { BenchReport, RequestRecord, Scenario } from '../../src/index.js';
import * as goodput from '../../src/index.js';

describe('public API', () => {
  it('exports the typed core as named values', () => {
    for (const name of [
      'computeMetrics',
      'parseReports',
      'writeReportJson',
      'envHash',
      'verifyEnvHash',
      'studentTQuantile',
      'welchTTest',
      'buildSchedule',
      'compareRuns',
      'evaluateGate',
      'renderSingle',
      'renderHtmlReport',
      'startSimulator',
      'runServeBenchmark',
      'openLedger',
      'BenchReportSchema',
      'GoodputError',
      'parseTraceText',
      'analyseTrace',
      'compareTraces',
    ]) {
      expect(typeof (goodput as Record<string, unknown>)[name], name).not.toBe('undefined');
    }
  });

  it('keeps the report and record shapes', () => {
    expectTypeOf<BenchReport['scenario']>().toEqualTypeOf<Scenario>();
    expectTypeOf<BenchReport['ttft_ms']['p50']['mean']>().toEqualTypeOf<number>();
    expectTypeOf<BenchReport['env_hash']>().toEqualTypeOf<string>();
    expectTypeOf<RequestRecord['event_ms']>().toEqualTypeOf<number[]>();
    expect(goodput.studentTQuantile(0.975, 30)).toBeCloseTo(2.0423, 4);
  });

  it('round-trips a fixture report through the public reader and writer', async () => {
    const { readFileSync } = await import('node:fs');
    const path = new URL(
      '../../../shared/fixtures/ferrum/reports/release-gate/baseline_c4_n3.json',
      import.meta.url,
    );
    const [report] = goodput.parseReports(readFileSync(path, 'utf8'), 'baseline_c4_n3.json');
    expect(report).toBeDefined();
    const again = goodput.parseReports(goodput.writeReportJson(report!), 'again');
    expect(again[0]).toEqual(report);
    expect(goodput.verifyEnvHash(report!).ok).toBe(true);
  });

  it('reads the ferrum layer-wise trace fixture through the public trace functions, and compares it with itself', async () => {
    const { readFileSync } = await import('node:fs');
    const path = new URL('../../../shared/fixtures/ferrum/trace/m3_layerwise_trace.json', import.meta.url);
    const parsed = goodput.parseTraceText(readFileSync(path, 'utf8'), 'm3_layerwise_trace.json');
    expect(parsed.truncated).toBe(false);
    const analysis = goodput.analyseTrace(parsed.events, { source: 'm3_layerwise_trace.json' });
    const b = analysis.breakdown;
    expect(b.layers.length).toBeGreaterThan(0);
    const sum = Object.values(b.totalsUs).reduce((a, v) => a + v, 0);
    expect(sum).toBeGreaterThan(0);
    expect(goodput.layerBreakdown(parsed.events).totalsUs).toEqual(b.totalsUs);
    const side = goodput.comparisonSide(analysis, 'a');
    const same = goodput.compareTraces(side, { ...side, label: 'b' });
    expect(same.byCategory.length).toBe(b.categories.length);
    for (const d of same.byCategory) expect(d.deltaUs).toBe(0);
    expect(same.total.aUs).toBe(sum);
    expect(same.sameLayers).toBe(true);
  });
});
