import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { runEngineBench } from '../../src/engine/bench-runner.js';
import { buildTinyLlamaGguf } from '../../src/engine/gguf/tiny-llama.js';
import { builtinVocab } from '../../src/engine/gguf/tiny-vocab.js';
import { createLlamaEngine } from '../../src/engine/llama-engine.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-llama-'));
const modelPath = join(dir, 'tiny.gguf');
beforeAll(() => writeFileSync(modelPath, buildTinyLlamaGguf(builtinVocab(), 11)));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plan = {
  cell: 'llama',
  prompt: 'Explain the theory of relativity in detail.',
  maxTokens: 16,
  requestsPerRepeat: 2,
  repeats: 2,
  concurrency: 1,
  warmupRequests: 1,
  seed: 9,
  temperature: 0,
  captureSample: true,
};
const now = () => performance.now();

describe('the node-llama-cpp engine on a tiny GGUF', () => {
  it('generates exactly max tokens per request, one event per token, the same text every time when greedy', async () => {
    const engine = createLlamaEngine({ modelPath, threads: 1 });
    expect(engine.model).toBe('tiny');
    const r = await runEngineBench(engine, { ...plan, concurrency: 2, requestsPerRepeat: 4 }, { now });
    expect(r.inputTokens).toBeGreaterThan(3);
    for (const rep of r.repeats) {
      for (const rec of rep.records) {
        expect(rec.flags).toEqual([]);
        expect(rec.event_ms).toHaveLength(16);
        expect(rec.finish_reason).toBe('length');
      }
    }
    const [a, b] = r.repeats.map((x) => x.sampleText);
    expect(a?.length).toBeGreaterThan(0);
    expect(b).toBe(a);
  });

  it('seeded sampling: the same seed gives the same tokens, another seed other tokens', async () => {
    const sample = async (seed: number) => {
      const r = await runEngineBench(
        createLlamaEngine({ modelPath, threads: 1 }),
        { ...plan, repeats: 1, temperature: 1.5, seed, maxTokens: 32 },
        { now },
      );
      return r.repeats[0]?.sampleText;
    };
    const a = await sample(1);
    expect(await sample(1)).toBe(a);
    expect(await sample(2)).not.toBe(a);
  });

  it("refuses a prompt plus output longer than the model's context", async () => {
    await expect(
      runEngineBench(createLlamaEngine({ modelPath, threads: 1 }), { ...plan, maxTokens: 300 }, { now }),
    ).rejects.toSatisfy((e) => isGoodputError(e, 'USAGE') && /256-token context/.test((e as Error).message));
  });

  it('names the file it cannot load', async () => {
    const bad = join(dir, 'bad.gguf');
    writeFileSync(bad, 'not a gguf');
    await expect(runEngineBench(createLlamaEngine({ modelPath: bad }), plan, { now })).rejects.toSatisfy(
      (e) => isGoodputError(e, 'ENGINE') && (e as Error).message.includes(bad),
    );
  });
});
