// The aggregation's speed and memory work (SPEC §10) must not change one byte of a report: the
// serialized reports of seeded, untidy cells are pinned to what the aggregation produced before
// it (aggregation-equivalence.golden.json, written by the code before the change).

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { AggregationRules } from '../../../src/core/metrics/aggregation-rules.js';
import { computeMetrics } from '../../../src/core/metrics/compute-metrics.js';
import { writeReportJson } from '../../../src/core/schema/json-writer.js';
import { type SeededCellShape, seededCellParams } from './seeded-cell.js';

interface GoldenCase {
  readonly sha256: string;
  readonly bytes: number;
  /** the report with its two per-request arrays left out, to show WHAT differs when the hash does */
  readonly report_without_per_request: Record<string, unknown>;
}

const golden = JSON.parse(
  readFileSync(new URL('./aggregation-equivalence.golden.json', import.meta.url), 'utf8'),
) as Record<string, GoldenCase>;

const SMALL: SeededCellShape = {
  seed: 7,
  repeats: 4,
  perRepeat: 3000,
  maxEvents: 20,
  allFailedRepeat: 3,
  warmup: 3,
};
// large enough that every pooled column and each repeat's ITL take the one-pass rank-window path
const LARGE: SeededCellShape = { seed: 11, repeats: 3, perRepeat: 40_000, maxEvents: 14, warmup: 0 };

const CASES: ReadonlyArray<readonly [string, SeededCellShape, AggregationRules]> = [
  ['small_seed', SMALL, 'seed'],
  ['small_head', SMALL, 'head'],
  ['large', LARGE, 'seed'],
];

describe('computeMetrics reports are byte-identical to the pinned reports', () => {
  it.each(CASES)('%s', (name, shape, rules) => {
    const pinned = golden[name] as GoldenCase;
    const json = writeReportJson(computeMetrics({ ...seededCellParams(shape), rules }));
    const parsed = JSON.parse(json) as Record<string, unknown>;
    delete parsed.output_tokens_per_request;
    delete parsed.itl_evidence_per_request;
    expect(parsed).toEqual(pinned.report_without_per_request);
    expect(json.length).toBe(pinned.bytes);
    expect(createHash('sha256').update(json).digest('hex')).toBe(pinned.sha256);
  });

  it('the seeded cells hold what the comparison is meant to cover', () => {
    const small = (golden.small_seed as GoldenCase).report_without_per_request as {
      repeat_metrics: Array<{ completed_requests: number; itl_eligibility_counts: Record<string, number> }>;
      goodput: {
        itl_coverage: { transport_coalesced_requests: number };
        statistics: { pooled: Record<string, { n: number }> };
      };
    };
    expect(small.repeat_metrics.map((r) => r.completed_requests)).toContain(0); // an all-failed repeat
    expect(small.repeat_metrics[0]?.itl_eligibility_counts.request_failed).toBeGreaterThan(0);
    expect(small.repeat_metrics[0]?.itl_eligibility_counts.too_short).toBeGreaterThan(0); // no ITL sample
    expect(small.goodput.itl_coverage.transport_coalesced_requests).toBeGreaterThan(0);
    const large = (golden.large as GoldenCase).report_without_per_request as typeof small;
    for (const metric of ['ttft_ms', 'tpot_ms', 'itl_ms', 'e2e_ms'])
      expect(large.goodput.statistics.pooled[metric]?.n).toBeGreaterThan(100_000);
  });
});
