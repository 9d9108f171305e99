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
});
