// The worker pool against the simulator on 127.0.0.1: one repeat spread over 2 threads sends
// exactly the requests one thread sends (same ids, prompts and counts; open loop at the same
// schedule offsets on the main thread's clock), and a stop still accounts for every request.
// The worker entry is loaded from dist/ (npm test builds first).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepeatOutcome, RepeatPlan, RepeatPrompt } from '../../src/client/repeat-runner.js';
import { runRepeat } from '../../src/client/repeat-runner.js';
import { GenerationClient, type GenerationClientOptions } from '../../src/client/request-executor.js';
import { RunControl } from '../../src/client/run-control.js';
import { WorkerPool } from '../../src/client/worker-pool.js';
import { buildSchedule } from '../../src/core/schedule/build-schedule.js';
import type { RequestRecord } from '../../src/core/schema/request-record.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';

let sim: SimulatorHandle;
let pool: WorkerPool;
beforeAll(async () => {
  sim = await startSimulator({
    preset: 'instant',
    profile: { stepBaseMs: 2, burstSteps: 1 },
    recordTruth: true,
  });
  pool = WorkerPool.start(2);
});
afterAll(async () => {
  await pool.close();
  await sim.close();
});

const clientOptions = (): GenerationClientOptions => ({
  origin: sim.url,
  path: '/v1/chat/completions',
  headers: ['content-type', 'application/json'],
  body: { endpoint: 'chat', model: 'goodput-sim', ignoreEos: true },
  timeoutMs: 20_000,
  connections: 8,
});

/** Prompt i has i + 1 words and asks for 3 + i % 4 tokens: each request is recognisable. */
const prompts = (n: number, tag: string): RepeatPrompt[] =>
  Array.from({ length: n }, (_, i) => ({
    prompt: `${tag}${' word'.repeat(i)}`,
    inputTokens: i + 1,
    maxTokens: 3 + (i % 4),
  }));

function basePlan(load: RepeatPlan['load']): RepeatPlan {
  return {
    cellIndex: 0,
    cellKey: 'test',
    repeat: 1,
    load,
    measured: prompts(24, 'm'),
    warmup: prompts(5, 'w'),
    preconnect: { count: 4, path: '/health' },
    graceMs: 5_000,
  };
}

async function oneThread(plan: RepeatPlan, control = new RunControl()) {
  const client = new GenerationClient(clientOptions());
  const records: RequestRecord[] = [];
  try {
    const outcome = await runRepeat(client, plan, (r) => records.push(r), control);
    return { outcome, records };
  } finally {
    await client.close();
  }
}

async function twoThreads(plan: RepeatPlan, control = new RunControl()) {
  const records: RequestRecord[] = [];
  const outcome = await pool.runRepeat(clientOptions(), plan, (r) => records.push(r), control);
  return { outcome, records };
}

/** What must not depend on the thread count: per id, the prompt length, max_tokens and warmup flag. */
const identity = (records: readonly RequestRecord[]) =>
  records
    .map(
      (r) =>
        `${r.id} ${r.index} ${r.warmup} in=${r.input_tokens} max=${r.max_tokens} ok=${r.flags.length === 0}`,
    )
    .sort();

const counts = (o: RepeatOutcome) => ({
  expected: o.window.expected_requests,
  warmup: o.window.warmup_expected,
  sent: o.measured.sent,
  unsent: o.measured.unsent,
});

describe('WorkerPool', () => {
  it('a closed loop over 2 threads sends the same requests as 1 thread', async () => {
    const plan = basePlan({ kind: 'closed', concurrency: 4, count: 24 });
    const truthBefore = sim.truth?.records().length ?? 0;
    const one = await oneThread(plan);
    const truthMid = sim.truth?.records().length ?? 0;
    const two = await twoThreads(plan);
    expect(identity(two.records)).toEqual(identity(one.records));
    expect(two.records).toHaveLength(29);
    expect(counts(two.outcome)).toEqual(counts(one.outcome));
    expect(counts(two.outcome)).toEqual({ expected: 24, warmup: 5, sent: 24, unsent: 0 });
    expect(two.outcome.threads).toHaveLength(2);
    // the server saw the same prompts (by their token counts) from both runs
    const seen = (from: number, to: number) =>
      (sim.truth?.records() ?? [])
        .slice(from, to)
        .map((t) => `${t.prompt_tokens}/${t.output_tokens}`)
        .sort();
    expect(seen(truthMid, sim.truth?.records().length ?? 0)).toEqual(seen(truthBefore, truthMid));
    // every record is on this thread's clock, inside or at the edge of the run
    const t0 = Math.min(...two.records.map((r) => r.send_ms));
    for (const r of two.records) {
      expect(r.end_ms).toBeGreaterThanOrEqual(r.send_ms);
      expect(r.send_ms).toBeLessThanOrEqual(performance.now());
      expect(r.send_ms - t0).toBeLessThan(30_000);
    }
    const measured = two.records.filter((r) => !r.warmup);
    expect(Math.min(...measured.map((r) => r.send_ms))).toBeGreaterThanOrEqual(two.outcome.window.start_ms);
    expect(Math.max(...measured.map((r) => r.end_ms))).toBeLessThanOrEqual(two.outcome.window.end_ms + 1e-6);
    // both threads sent: the connection numbers of the two threads never collide
    expect(new Set(measured.map((r) => (r.conn as number) % 2))).toEqual(new Set([0, 1]));
  });

  it('an open loop over 2 threads follows the one schedule at the same offsets', async () => {
    const offsets = buildSchedule(
      { kind: 'poisson', rateRps: 200 },
      { seed: 3, cell: 'pool' },
      { count: 24 },
    ).offsets_ms;
    const warm = buildSchedule(
      { kind: 'poisson', rateRps: 200 },
      { seed: 3, cell: 'pool/w' },
      { count: 5 },
    ).offsets_ms;
    const plan = basePlan({ kind: 'open', offsetsMs: offsets, warmupOffsetsMs: warm });
    const one = await oneThread(plan);
    const two = await twoThreads(plan);
    expect(identity(two.records)).toEqual(identity(one.records));
    expect(counts(two.outcome)).toEqual(counts(one.outcome));
    // request i was planned at origin + offset i, on one thread and on two (one common start on
    // this thread's clock, however late a thread woke: lateness shows as dispatch lag instead)
    const rel = (run: { outcome: RepeatOutcome; records: RequestRecord[] }) =>
      run.records
        .filter((r) => !r.warmup)
        .sort((a, b) => a.index - b.index)
        .map((r) => (r.scheduled_ms as number) - run.outcome.window.start_ms);
    for (const [i, v] of rel(one).entries()) expect(v).toBeCloseTo(offsets[i] as number, 6);
    const skew = rel(two).map((v, i) => Math.abs(v - (offsets[i] as number)));
    expect(Math.max(...skew)).toBeLessThan(1e-6);
    for (const r of two.records) expect(r.send_ms).toBeGreaterThanOrEqual((r.scheduled_ms as number) - 1e-6);
  });

  it('a stop during the run still yields one record per planned request', async () => {
    const plan = basePlan({ kind: 'closed', concurrency: 2, count: 24 });
    const slow = { ...plan, measured: plan.measured.map((p) => ({ ...p, maxTokens: 40 })) };
    const control = new RunControl();
    setTimeout(() => control.stop('test'), 150);
    const two = await twoThreads(slow, control);
    const measured = two.records.filter((r) => !r.warmup);
    expect(new Set(measured.map((r) => r.id)).size).toBe(24);
    expect(measured).toHaveLength(24);
    expect(two.outcome.measured.sent + two.outcome.measured.unsent).toBe(24);
    expect(measured.filter((r) => r.flags.includes('aborted')).length).toBeGreaterThan(0);
  });

  it('uses no more threads than a closed loop has streams', async () => {
    const plan = { ...basePlan({ kind: 'closed', concurrency: 1, count: 4 }), measured: prompts(4, 'm') };
    const two = await twoThreads(plan);
    expect(two.outcome.threads).toHaveLength(1);
    expect(
      two.records
        .filter((r) => !r.warmup)
        .map((r) => r.index)
        .sort(),
    ).toEqual([0, 1, 2, 3]);
  });
});
