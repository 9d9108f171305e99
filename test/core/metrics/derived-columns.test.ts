// The derived per-request columns against their definitions, value by value and in request order:
// absent stream ends and client queues skipped, the rows kept aside merged back where they were,
// and columns longer than one chunk read side by side.

import { describe, expect, it } from 'vitest';
import {
  type DerivedColumn,
  deriveColumn,
  derivedLength,
  intendedDerivable,
  type SideColumns,
  type SuccessColumns,
} from '../../../src/core/metrics/derived-columns.js';
import { CHUNK_LENGTH, SampleBuffer } from '../../../src/core/stats/sample-buffer.js';

interface Row {
  ttft: number;
  e2e: number;
  tokens: number;
  streamEnd: number; // NaN: absent
  late: number; // NaN: absent
}

function columnsOf(rows: readonly Row[], hint = 16): SuccessColumns & SideColumns {
  const c = {
    ttftMs: new SampleBuffer(hint),
    e2eMs: new SampleBuffer(hint),
    outputTokens: new SampleBuffer(hint),
    e2eToStreamEndMs: new SampleBuffer(hint),
    lateMs: new SampleBuffer(hint),
    failedLateMs: new SampleBuffer(),
    failedLateAfter: new SampleBuffer(),
    intendedAt: new SampleBuffer(),
    intendedTtftMs: new SampleBuffer(),
    intendedE2eMs: new SampleBuffer(),
  };
  for (const r of rows) {
    c.ttftMs.push(r.ttft);
    c.e2eMs.push(r.e2e);
    c.outputTokens.push(r.tokens);
    c.e2eToStreamEndMs.push(r.streamEnd);
    c.lateMs.push(r.late);
  }
  return c;
}

const ROWS: Row[] = [
  { ttft: 10, e2e: 40, tokens: 4, streamEnd: 45, late: 0.5 },
  { ttft: 12, e2e: 12, tokens: 1, streamEnd: Number.NaN, late: Number.NaN },
  { ttft: 0, e2e: 0, tokens: 3, streamEnd: 2, late: 1.25 },
  { ttft: 7.5, e2e: 30.1, tokens: 2, streamEnd: Number.NaN, late: 0 },
];

function derive(columns: SuccessColumns & SideColumns, column: DerivedColumn): number[] {
  return Array.from(deriveColumn(columns, column, new Float64Array(derivedLength(columns))));
}

describe('deriveColumn', () => {
  it('computes each column by its definition, skipping the rows it is not defined for', () => {
    const c = columnsOf(ROWS);
    expect(derive(c, 'tpot_ms')).toEqual([10, 0, 22.6 / 1]);
    expect(derive(c, 'e2e_per_token_ms')).toEqual([10, 12, 0, 15.05]);
    expect(derive(c, 'output_tps_per_request')).toEqual([4 / 0.04, 1 / 0.012, 2 / (30.1 / 1000)]);
    expect(derive(c, 'e2e_to_stream_end_ms')).toEqual([45, 2]);
    expect(derive(c, 'tail_after_last_token_ms')).toEqual([5, 2]);
    expect(derive(c, 'tpot_to_stream_end_ms')).toEqual([35 / 3, 1]);
    expect(derive(c, 'client_queue_ms')).toEqual([0.5, 1.25, 0]);
    expect(derive(c, 'intended_ttft_ms')).toEqual([10.5, 1.25, 7.5]);
    expect(derive(c, 'intended_e2e_ms')).toEqual([40.5, 1.25, 30.1]);
  });

  it('derives a range of rows (one repeat) only', () => {
    const c = columnsOf(ROWS);
    expect(Array.from(deriveColumn(c, 'tpot_ms', new Float64Array(4), 1, 3))).toEqual([0]);
  });

  it('merges back the failed requests’ client queue and the rows kept aside, in request order', () => {
    const c = columnsOf(ROWS);
    // failed requests: one before any success, two after the second success, one after the last
    for (const [late, after] of [
      [9, 0],
      [8, 2],
      [7, 2],
      [6, 4],
    ]) {
      c.failedLateMs.push(late as number);
      c.failedLateAfter.push(after as number);
    }
    expect(derive(c, 'client_queue_ms')).toEqual([9, 0.5, 8, 7, 1.25, 0, 6]);
    // row 2 gave intended latencies that are not TTFT/E2E + client queue; row 1 gave only one
    c.intendedAt.push(1);
    c.intendedTtftMs.push(99);
    c.intendedE2eMs.push(Number.NaN);
    c.intendedAt.push(2);
    c.intendedTtftMs.push(3);
    c.intendedE2eMs.push(4);
    expect(derive(c, 'intended_ttft_ms')).toEqual([10.5, 99, 3, 7.5]);
    expect(derive(c, 'intended_e2e_ms')).toEqual([40.5, 4, 30.1]);
  });

  it('reads columns longer than one chunk side by side', () => {
    const n = CHUNK_LENGTH + 5;
    const rows = Array.from({ length: n }, (_, i) => ({
      ttft: i % 7,
      e2e: (i % 7) + 10,
      tokens: 1 + (i % 3),
      streamEnd: (i % 7) + 11,
      late: Number.NaN,
    }));
    const tpot = derive(columnsOf(rows, 1000), 'tpot_ms');
    const expected = rows.filter((r) => r.tokens >= 2).map((r) => 10 / (r.tokens - 1));
    expect(tpot.length).toBe(expected.length);
    expect(tpot.every((v, i) => v === expected[i])).toBe(true);
  });
});

describe('intendedDerivable', () => {
  it('holds exactly when the intended latencies are TTFT / E2E + client queue, or all are absent', () => {
    const nan = Number.NaN;
    expect(intendedDerivable(10, 40, 0.1, 10 + 0.1, 40 + 0.1)).toBe(true);
    expect(intendedDerivable(10, 40, nan, nan, nan)).toBe(true);
    expect(intendedDerivable(10, 40, 0.1, 10.1000001, 40.1)).toBe(false);
    expect(intendedDerivable(10, 40, nan, 10, nan)).toBe(false);
    expect(intendedDerivable(10, 40, 0.1, nan, nan)).toBe(false);
  });
});
