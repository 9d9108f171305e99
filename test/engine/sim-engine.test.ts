import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { simPreset } from '../../src/core/sim/presets.js';
import { runEngineBench } from '../../src/engine/bench-runner.js';
import { createSimEngine } from '../../src/engine/sim-engine.js';

const plan = {
  cell: 'sim',
  prompt: 'Explain the theory of relativity in detail.',
  maxTokens: 24,
  requestsPerRepeat: 4,
  repeats: 1,
  concurrency: 1,
  warmupRequests: 0,
  seed: 0,
  temperature: 0,
  captureSample: true,
};

describe('the simulator engine in process', () => {
  it("streams tokens at the model's pace: the first after one step, then one token per step", async () => {
    const profile = { ...simPreset('tiny'), eosProbabilityPerToken: 0, jitterFraction: 0, stepBaseMs: 2 };
    const engine = createSimEngine({ profile, profileName: 'tiny', seed: 1 });
    const r = await runEngineBench(engine, plan, { now: () => performance.now() });
    const recs = r.repeats[0]?.records ?? [];
    expect(recs).toHaveLength(4);
    for (const rec of recs) {
      expect(rec.event_ms).toHaveLength(24);
      expect(rec.finish_reason).toBe('length');
      // the model's clock only runs late, never early: the first token comes after one step,
      // the last after 24 steps of 2 ms (a loaded machine may deliver some of them in a burst)
      expect((rec.event_ms[0] as number) - rec.send_ms).toBeGreaterThanOrEqual(1.9);
      expect((rec.event_ms[23] as number) - rec.send_ms).toBeGreaterThanOrEqual(24 * 2 - 0.5);
    }
    expect(r.inputTokens).toBeGreaterThan(5);
    expect(r.repeats[0]?.sampleText?.length).toBeGreaterThan(10);
  });

  it('is deterministic per seed: output lengths and text', async () => {
    const run = async (seed: number) => {
      const engine = createSimEngine({
        profile: { ...simPreset('instant'), eosProbabilityPerToken: 0.1 },
        profileName: 'instant',
        seed,
      });
      const r = await runEngineBench(
        engine,
        { ...plan, requestsPerRepeat: 8 },
        { now: () => performance.now() },
      );
      return { lengths: r.repeats[0]?.records.map((x) => x.event_ms.length), text: r.repeats[0]?.sampleText };
    };
    const a = await run(3);
    expect(await run(3)).toEqual(a);
    expect(await run(4)).not.toEqual(a);
  });

  it('rejects a plan that exceeds the simulated context before measuring', async () => {
    const engine = createSimEngine({
      profile: { ...simPreset('tiny'), maxModelLen: 16 },
      profileName: 'tiny',
      seed: 0,
    });
    await expect(runEngineBench(engine, plan, { now: () => performance.now() })).rejects.toSatisfy(
      (e) => isGoodputError(e, 'USAGE') && /--max-tokens 24/.test((e as Error).message),
    );
  });
});
