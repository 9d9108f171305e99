// Test data for the visual reports: a real 4-cell concurrency sweep (ferrum's engine-pair fixture,
// c = 1/4/16/32) given goodput cell keys, plus synthetic request records whose TTFT and token gaps
// follow each cell's reported medians, from a seeded generator. Used until bench-serve can produce
// a real sweep in a test (then the records come from a run against the simulator).

import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BenchReport, BenchReportSchema } from '../../../src/core/schema/bench-report.js';
import type { RequestRecord } from '../../../src/core/schema/request-record.js';

export const FIXTURE_REPORTS = join(
  dirname(fileURLToPath(import.meta.url)),
  '../../../../shared/fixtures/ferrum/reports',
);

export function readFixture(relative: string): BenchReport {
  return BenchReportSchema.parse(JSON.parse(readFileSync(join(FIXTURE_REPORTS, relative), 'utf8')));
}

/** mulberry32: a tiny seeded generator, enough for test data. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The engine-pair ferrum sweep, each cell with a goodput extension naming its cell key. */
export function sweepCells(): BenchReport[] {
  return [1, 4, 16, 32].map((c) => {
    const report = readFixture(`engine-pair/ferrum-fa2-direct_c${c}_n5.json`);
    return { ...report, goodput: { schema_version: 1, cell_key: `sweep-c${c}`, run_id: 'test-sweep' } };
  });
}

/**
 * `perCell` synthetic measured records per cell: TTFT around the cell's TTFT p50, `tokens` events
 * spaced around its TPOT p50 (log-normal jitter, an occasional stall), 5 repeats.
 */
export function syntheticRequests(
  cells: readonly BenchReport[],
  perCell: number,
  tokens = 128,
  seed = 7,
): RequestRecord[] {
  const rnd = seeded(seed);
  const jitter = (sigma: number) => Math.exp(sigma * (rnd() + rnd() + rnd() - 1.5) * 2);
  const out: RequestRecord[] = [];
  for (const cell of cells) {
    const key = cell.goodput?.cell_key ?? cell.model;
    for (let i = 0; i < perCell; i++) {
      const send = i * 3.7;
      const ttft = cell.ttft_ms.p50.mean * jitter(0.25);
      const events: number[] = [];
      let t = send + ttft;
      for (let k = 0; k < tokens; k++) {
        events.push(t);
        t += cell.tpot_ms.p50.mean * jitter(0.15) + (rnd() < 0.01 ? 40 : 0);
      }
      out.push({
        id: `${key}.${(i % 5) + 1}.${i}`,
        cell: key,
        repeat: (i % 5) + 1,
        index: i,
        warmup: false,
        send_ms: send,
        headers_ms: send + 1,
        event_ms: events,
        end_ms: t,
        input_tokens: 256,
        usage_output_tokens: tokens,
        coalesced_reads: 0,
        done_count: 1,
        status: 200,
        flags: [],
        source: 'sse',
      });
    }
  }
  return out;
}
