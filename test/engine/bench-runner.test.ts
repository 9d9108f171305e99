import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { computeMetrics } from '../../src/core/metrics/compute-metrics.js';
import { RequestRecordSchema } from '../../src/core/schema/request-record.js';
import { type EngineBenchPlan, runEngineBench } from '../../src/engine/bench-runner.js';
import type { EngineAdapter, EngineChunk, GenerateOptions } from '../../src/engine/engine-adapter.js';

const PLAN: EngineBenchPlan = {
  cell: 'test',
  prompt: 'hi',
  maxTokens: 4,
  requestsPerRepeat: 3,
  repeats: 2,
  concurrency: 1,
  warmupRequests: 1,
  seed: 0,
  temperature: 0,
  captureSample: false,
};
const now = () => performance.now();

/** An engine that waits `firstMs` before the first token, then yields `tokens` chunks `gapMs` apart. */
function timedEngine(
  firstMs: number,
  gapMs: number,
  chunks: EngineChunk[] = [{}, {}, {}, {}],
): EngineAdapter & { calls: GenerateOptions[]; opened: number; closed: number } {
  const calls: GenerateOptions[] = [];
  const engine = {
    name: 'timed',
    calls,
    opened: 0,
    closed: 0,
    open() {
      engine.opened++;
    },
    countTokens: (p: string) => p.length,
    async *generate(_prompt: string, opts: GenerateOptions) {
      calls.push(opts);
      await sleep(firstMs);
      for (let i = 0; i < chunks.length; i++) {
        if (i > 0) await sleep(gapMs);
        yield chunks[i] as EngineChunk;
      }
    },
    close() {
      engine.closed++;
    },
  };
  return engine;
}

describe('runEngineBench', () => {
  it('starts the clock before handing the request to the engine, and records every token event', async () => {
    const engine = timedEngine(25, 2);
    const r = await runEngineBench(engine, PLAN, { now });
    expect(engine.opened).toBe(1);
    expect(engine.closed).toBe(1);
    expect(r.repeats).toHaveLength(2);
    expect(r.inputTokens).toBe(2);
    for (const rep of r.repeats) {
      expect(rep.records.map((x) => [x.warmup, x.index])).toEqual([
        [true, 0],
        [false, 0],
        [false, 1],
        [false, 2],
      ]);
      for (const rec of rep.records) {
        RequestRecordSchema.parse(rec);
        expect(rec.source).toBe('engine');
        expect(rec.event_ms).toHaveLength(4);
        expect((rec.event_ms[0] as number) - rec.send_ms).toBeGreaterThanOrEqual(24);
        expect(rec.done_count).toBe(1);
        expect(rec.finish_reason).toBe('length');
        expect(rec.flags).toEqual([]);
        expect(rec.input_tokens).toBe(2);
      }
      const measured = rep.records.filter((x) => !x.warmup);
      expect(rep.window.start_ms).toBeLessThanOrEqual(measured[0]?.send_ms as number);
      expect(rep.window.end_ms).toBeGreaterThanOrEqual(measured[2]?.end_ms as number);
      // sequential: each request starts after the previous one ended (no overlap, no sleeps)
      for (let i = 1; i < measured.length; i++)
        expect(measured[i]?.send_ms).toBeGreaterThanOrEqual(measured[i - 1]?.end_ms as number);
    }
  });

  it('runs a true closed loop: K in flight, a worker sends again the moment its request ends', async () => {
    // worker 0's requests are fast, worker 1's slow: waves would hold worker 0 idle; a closed loop does not
    let inFlight = 0;
    let maxInFlight = 0;
    const engine: EngineAdapter = {
      name: 'uneven',
      async *generate(_prompt, opts) {
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        await sleep(opts.worker === 0 ? 5 : 60);
        inFlight--;
        yield {};
      },
    };
    const r = await runEngineBench(
      engine,
      { ...PLAN, concurrency: 2, requestsPerRepeat: 6, repeats: 1, warmupRequests: 0 },
      { now },
    );
    expect(maxInFlight).toBe(2);
    const recs = r.repeats[0]?.records ?? [];
    expect(recs).toHaveLength(6);
    // each worker's next send follows its own previous end immediately (within a few ms)
    const byWorker = new Map<number, typeof recs>();
    for (const x of recs) byWorker.set(x.conn as number, [...(byWorker.get(x.conn as number) ?? []), x]);
    expect(byWorker.size).toBe(2);
    for (const list of byWorker.values()) {
      for (let i = 1; i < list.length; i++) {
        const gap = (list[i]?.send_ms as number) - (list[i - 1]?.end_ms as number);
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(gap).toBeLessThan(5);
      }
    }
    // the fast worker ran more requests than the slow one: not lock-step waves
    expect(Math.max(...[...byWorker.values()].map((l) => l.length))).toBeGreaterThan(3);
  });

  it('counts a chunk of n tokens as n events at one time, and keeps the finish reason', async () => {
    const engine = timedEngine(0, 1, [{ tokens: 3 }, { tokens: 0, finishReason: 'stop' }]);
    const r = await runEngineBench(
      engine,
      { ...PLAN, repeats: 1, warmupRequests: 0, requestsPerRepeat: 1 },
      { now },
    );
    const rec = r.repeats[0]?.records[0];
    expect(rec?.event_ms).toHaveLength(3);
    expect(new Set(rec?.event_ms).size).toBe(1);
    expect(rec?.coalesced_reads).toBe(1);
    expect(rec?.finish_reason).toBe('stop');
  });

  it('turns engine failures into failed records, not exceptions', async () => {
    let n = 0;
    const engine: EngineAdapter = {
      name: 'flaky',
      async *generate() {
        n++;
        if (n === 2) throw new Error('boom before any token');
        if (n === 3) {
          yield {};
          throw new Error('boom mid-stream');
        }
        if (n === 4) return;
        yield {};
      },
    };
    const r = await runEngineBench(
      engine,
      { ...PLAN, repeats: 1, warmupRequests: 1, requestsPerRepeat: 3 },
      { now },
    );
    const [warm, a, b, c] = r.repeats[0]?.records ?? [];
    expect(warm?.flags).toEqual([]);
    expect(a?.flags).toEqual(['malformed_stream', 'zero_output_tokens']);
    expect(a?.error).toBe('boom before any token');
    expect(a?.done_count).toBe(0);
    expect(b?.flags).toEqual(['malformed_stream']);
    expect(b?.event_ms).toHaveLength(1);
    expect(c?.flags).toEqual(['zero_output_tokens']);
    // computeMetrics reads them: 0 of 3 completed
    const report = computeMetrics({
      model: 'm',
      backend: 'custom',
      scenario: 'cli',
      nPrompt: 2,
      nGen: 4,
      warmupRequests: 1,
      slo: { ttft_p99_ms: Number.MAX_VALUE, tpot_p99_ms: Number.MAX_VALUE, e2e_p99_ms: Number.MAX_VALUE },
      env: { commit_sha: 'x', hw_id: 'cpu', rust: 'node', ferrum_features: [], ferrum_env: {} },
      envHash: () => `sha256:${'0'.repeat(64)}`,
      repeats: r.repeats.map((x) => ({ window: x.window, records: x.records })),
    });
    expect(report.completed_per_run).toEqual([0]);
    expect(report.malformed_stream_per_run).toEqual([2]);
    expect(report.zero_output_tokens_per_run).toEqual([2]);
  });

  it('fails before measuring when a warmup request fails, and still closes the engine', async () => {
    const engine = timedEngine(0, 0, []);
    await expect(runEngineBench(engine, PLAN, { now })).rejects.toSatisfy(
      (e) =>
        isGoodputError(e, 'RUN_FAILED') && /warmup failed in repeat 1: 1 of 1/.test((e as Error).message),
    );
    expect(engine.closed).toBe(1);
  });

  it('stops on abort: no new request, the repeat in progress is dropped, in-flight ones are flagged', async () => {
    const abort = new AbortController();
    const seen: string[][] = [];
    const engine: EngineAdapter = {
      name: 'slow',
      async *generate(_p, opts) {
        yield {};
        await sleep(20);
        if (opts.signal.aborted) throw new Error('stopped');
        yield {};
      },
    };
    const done = runEngineBench(
      engine,
      { ...PLAN, repeats: 3, requestsPerRepeat: 50, warmupRequests: 0 },
      {
        now,
        signal: abort.signal,
        onRecord: (rec) => seen.push(rec.flags),
      },
    );
    setTimeout(() => abort.abort(), 70);
    const r = await done;
    expect(r.interrupted).toBe(true);
    expect(r.repeats).toHaveLength(0);
    expect(seen.length).toBeLessThan(10);
    expect(seen.at(-1)).toContain('aborted');
  });

  it('keeps the text of the first measured request when asked', async () => {
    const engine = timedEngine(0, 0, [{ text: 'he' }, { text: 'llo' }]);
    const r = await runEngineBench(engine, { ...PLAN, repeats: 1, captureSample: true }, { now });
    expect(r.repeats[0]?.sampleText).toBe('hello');
  });
});
