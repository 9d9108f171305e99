// computeMetrics from raw RequestRecords: the same report as deriving each record and calling the
// lower entry point, independent of record order, valid against the schema, with the extension
// values worked out by hand, and clear errors for bad record sets.

import { describe, expect, it } from 'vitest';
import { envHash } from '../../../src/core/env/canonical-env.js';
import { type GoodputError, isGoodputError } from '../../../src/core/errors.js';
import { computeMetrics, type RecordRepeat } from '../../../src/core/metrics/compute-metrics.js';
import { computeMetricsFromDerived } from '../../../src/core/metrics/compute-metrics-derived.js';
import { deriveRequest } from '../../../src/core/metrics/derive-request.js';
import { deriveStream } from '../../../src/core/random/streams.js';
import { BenchReportSchema, type Env, QUALITY_FLAGS } from '../../../src/core/schema/bench-report.js';
import {
  type RequestFlag,
  type RequestRecord,
  type RequestRecordInput,
  RequestRecordSchema,
} from '../../../src/core/schema/request-record.js';
import { percentile } from '../../../src/core/stats/percentile.js';

const ENV: Env = {
  commit_sha: 'abc',
  hw_id: 'cpu-test',
  rust: 'node-20',
  ferrum_features: [],
  ferrum_env: {},
  runtime_config: { entries: [] },
};
const SLO = { ttft_p99_ms: 150, tpot_p99_ms: 30, e2e_p99_ms: 1000 };

interface Shape {
  ttft: number;
  gap: number;
  events: number;
  usage?: number | undefined;
  status?: number;
  flags?: RequestFlag[];
  coalesced?: number;
  late?: number;
  connect?: number;
  tail?: number;
}

/** A record sent at 1000·(index + 1) on repeat `repeat`'s clock, scheduled `late` ms earlier;
 * validated by the schema unless `validate` is false (the large test builds 50 000 of them). */
function rec(repeat: number, index: number, warmup: boolean, s: Shape, validate = true): RequestRecord {
  const send = 1000 * (index + 1) + (warmup ? 100_000 : 0);
  const events = Array.from({ length: s.events }, (_, i) => send + s.ttft + i * s.gap);
  const last = events.at(-1) ?? send + s.ttft;
  const input: RequestRecordInput = {
    id: `0.${repeat}.${warmup ? 'w' : ''}${index}`,
    cell: 'rate=4',
    repeat,
    index,
    warmup,
    scheduled_ms: send - (s.late ?? 0),
    send_ms: send,
    ...(s.connect === undefined ? {} : { connected_ms: send + s.connect }),
    event_ms: events,
    end_ms: last + (s.tail ?? 5),
    input_tokens: 16,
    server_input_tokens: 20,
    ...(s.usage === undefined ? {} : { usage_output_tokens: s.usage }),
    coalesced_reads: s.coalesced ?? 0,
    done_count: s.status === undefined || s.status === 200 ? 1 : 0,
    status: s.status ?? 200,
    flags: s.flags ?? [],
  };
  return validate ? RequestRecordSchema.parse(input) : ({ ...input, source: 'sse' } as RequestRecord);
}

const clean = (ttft: number, events = 5, gap = 20): Shape => ({ ttft, gap, events, usage: events });

function cellRecords(): RecordRepeat[] {
  const r1 = [
    clean(100),
    clean(110, 5),
    clean(120, 5),
    clean(130, 5, 25),
    clean(140, 5),
    clean(200, 5, 40),
  ].map((s, i) => rec(1, i, false, { ...s, late: i, connect: i === 0 ? 3 : undefined }));
  const r2 = [
    { ttft: 90, gap: 0, events: 0, status: 429, flags: ['http_429'] as RequestFlag[] },
    { ...clean(100, 3, 1), coalesced: 1 },
    clean(105),
    clean(115),
    clean(125),
    clean(135),
  ].map((s, i) => rec(2, i, false, s));
  const r3 = [
    { ...clean(100, 4), usage: 6, flags: ['usage_mismatch'] as RequestFlag[] },
    clean(100, 1),
    clean(95),
    clean(96),
    clean(97),
    clean(98),
  ].map((s, i) => rec(3, i, false, s));
  const warm = (repeat: number, failSecond: boolean) => [
    rec(repeat, 0, true, clean(50)),
    rec(
      repeat,
      1,
      true,
      failSecond ? { ttft: 10, gap: 0, events: 0, status: 500, flags: ['http_500', 'http_5xx'] } : clean(50),
    ),
  ];
  return [
    {
      window: { repeat: 1, start_ms: 0, end_ms: 8000, expected_requests: 6, warmup_expected: 2 },
      records: [...warm(1, false), ...r1],
    },
    {
      window: { repeat: 2, start_ms: 0, end_ms: 10_000, expected_requests: 6, warmup_expected: 2 },
      records: [...warm(2, true), ...r2],
    },
    {
      window: { repeat: 3, start_ms: 0, end_ms: 6000, expected_requests: 6, warmup_expected: 2 },
      records: [...warm(3, false), ...r3],
    },
  ];
}

const cellParams = {
  model: 'sim-small',
  backend: 'sim',
  scenario: 'open_loop' as const,
  requestRate: 4,
  nPrompt: 16,
  nGen: 5,
  warmupRequests: 2,
  slo: SLO,
  env: ENV,
  envHash,
  bootstrap: { seed: 3, resamples: 400 },
};

function errorOf(fn: () => unknown): GoodputError {
  try {
    fn();
  } catch (e) {
    if (isGoodputError(e)) return e;
    throw e;
  }
  throw new Error('expected a GoodputError');
}

describe('computeMetrics over raw request records', () => {
  const repeats = cellRecords();
  const report = computeMetrics({ ...cellParams, repeats });

  it('gives the same report as deriving each record and calling the lower entry point', () => {
    const runs = repeats.map((rep) => {
      const measured = [...rep.records].filter((r) => !r.warmup).sort((a, b) => a.index - b.index);
      const warm = [...rep.records].filter((r) => r.warmup).map((r) => ({ r, d: deriveRequest(r) }));
      const flagCounts: Partial<Record<RequestFlag, number>> = {};
      for (const { r } of warm)
        for (const f of r.flags)
          if ((QUALITY_FLAGS as readonly string[]).includes(f)) flagCounts[f] = (flagCounts[f] ?? 0) + 1;
      const completed = warm.filter((w) => w.d.success).length;
      return {
        requests: measured.map((r) => deriveRequest(r)),
        expectedRequests: rep.window.expected_requests,
        durationS: (rep.window.end_ms - rep.window.start_ms) / 1000,
        warmup: { expected: 2, completed, errored: 2 - completed, flagCounts },
      };
    });
    expect(report).toEqual(computeMetricsFromDerived({ ...cellParams, runs }));
  });

  it('does not depend on the order records arrive in (they are placed by index)', () => {
    const rng = deriveStream({ seed: 1, purpose: 'shuffle' });
    const shuffled = repeats.map((rep) => {
      const records = [...rep.records];
      for (let i = records.length - 1; i > 0; i--) {
        const j = Math.floor(rng.nextFloat() * (i + 1));
        [records[i], records[j]] = [records[j] as RequestRecord, records[i] as RequestRecord];
      }
      return { window: rep.window, records };
    });
    expect(computeMetrics({ ...cellParams, repeats: shuffled })).toEqual(report);
  });

  it('validates against the report schema, keys in the locked order', () => {
    const parsed = BenchReportSchema.parse(report);
    expect(parsed.model).toBe('sim-small');
    const schemaOrder = Object.keys(BenchReportSchema.shape).filter((k) => k in report);
    expect(Object.keys(report)).toEqual(schemaOrder);
  });

  it('fills the locked per-run fields from the records', () => {
    expect(report.completed_per_run).toEqual([6, 5, 6]);
    expect(report.errored_per_run).toEqual([0, 1, 0]);
    expect(report.output_tokens_per_request).toEqual([
      [5, 5, 5, 5, 5, 5],
      [0, 3, 5, 5, 5, 5],
      [6, 1, 5, 5, 5, 5],
    ]);
    expect(report.itl_evidence_per_request?.[1]?.map((e) => e.eligibility)).toEqual([
      'request_failed',
      'transport_coalesced',
      'eligible',
      'eligible',
      'eligible',
      'eligible',
    ]);
    expect(report.itl_evidence_per_request?.[2]?.slice(0, 2).map((e) => e.eligibility)).toEqual([
      'event_usage_mismatch',
      'too_short',
    ]);
    const rows = report.repeat_metrics ?? [];
    expect(rows.map((r) => [r.warmup_completed, r.warmup_errored, r.warmup_quality_issues.http_500])).toEqual(
      [
        [2, 0, 0],
        [1, 1, 1],
        [2, 0, 0],
      ],
    );
    expect(rows.map((r) => r.output_token_count_source)).toEqual(['usage', 'mixed', 'usage']);
    // repeat 1: TTFTs 100..140 and 200 → p50 = 125; 6 × 5 tokens over 8 s
    expect(rows[0]?.ttft_ms.p50).toBe(125);
    expect(rows[0]?.output_throughput_tps).toBe(30 / 8);
    expect(rows.map((r) => r.duration_s)).toEqual([8, 10, 6]);
  });

  it('fills the extension: coverage, misses, taxonomy, intended start, phases, tokens, dialects', () => {
    const ext = report.goodput;
    // successful requests with ≥ 2 tokens: 6 + 5 + 5
    // the coalesced one IS covered (its events are one token each; only the network read merged
    // them), and counted apart; the usage-mismatch one is not
    expect(ext?.itl_coverage).toMatchObject({
      eligible_requests: 15,
      successful_requests: 16,
      fraction: 15 / 16,
      transport_coalesced_requests: 1,
    });
    const pooledItl = ext?.statistics?.pooled.itl_ms?.n ?? 0;
    expect([14 * 4 + 2, 14 * 4 + 3]).toContain(ext?.itl_coverage?.itl_ms?.n);
    expect(pooledItl - (ext?.itl_coverage?.itl_ms?.n ?? 0)).toBeGreaterThan(0);
    expect(ext?.statistics?.pooled.itl_ms?.n).toBe(14 * 4 + 2 + 3);
    expect(ext?.errors_per_run?.http_429).toEqual([0, 1, 0]);
    expect(ext?.errors_per_run?.unlabelled).toEqual([0, 0, 0]);
    // TTFT 200 misses (> 150); TPOT 40 (repeat 1's last) misses (> 30); nothing misses E2E
    expect(ext?.goodput_misses).toEqual({ successful: 17, met_slo: 16, ttft: 1, tpot: 1, e2e: 0 });
    expect(ext?.tokens).toMatchObject({
      output_sources: { usage: 17, stream_chunks: 0, none: 1 },
      mismatched_requests: 1,
      mismatch_threshold: 0.1,
      input_tokens_client_mean: 16,
      input_tokens_server_mean: 20,
    });
    // repeat 1 was scheduled i ms before each send: intended TTFT = TTFT + i
    expect(ext?.intended_start?.ttft_ms?.max).toBe(205);
    expect(ext?.phases?.client_queue_ms).toMatchObject({ n: 18, max: 5, min: 0 });
    expect(ext?.phases?.connect_ms).toMatchObject({ n: 1, mean: 3 });
    expect(ext?.phases?.tail_after_last_token_ms).toMatchObject({ n: 17, mean: 5 });
    // GuideLLM TPOT = E2E / tokens: repeat 1's first request: (100 + 4·20) / 5 = 36
    expect(ext?.peer_dialects?.tpot_guidellm_ms?.n).toBe(17);
    expect(ext?.peer_dialects?.itl_llmperf_ms).toEqual(ext?.peer_dialects?.tpot_guidellm_ms);
    expect(ext?.peer_dialects?.e2e_ferrum_ms?.min).toBe(105);
    expect(ext?.peer_dialects?.good_request_fraction_aiperf).toEqual({ value: 16 / 18 });
    expect(ext?.statistics?.bootstrap).toEqual({ seed: 3, resamples: 400 });
    expect(ext?.warnings?.some((w) => w.startsWith('ITL coverage 93.8 %'))).toBe(true);
    expect(ext?.warnings?.some((w) => w.includes('usage and streamed event count differ'))).toBe(true);
  });

  it('keeps the caller’s extension metadata and puts it in schema order', () => {
    const r = computeMetrics({
      ...cellParams,
      repeats,
      extension: {
        run_id: 'run-1',
        seed: 42,
        tokens: { output_sources: {}, mismatched_requests: 0, tokenizer: 'o200k' },
        warnings: ['client-limited'],
      },
    });
    const ext = r.goodput ?? { schema_version: 0 };
    expect(Object.keys(ext).slice(0, 3)).toEqual(['schema_version', 'run_id', 'seed']);
    expect(ext.tokens?.tokenizer).toBe('o200k');
    expect(ext.tokens?.mismatched_requests).toBe(1);
    expect(ext.warnings?.[0]).toBe('client-limited');
  });

  it.each<[string, (reps: RecordRepeat[]) => RecordRepeat[], string, RegExp]>([
    [
      'a missing measured record',
      (reps) => [
        { ...(reps[0] as RecordRepeat), records: [...(reps[0] as RecordRepeat).records].slice(0, -1) },
      ],
      'INPUT_SCHEMA',
      /repeat 1: 1 of 6 measured request records are missing/,
    ],
    [
      'a duplicate index',
      (reps) => [
        {
          ...(reps[0] as RecordRepeat),
          records: [...(reps[0] as RecordRepeat).records, rec(1, 3, false, clean(1))],
        },
      ],
      'INPUT_SCHEMA',
      /a second record for measured request 3 of repeat 1/,
    ],
    [
      'a record of another repeat',
      (reps) => [{ ...(reps[0] as RecordRepeat), records: [rec(2, 0, false, clean(1))] }],
      'INPUT_SCHEMA',
      /belongs to repeat 2/,
    ],
    [
      'an empty window',
      (reps) => [
        { ...(reps[0] as RecordRepeat), window: { ...(reps[0] as RecordRepeat).window, end_ms: 0 } },
      ],
      'INPUT_SCHEMA',
      /must end after it starts/,
    ],
    [
      'different request counts',
      (reps) => [
        reps[0] as RecordRepeat,
        {
          ...(reps[1] as RecordRepeat),
          window: { ...(reps[1] as RecordRepeat).window, expected_requests: 7 },
        },
      ],
      'INPUT_SCHEMA',
      /repeat 2 expects 7 measured requests, repeat 1 expects 6/,
    ],
    ['no repeats', () => [], 'INPUT_SCHEMA', /at least one repeat/],
  ])('rejects %s', (_, mutate, code, message) => {
    const e = errorOf(() => computeMetrics({ ...cellParams, repeats: mutate(cellRecords()) }));
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

describe('computeMetrics on 50 000 random records (the one-pass percentile path)', () => {
  const rng = deriveStream({ seed: 99, purpose: 'records' });
  const perRepeat = 25_000;
  const repeats: RecordRepeat[] = [1, 2].map((repeat) => ({
    window: { repeat, start_ms: 0, end_ms: 60_000, expected_requests: perRepeat, warmup_expected: 0 },
    records: Array.from({ length: perRepeat }, (_, i) =>
      rec(
        repeat,
        i,
        false,
        clean(
          50 + Math.round(rng.nextFloat() * 5000) / 10,
          2 + Math.floor(rng.nextFloat() * 6),
          5 + Math.round(rng.nextFloat() * 300) / 10,
        ),
      ),
    ),
  }));
  const report = computeMetrics({ ...cellParams, warmupRequests: 0, repeats });
  const ttfts = repeats.map((r) => [...r.records].map((x) => (x.event_ms[0] as number) - x.send_ms));

  it('computes within-repeat percentiles exactly (selection equals sorting)', () => {
    repeats.forEach((_, i) => {
      expect(report.repeat_metrics?.[i]?.ttft_ms).toEqual({
        p50: percentile(ttfts[i] as number[], 0.5),
        p75: percentile(ttfts[i] as number[], 0.75),
        p95: percentile(ttfts[i] as number[], 0.95),
        p99: percentile(ttfts[i] as number[], 0.99),
      });
    });
  });

  it('pools every repeat for the extension, with intervals that bracket the value', () => {
    const all = ttfts.flat();
    const pooled = report.goodput?.statistics?.pooled.ttft_ms;
    expect(pooled?.n).toBe(2 * perRepeat);
    expect(pooled?.p99?.value).toBe(percentile(all, 0.99));
    expect(pooled?.p90?.value).toBe(percentile(all, 0.9));
    expect(pooled?.min).toBe(Math.min(...all));
    expect(pooled?.p99?.low_sample).toBe(false);
    for (const p of ['p50', 'p75', 'p90', 'p95', 'p99'] as const) {
      const v = pooled?.[p];
      expect(v?.ci95_low).toBeLessThanOrEqual(v?.value as number);
      expect(v?.ci95_high).toBeGreaterThanOrEqual(v?.value as number);
    }
    const itl = repeats.flatMap((r) =>
      [...r.records].flatMap((x) => x.event_ms.slice(1).map((t, k) => t - (x.event_ms[k] as number))),
    );
    expect(report.goodput?.statistics?.pooled.itl_ms?.p50?.value).toBe(percentile(itl, 0.5));
    expect(report.goodput?.statistics?.repeats.ttft_ms?.p50?.values).toEqual(
      report.repeat_metrics?.map((r) => r.ttft_ms.p50),
    );
  });
});
