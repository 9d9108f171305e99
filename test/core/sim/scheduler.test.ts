import { describe, expect, it } from 'vitest';
import { deriveStream } from '../../../src/core/random/streams.js';
import { simPreset } from '../../../src/core/sim/presets.js';
import type { SimProfile } from '../../../src/core/sim/profile.js';
import { BatchScheduler, type SimSequenceInput, type SimStep } from '../../../src/core/sim/scheduler.js';
import { meanStepMs } from '../../../src/core/sim/step-cost.js';

const base: SimProfile = {
  ...simPreset('tiny'),
  stepBaseMs: 2,
  decodePerSeqMs: 1,
  saturationBatch: 100,
  saturationPerSeqMs: 0,
  prefillPerTokenMs: 0.01,
  jitterFraction: 0,
  maxBatchedTokens: 4096,
  maxRunningSeqs: 64,
};

function seq(
  id: number,
  promptTokens: number,
  outputTokens: number,
  extra: Partial<SimSequenceInput> = {},
): SimSequenceInput {
  return {
    id,
    promptTokens,
    blockHashes: [],
    outputTokens,
    reserveTokens: promptTokens + outputTokens,
    ...extra,
  };
}

/** Runs steps back to back from t = 0; returns per-id token emit times and the steps. */
function drain(s: BatchScheduler, maxSteps = 10_000) {
  const tokenTimes = new Map<number, number[]>();
  const steps: SimStep[] = [];
  let t = 0;
  for (let i = 0; i < maxSteps; i++) {
    const step = s.step(t);
    if (!step) break;
    steps.push(step);
    t += step.durationMs;
    for (const e of step.emits) {
      if (e.tokenIndex >= 0) tokenTimes.set(e.id, [...(tokenTimes.get(e.id) ?? []), t]);
    }
  }
  return { tokenTimes, steps, endMs: t };
}

const scheduler = (profile: SimProfile) =>
  new BatchScheduler(profile, deriveStream({ seed: 1, purpose: 'test' }));

describe('batch scheduler', () => {
  it('batch 1: first token after the prefill step, then one decode step per token', () => {
    const s = scheduler(base);
    s.submit(seq(1, 100, 4), 0);
    const { tokenTimes, steps } = drain(s);
    const prefill = meanStepMs(base, { batchSeqs: 1, prefillTokens: 100 });
    const decode = meanStepMs(base, { batchSeqs: 1, prefillTokens: 0 });
    expect(steps).toHaveLength(4);
    expect(tokenTimes.get(1)).toEqual([
      prefill,
      prefill + decode,
      prefill + 2 * decode,
      prefill + 3 * decode,
    ]);
    expect(s.idle).toBe(true);
  });

  it('decode step time rises with the batch: step_ms(B) = base + perSeq·B', () => {
    for (const batch of [1, 4, 16]) {
      const s = scheduler(base);
      for (let id = 1; id <= batch; id++) s.submit(seq(id, 10, 5), 0);
      const { tokenTimes } = drain(s);
      const times = tokenTimes.get(1)!;
      expect(times[2]! - times[1]!).toBeCloseTo(2 + batch, 9);
    }
  });

  it('saturation adds saturationPerSeqMs for each sequence beyond saturationBatch', () => {
    const s = scheduler({ ...base, saturationBatch: 2, saturationPerSeqMs: 3 });
    for (let id = 1; id <= 5; id++) s.submit(seq(id, 10, 3), 0);
    const times = drain(s).tokenTimes.get(1)!;
    expect(times[1]! - times[0]!).toBeCloseTo(2 + 5 + 3 * 3, 9);
  });

  it('maxRunningSeqs queues the rest FIFO: TTFT rises with queue position', () => {
    const s = scheduler({ ...base, maxRunningSeqs: 1 });
    for (let id = 1; id <= 3; id++) s.submit(seq(id, 100, 5), 0);
    const { tokenTimes, steps } = drain(s);
    const prefill = meanStepMs(base, { batchSeqs: 1, prefillTokens: 100 });
    const decode = meanStepMs(base, { batchSeqs: 1, prefillTokens: 0 });
    const oneRequest = prefill + 4 * decode;
    expect(tokenTimes.get(1)![0]).toBeCloseTo(prefill, 9);
    expect(tokenTimes.get(2)![0]).toBeCloseTo(oneRequest + prefill, 9);
    expect(tokenTimes.get(3)![0]).toBeCloseTo(2 * oneRequest + prefill, 9);
    expect(steps.every((st) => st.batchSeqs === 1)).toBe(true);
    const admitted = steps.flatMap((st) => st.admitted);
    expect(admitted.map((a) => a.id)).toEqual([1, 2, 3]);
    expect(admitted[1]!.queuedMs).toBeCloseTo(oneRequest, 9);
  });

  it('chunked prefill: a long prompt is spread over steps of at most maxBatchedTokens', () => {
    const p = { ...base, maxBatchedTokens: 256 };
    const s = scheduler(p);
    s.submit(seq(1, 1000, 2), 0);
    const { steps, tokenTimes } = drain(s);
    expect(steps.slice(0, 4).map((st) => st.prefillTokens)).toEqual([256, 256, 256, 232]);
    expect(steps[0]!.emits).toEqual([]);
    const expectedTtft =
      3 * meanStepMs(p, { batchSeqs: 1, prefillTokens: 256 }) +
      meanStepMs(p, { batchSeqs: 1, prefillTokens: 232 });
    expect(tokenTimes.get(1)![0]).toBeCloseTo(expectedTtft, 9);
  });

  it('decodes take budget first: a prefill chunk gets what decoding sequences leave', () => {
    const s = scheduler({ ...base, maxBatchedTokens: 100 });
    s.submit(seq(1, 10, 50), 0);
    s.step(0); // prefill of 1
    s.submit(seq(2, 500, 2), 0);
    const step = s.step(1)!;
    expect(step.decodeSeqs).toBe(1);
    expect(step.prefillTokens).toBe(99);
  });

  it('a full KV cache queues admission until blocks are freed (no preemption)', () => {
    // 8 blocks of 16 tokens; each request reserves ceil((64 + 64) / 16) = 8 blocks
    const p = { ...base, kvCacheBlocks: 8, maxModelLen: 128 };
    const s = scheduler(p);
    s.submit(seq(1, 64, 3, { reserveTokens: 128 }), 0);
    s.submit(seq(2, 64, 3, { reserveTokens: 128 }), 0);
    const first = s.step(0)!;
    expect(first.admitted.map((a) => a.id)).toEqual([1]);
    expect(s.gauges()).toMatchObject({ running: 1, waiting: 1, kvBlocksReserved: 8 });
    const { steps } = drain(s);
    const admittedLater = steps.flatMap((st) => st.admitted.map((a) => a.id));
    expect(admittedLater).toEqual([2]);
  });

  it('prefix cache: a repeated prompt skips its cached blocks (never the last token)', () => {
    const p = { ...base, blockSize: 16 };
    const hashes = Array.from({ length: 4 }, (_, i) => 100 + i); // 64-token prompt
    const s = scheduler(p);
    s.submit(seq(1, 64, 1, { blockHashes: hashes }), 0);
    const miss = drain(s);
    expect(miss.steps[0]!.admitted[0]!.cachedTokens).toBe(0);
    s.submit(seq(2, 64, 1, { blockHashes: hashes }), 0);
    const hit = drain(s);
    // floor((64 − 1) / 16) = 3 blocks may hit: 48 cached, 16 computed
    expect(hit.steps[0]!.admitted[0]!.cachedTokens).toBe(48);
    expect(hit.steps[0]!.prefillTokens).toBe(16);
    expect(hit.endMs).toBeLessThan(miss.endMs);
    expect(s.gauges()).toMatchObject({ prefixQueryTokens: 128, prefixHitTokens: 48, promptTokens: 128 });
  });

  it('zero output tokens: the sequence ends after prefill with no token', () => {
    const s = scheduler(base);
    s.submit(seq(1, 10, 0), 0);
    const step = s.step(0)!;
    expect(step.emits).toEqual([{ id: 1, tokenIndex: -1, finished: true }]);
    expect(s.idle).toBe(true);
  });

  it('abort frees the slot and the blocks at once', () => {
    const s = scheduler({ ...base, maxRunningSeqs: 1 });
    s.submit(seq(1, 10, 100), 0);
    s.submit(seq(2, 10, 1), 0);
    s.step(0);
    expect(s.abort(1)).toBe(true);
    expect(s.abort(1)).toBe(false);
    const next = s.step(5)!;
    expect(next.admitted.map((a) => a.id)).toEqual([2]);
    expect(next.emits).toEqual([{ id: 2, tokenIndex: 0, finished: true }]);
  });

  it('jitter is seeded: same seed, same step durations', () => {
    const run = (seed: number) => {
      const s = new BatchScheduler(
        { ...base, jitterFraction: 0.2 },
        deriveStream({ seed, purpose: 'sim-jitter' }),
      );
      s.submit(seq(1, 10, 20), 0);
      return drain(s).steps.map((st) => st.durationMs);
    };
    expect(run(7)).toEqual(run(7));
    expect(run(7)).not.toEqual(run(8));
    for (const d of run(7).slice(1)) {
      expect(d).toBeGreaterThanOrEqual(3 * 0.8);
      expect(d).toBeLessThan(3 * 1.2);
    }
  });
});
