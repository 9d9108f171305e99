// `goodput calibrate` as a library call: measures the events/s and requests/s one client thread of
// this machine can time within the fidelity targets, against the simulator on its own thread of
// this process. Why in-process: the ground truth (the server's write time of every event) comes
// back in memory on the same clock base, nothing is spawned or left behind, no build of a child
// entry or free port outside this process is needed, and on its own thread the simulator's work
// never shares the client's event loop, so the ceiling is the client's and not the pair's.
//
// Two ramps, each stopping at its first failing level: `events` runs K closed-loop streams of a
// paced simulator (one token per stream every STEP_MS), K doubling, and pairs every request with
// its truth record to get the TTFT and per-event arrival errors; `requests` runs open-loop Poisson
// arrivals of short requests against the zero-delay simulator, the rate doubling, and reads the
// dispatch lag from the records.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { runOpenLoop } from '../client/open-loop.js';
import { GenerationClient } from '../client/request-executor.js';
import { RunControl } from '../client/run-control.js';
import {
  CALIBRATION_SCHEMA_VERSION,
  type Calibration,
  type CalibrationLevel,
} from '../core/client-health/calibration.js';
import {
  DEFAULT_FIDELITY_CRITERIA,
  type FidelityCriteria,
  judgeLevel,
  type LevelMeasurement,
  rampCeiling,
} from '../core/client-health/calibration-ceiling.js';
import { buildSchedule } from '../core/schedule/build-schedule.js';
import type { RequestRecord } from '../core/schema/request-record.js';
import { percentiles } from '../core/stats/percentile.js';
import type { TruthRecord } from '../server/truth-log.js';
import { machineFingerprint } from './calibration-store.js';
import { ProcessLoadMonitor } from './process-load.js';
import { startSimulatorThread } from './simulator-thread.js';

/** Decode step of the paced simulator of the events ramp: 200 events/s per stream. */
const STEP_MS = 5;
/** Output tokens per request of the events ramp (≈ 200 ms streams). */
const EVENTS_TOKENS = 40;
/** Output tokens per request of the requests ramp. */
const REQUEST_TOKENS = 4;
const EVENT_STREAMS = [8, 16, 32, 64, 128, 256, 512] as const;
const REQUEST_RATES = [100, 200, 400, 800, 1600, 3200, 6400] as const;

export interface CalibrationOptions {
  /** the whole budget, ms: each level gets an equal share of it (at least 300 ms) */
  readonly durationMs: number;
  readonly toolVersion: string;
  readonly criteria?: FidelityCriteria;
  /** called after each level (progress) */
  readonly onLevel?: (level: CalibrationLevel) => void;
  /** the ramps to run (tests shorten them) */
  readonly eventStreams?: readonly number[];
  readonly requestRates?: readonly number[];
}

export async function runCalibration(options: CalibrationOptions): Promise<Calibration> {
  const criteria = options.criteria ?? DEFAULT_FIDELITY_CRITERIA;
  const streams = options.eventStreams ?? EVENT_STREAMS;
  const rates = options.requestRates ?? REQUEST_RATES;
  const levelMs = Math.max(300, options.durationMs / (streams.length + rates.length));
  const load = loadavg()[0] ?? 0;
  const levels: CalibrationLevel[] = [];
  // one ramp: levels in increasing order until one fails twice (a single miss may be a moment of
  // machine noise; a ceiling misses again)
  const ramp = async (values: readonly number[], measure: (value: number) => Promise<LevelMeasurement>) => {
    let first: LevelMeasurement | undefined;
    for (const value of values) {
      const m = await measure(value);
      first ??= m;
      let level = judgeLevel(m, criteria, first);
      if (!level.ok) {
        const again = judgeLevel(await measure(value), criteria, first);
        level = { ...(again.ok || again.achieved_per_s > level.achieved_per_s ? again : level), attempts: 2 };
      }
      levels.push(level);
      options.onLevel?.(level);
      if (!level.ok) return;
    }
  };

  const paced = await startSimulatorThread({
    preset: 'instant',
    profile: {
      stepBaseMs: STEP_MS,
      jitterFraction: 0,
      burstSteps: 1,
      maxRunningSeqs: Math.max(...streams, 16),
    },
  });
  try {
    await eventsLevel(paced, streams[0] ?? 8, Math.min(300, levelMs));
    await ramp(streams, (k) => eventsLevel(paced, k, levelMs));
  } finally {
    await paced.stop();
  }
  const instant = await startSimulatorThread({ preset: 'instant', profile: { burstSteps: 1 } });
  try {
    await requestsLevel(instant.url, rates[0] ?? 100, Math.min(300, levelMs));
    await ramp(rates, (r) => requestsLevel(instant.url, r, levelMs));
  } finally {
    await instant.stop();
  }
  return {
    schema_version: CALIBRATION_SCHEMA_VERSION,
    tool_version: options.toolVersion,
    measured_at: new Date().toISOString(),
    machine: machineFingerprint(),
    max_events_per_s: rampCeiling(levels.filter((l) => l.kind === 'events')),
    max_requests_per_s: rampCeiling(levels.filter((l) => l.kind === 'requests')),
    load_average: Math.max(load, loadavg()[0] ?? 0),
    levels,
  };
}

function client(url: string, connections: number | null): GenerationClient {
  return new GenerationClient({
    origin: new URL(url).origin,
    path: '/v1/chat/completions',
    headers: ['content-type', 'application/json'],
    body: { endpoint: 'chat', model: 'goodput-sim', ignoreEos: true },
    timeoutMs: 30_000,
    connections,
  });
}

/** A prompt of `n` tokens of "x": the stream's identity in the truth log (its prompt length). */
function streamPrompt(n: number): string {
  return `x${' x'.repeat(n - 1)}`;
}

/**
 * K streams, each a closed loop of its own: stream w always sends the prompt of w + 1 tokens, so
 * its requests and the truth records of that prompt length pair up in order. Offered K × 1000 /
 * STEP_MS events/s at most (less the admission and first-token steps of each request).
 */
async function eventsLevel(
  sim: { url: string; takeTruth(): Promise<TruthRecord[]> },
  k: number,
  levelMs: number,
): Promise<LevelMeasurement> {
  const c = client(sim.url, k);
  await c.warm(k, '/health');
  await sim.takeTruth();
  const perStream: RequestRecord[][] = Array.from({ length: k }, () => []);
  const monitor = ProcessLoadMonitor.start();
  const startMs = performance.now();
  const deadline = startMs + levelMs;
  let index = 0;
  await Promise.all(
    perStream.map(async (records, w) => {
      while (performance.now() < deadline) {
        const i = index++;
        const plan = {
          id: `cal.${i}`,
          cell: 'calibrate',
          repeat: 1,
          index: i,
          warmup: false,
          inputTokens: w + 1,
          maxTokens: EVENTS_TOKENS,
        };
        records.push(await c.send(plan, streamPrompt(w + 1)));
      }
    }),
  );
  const endMs = performance.now();
  const load = monitor.stop();
  await c.close();
  const truth = await sim.takeTruth();
  let events = 0;
  for (const records of perStream) for (const r of records) events += r.event_ms.length;
  const errors = truthErrors(perStream, truth);
  let written = 0;
  for (const t of truth) written += t.token_epoch_ms.length;
  const windowMs = endMs - startMs;
  return {
    kind: 'events',
    // what the server emitted in the window: a closed loop offers what the client asks for, so
    // falling behind shows in the arrival errors rather than in this ratio
    offered_per_s: (written / windowMs) * 1000,
    achieved_per_s: (events / windowMs) * 1000,
    ...errors,
    event_loop_delay_p99_ms: load.eventLoopDelayMs.p99,
    loop_utilization: load.loopUtilization,
  };
}

/** Pairs each stream's requests with the truth records of its prompt length, in order. */
function truthErrors(
  perStream: readonly RequestRecord[][],
  truth: readonly TruthRecord[],
): { ttft_error_p50_ms?: number; event_error_p99_ms?: number } {
  const lengths = [...new Set(truth.map((t) => t.prompt_tokens ?? -1))]
    .filter((n) => n >= 0)
    .sort((a, b) => a - b);
  const byRank = new Map<number, TruthRecord[]>();
  for (const t of truth) {
    const rank = lengths.indexOf(t.prompt_tokens ?? -1);
    if (rank < 0) continue;
    const list = byRank.get(rank) ?? [];
    list.push(t);
    byRank.set(rank, list);
  }
  const origin = performance.timeOrigin;
  const ttft: number[] = [];
  const event: number[] = [];
  perStream.forEach((records, w) => {
    const truths = (byRank.get(w) ?? []).sort((a, b) => a.arrival_epoch_ms - b.arrival_epoch_ms);
    records.forEach((r, i) => {
      const t = truths[i];
      if (t === undefined || t.token_epoch_ms.length !== r.event_ms.length || r.event_ms.length === 0) return;
      ttft.push(origin + (r.event_ms[0] as number) - (t.token_epoch_ms[0] as number));
      for (let j = 0; j < r.event_ms.length; j++)
        event.push(origin + (r.event_ms[j] as number) - (t.token_epoch_ms[j] as number));
    });
  });
  if (ttft.length === 0) return {};
  return {
    ttft_error_p50_ms: percentiles(ttft, [0.5])[0] as number,
    event_error_p99_ms: percentiles(event, [0.99])[0] as number,
  };
}

/** Open-loop Poisson arrivals at `rateRps` of short requests; dispatch lag from the records. */
async function requestsLevel(url: string, rateRps: number, levelMs: number): Promise<LevelMeasurement> {
  const c = client(url, null);
  await c.warm(Math.max(1, Math.min(64, Math.ceil(rateRps / 20))), '/health');
  const offsets = buildSchedule(
    { kind: 'poisson', rateRps },
    { seed: 1, cell: 'calibrate' },
    { durationMs: levelMs },
  ).offsets_ms;
  const lags: number[] = [];
  let completed = 0;
  const monitor = ProcessLoadMonitor.start();
  const result = await runOpenLoop(
    c,
    { offsetsMs: offsets, originMs: performance.now() + 5 },
    (i, scheduledMs) => ({
      plan: {
        id: `cal.${i}`,
        cell: 'calibrate',
        repeat: 1,
        index: i,
        warmup: false,
        inputTokens: 1,
        maxTokens: REQUEST_TOKENS,
        ...(scheduledMs === undefined ? {} : { scheduledMs }),
      },
      prompt: 'x',
    }),
    (r) => {
      if (r.scheduled_ms !== undefined) lags.push(r.send_ms - r.scheduled_ms);
      if (r.flags.length === 0) completed++;
    },
    new RunControl(),
  );
  const load = monitor.stop();
  await c.close();
  const windowMs = Math.max(levelMs, result.endMs - result.startMs);
  return {
    kind: 'requests',
    // the arrivals actually drawn (a short Poisson window holds ± √n of rate × duration)
    offered_per_s: (offsets.length / levelMs) * 1000,
    achieved_per_s: (completed / windowMs) * 1000,
    ...(lags.length === 0 ? {} : { dispatch_lag_p99_ms: percentiles(lags, [0.99])[0] as number }),
    event_loop_delay_p99_ms: load.eventLoopDelayMs.p99,
    loop_utilization: load.loopUtilization,
  };
}
