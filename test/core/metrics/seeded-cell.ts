// A seeded, deliberately untidy cell of raw request records for the aggregation-equivalence test:
// failures of several kinds, coalesced reads, requests with no ITL sample, an all-failed repeat,
// engine records, warmups, tied timings and records out of submission order.

import { envHash } from '../../../src/core/env/canonical-env.js';
import type { ComputeMetricsParams, RecordRepeat } from '../../../src/core/metrics/compute-metrics.js';
import type { RandomSource } from '../../../src/core/random/random-source.js';
import { deriveStream } from '../../../src/core/random/streams.js';
import type { Env } from '../../../src/core/schema/bench-report.js';
import type { RequestFlag, RequestRecord } from '../../../src/core/schema/request-record.js';

export interface SeededCellShape {
  readonly seed: number;
  readonly repeats: number;
  readonly perRepeat: number;
  /** most output events a request has (at least 1) */
  readonly maxEvents: number;
  /** 1-based repeat in which every request fails, if any */
  readonly allFailedRepeat?: number;
  readonly warmup: number;
}

const ENV: Env = {
  commit_sha: 'abc',
  hw_id: 'cpu-test',
  rust: 'node-20',
  ferrum_features: [],
  ferrum_env: {},
  runtime_config: { entries: [] },
};

/** A time on a 0.5 ms grid one time in four, so equal samples are common (ties in every column). */
function jitter(rng: RandomSource, lowMs: number, spreadMs: number): number {
  const v = lowMs + rng.nextFloat() * spreadMs;
  return rng.nextFloat() < 0.25 ? Math.round(v * 2) / 2 : v;
}

function failed(
  base: Omit<RequestRecord, 'event_ms' | 'end_ms' | 'flags' | 'status' | 'done_count' | 'coalesced_reads'>,
  rng: RandomSource,
  kind: number,
): RequestRecord {
  const send = base.send_ms;
  switch (kind % 4) {
    case 0: // HTTP 503 before any token
      return {
        ...base,
        event_ms: [],
        end_ms: send + 2,
        status: 503,
        flags: ['http_5xx'],
        done_count: 0,
        coalesced_reads: 0,
      };
    case 1: {
      // timed out mid-stream: events but no [DONE]
      const events = [send + jitter(rng, 20, 80), send + jitter(rng, 110, 40)];
      return {
        ...base,
        event_ms: events,
        end_ms: (events[1] as number) + 500,
        status: 200,
        flags: ['timeout'],
        done_count: 0,
        coalesced_reads: 0,
      };
    }
    case 2: // connection refused: no status at all
      return {
        ...base,
        event_ms: [],
        end_ms: send + 1,
        flags: ['connect_error'],
        done_count: 0,
        coalesced_reads: 0,
      };
    default: {
      // a complete-looking stream with two [DONE]s
      const events = [send + jitter(rng, 20, 80)];
      return {
        ...base,
        event_ms: events,
        end_ms: (events[0] as number) + 3,
        status: 200,
        usage_output_tokens: 1,
        flags: ['duplicate_done'],
        done_count: 2,
        coalesced_reads: 0,
      };
    }
  }
}

function makeRecord(
  rng: RandomSource,
  shape: SeededCellShape,
  repeat: number,
  index: number,
  warmup: boolean,
): RequestRecord {
  const sendMs = (warmup ? -10_000 : 0) + index * 7 + rng.nextFloat();
  const closedLoop = index % 11 === 3;
  const base = {
    id: `0.${repeat}.${warmup ? 'w' : ''}${index}`,
    cell: 'rate=100',
    repeat,
    index,
    warmup,
    ...(closedLoop ? {} : { scheduled_ms: sendMs - jitter(rng, 0, 3) }),
    send_ms: sendMs,
    ...(index % 5 === 1 ? { connected_ms: sendMs + jitter(rng, 0.2, 2) } : {}),
    input_tokens: 100 + (index % 37),
    ...(index % 3 === 0 ? {} : { server_input_tokens: 104 + (index % 37) }),
    source: 'sse' as const,
  };
  const roll = rng.nextFloat();
  if (repeat === shape.allFailedRepeat || roll < 0.05) return failed(base, rng, index);
  const k = 1 + Math.floor(rng.nextFloat() * shape.maxEvents);
  if (roll < 0.07) {
    // usage without any event: a success whose TTFT is its E2E and which has no ITL
    return {
      ...base,
      event_ms: [],
      end_ms: sendMs + jitter(rng, 30, 200),
      status: 200,
      usage_output_tokens: 3,
      flags: [],
      done_count: 1,
      coalesced_reads: 0,
    };
  }
  const events: number[] = [];
  let t = sendMs + jitter(rng, 15, 150);
  for (let i = 0; i < k; i++) {
    events.push(t);
    // a zero gap now and then (two events in one read)
    t += rng.nextFloat() < 0.03 ? 0 : jitter(rng, 4, 30);
  }
  const last = events.at(-1) as number;
  const flags: RequestFlag[] = [];
  let usage: number | undefined = k;
  if (roll < 0.1)
    usage = undefined; // no usage chunk: tokens counted from events
  else if (roll < 0.12) {
    usage = k + 3; // server usage disagrees with the events
    flags.push('usage_mismatch');
  }
  if (roll > 0.98) flags.push('stream_bulk_flush');
  const engine = roll > 0.5 && roll < 0.52;
  return {
    ...base,
    event_ms: events,
    end_ms: last + jitter(rng, 0, 6),
    ...(engine ? {} : { status: 200 }),
    ...(usage === undefined || engine ? {} : { usage_output_tokens: usage }),
    coalesced_reads: !engine && rng.nextFloat() < 0.06 ? 1 + (index % 3) : 0,
    done_count: 1,
    flags: engine ? [] : flags,
    source: engine ? 'engine' : 'sse',
  };
}

/** The repeats of the cell: warmup records first, measured ones in a seeded shuffled order. */
export function seededRepeats(shape: SeededCellShape): RecordRepeat[] {
  const out: RecordRepeat[] = [];
  for (let repeat = 1; repeat <= shape.repeats; repeat++) {
    const rng = deriveStream({ seed: shape.seed, purpose: 'aggregation-equivalence', repeat });
    const records: RequestRecord[] = [];
    for (let i = 0; i < shape.warmup; i++) records.push(makeRecord(rng, shape, repeat, i, true));
    const measured = Array.from({ length: shape.perRepeat }, (_, i) =>
      makeRecord(rng, shape, repeat, i, false),
    );
    for (let i = measured.length - 1; i > 0; i--) {
      const j = Math.floor(rng.nextFloat() * (i + 1));
      [measured[i], measured[j]] = [measured[j] as RequestRecord, measured[i] as RequestRecord];
    }
    for (const r of measured) records.push(r);
    out.push({
      window: {
        repeat,
        start_ms: 0,
        end_ms: shape.perRepeat * 7 + 400,
        expected_requests: shape.perRepeat,
        warmup_expected: shape.warmup,
      },
      records,
    });
  }
  return out;
}

/** computeMetrics parameters for the seeded cell. */
export function seededCellParams(shape: SeededCellShape): ComputeMetricsParams {
  return {
    model: 'seeded',
    backend: 'sim',
    scenario: 'open_loop',
    requestRate: 100,
    nPrompt: 128,
    nGen: shape.maxEvents,
    warmupRequests: shape.warmup,
    slo: { ttft_p99_ms: 120, tpot_p99_ms: 25, e2e_p99_ms: 400 },
    env: ENV,
    envHash,
    repeats: seededRepeats(shape),
  };
}
