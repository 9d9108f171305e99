import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BuildContext, buildDataset, prepareDataset } from '../../../src/core/dataset/build-dataset.js';
import type { RandomDatasetSpec } from '../../../src/core/dataset/dataset-spec.js';
import { lengthRange } from '../../../src/core/dataset/random-dataset.js';
import { isGoodputError } from '../../../src/core/errors.js';
import type { Tokenizer } from '../../../src/core/tokenizer.js';
import { defaultTokenizer } from '../../../src/tokenizer/default.js';
import { loadHfTokenizer } from '../../../src/tokenizer/hf-tokenizer.js';
import { writeGpt2TokenizerJson } from '../../tokenizer/gpt2-tokenizer-json.js';

const spec = (over: Partial<RandomDatasetSpec> = {}): RandomDatasetSpec => ({
  kind: 'random',
  inputLen: 128,
  outputLen: 64,
  rangeRatio: 0,
  lengthTolerance: 0,
  ...over,
});

const tokenizer = defaultTokenizer();
const ctx = (over: Partial<BuildContext> = {}): BuildContext => ({
  tokenizer,
  seed: 42,
  cellKey: 'closed:c=4',
  repeat: 1,
  numPrompts: 20,
  warmupPrompts: 4,
  ...over,
});

let dir: string;
let gpt2: Tokenizer;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goodput-random-'));
  gpt2 = await loadHfTokenizer(await writeGpt2TokenizerJson(dir));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('vLLM length ranges: [⌊len·(1−r)⌋, ⌈len·(1+r)⌉]', () => {
  it.each([
    [128, 0, 1, [128, 128]],
    [128, 0.5, 1, [64, 192]],
    [100, 0.25, 1, [75, 125]],
    [10, 0.33, 1, [6, 14]], // 6.7 → 6, 13.3 → 14
    [1, 0.9, 1, [1, 2]], // low end raised to 1 (vLLM's output_low = max(low, 1))
  ])('len %i, r %f → %j', (len, r, min, range) => {
    expect(lengthRange(len, r, min)).toEqual(range);
  });
});

describe('the random dataset', () => {
  it('gives every prompt exactly the requested length with the default tokenizer, and records both', async () => {
    const built = await buildDataset(prepareDataset(spec()), ctx());
    expect(built.measured).toHaveLength(20);
    expect(built.warmup).toHaveLength(4);
    expect(built.warnings).toEqual([]);
    for (const p of [...built.measured, ...built.warmup]) {
      expect(p.requestedInputTokens).toBe(128);
      expect(p.inputTokens).toBe(128);
      expect(tokenizer.count(p.prompt as string)).toBe(128);
      expect(p.maxTokens).toBe(64);
    }
    expect(new Set(built.measured.map((p) => p.prompt)).size).toBe(20);
  });

  it('gives exact lengths with a Hugging Face tokenizer.json too', async () => {
    const built = await buildDataset(
      prepareDataset(spec({ inputLen: 300 })),
      ctx({ tokenizer: gpt2, numPrompts: 10 }),
    );
    for (const p of built.measured) expect(gpt2.count(p.prompt as string)).toBe(300);
  });

  it('draws lengths uniformly over the range ratio, reaching both ends, and each prompt hits its own draw', async () => {
    const built = await buildDataset(
      prepareDataset(spec({ inputLen: 20, outputLen: 10, rangeRatio: 0.5 })),
      ctx({ numPrompts: 200, warmupPrompts: 0 }),
    );
    const inputs = built.measured.map((p) => p.requestedInputTokens as number);
    const outputs = built.measured.map((p) => p.maxTokens);
    expect(Math.min(...inputs)).toBe(10);
    expect(Math.max(...inputs)).toBe(30);
    expect(Math.min(...outputs)).toBe(5);
    expect(Math.max(...outputs)).toBe(15);
    for (const p of built.measured) expect(tokenizer.count(p.prompt as string)).toBe(p.requestedInputTokens);
  });

  it('same seed → same prompts; another repeat or cell → other prompts', async () => {
    const prepared = prepareDataset(spec({ inputLen: 32 }));
    const a = await buildDataset(prepared, ctx());
    const b = await buildDataset(prepared, ctx());
    const otherRepeat = await buildDataset(prepared, ctx({ repeat: 2 }));
    const otherCell = await buildDataset(prepared, ctx({ cellKey: 'closed:c=8' }));
    expect(b).toEqual(a);
    expect(otherRepeat.measured[0]?.prompt).not.toBe(a.measured[0]?.prompt);
    expect(otherCell.measured[0]?.prompt).not.toBe(a.measured[0]?.prompt);
  });

  it('changing the warmup count never changes the measured prompts', async () => {
    const prepared = prepareDataset(spec({ inputLen: 16 }));
    const a = await buildDataset(prepared, ctx({ warmupPrompts: 0 }));
    const b = await buildDataset(prepared, ctx({ warmupPrompts: 9 }));
    expect(b.measured).toEqual(a.measured);
    expect(b.warmup).toHaveLength(9);
    for (const w of b.warmup) expect(a.measured.map((p) => p.prompt)).not.toContain(w.prompt);
  });

  it('a prompt that cannot reach its length fails with DATASET beyond the tolerance, and warns within it', async () => {
    // A tokenizer whose count is always even cannot make 3-token prompts.
    const even: Tokenizer = {
      ...tokenizer,
      name: 'even',
      count: (t) => 2 * Math.ceil(tokenizer.count(t) / 2),
    };
    const measure = { countTokens: async (t: string) => even.count(t) };
    const strict = await buildDataset(
      prepareDataset(spec({ inputLen: 3 })),
      ctx({ ...measure, numPrompts: 2 }),
    ).catch((e: unknown) => e);
    expect(isGoodputError(strict, 'DATASET')).toBe(true);
    expect((strict as Error).message).toMatch(/measured prompt 0: could not reach exactly 3 tokens/);
    expect((strict as { hint: string }).hint).toContain('--length-tolerance 1');

    const lenient = await buildDataset(
      prepareDataset(spec({ inputLen: 3, lengthTolerance: 1 })),
      ctx({ ...measure, numPrompts: 2, warmupPrompts: 0 }),
    );
    for (const p of lenient.measured) {
      expect(p.requestedInputTokens).toBe(3);
      expect(Math.abs(p.inputTokens - 3)).toBe(1);
    }
    expect(lenient.warnings).toHaveLength(1);
    expect(lenient.warnings[0]).toMatch(
      /2 of 2 prompt texts missed their requested length .* within --length-tolerance 1/,
    );
  });
});
