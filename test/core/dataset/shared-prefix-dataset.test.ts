import { describe, expect, it } from 'vitest';
import { type BuildContext, buildDataset, prepareDataset } from '../../../src/core/dataset/build-dataset.js';
import type { DatasetPrompt } from '../../../src/core/dataset/dataset-prompt.js';
import type { SharedPrefixDatasetSpec } from '../../../src/core/dataset/dataset-spec.js';
import { PREFIX_SEPARATOR } from '../../../src/core/dataset/shared-prefix-dataset.js';
import { defaultTokenizer } from '../../../src/tokenizer/default.js';

const tokenizer = defaultTokenizer();
const spec = (over: Partial<SharedPrefixDatasetSpec> = {}): SharedPrefixDatasetSpec => ({
  kind: 'shared-prefix',
  prefixLen: 200,
  suffixLen: 24,
  groups: 3,
  warmPrefix: false,
  outputLen: 16,
  lengthTolerance: 0,
  ...over,
});
const ctx = (over: Partial<BuildContext> = {}): BuildContext => ({
  tokenizer,
  seed: 9,
  cellKey: 'closed:c=2',
  repeat: 1,
  numPrompts: 12,
  warmupPrompts: 5,
  ...over,
});

function commonPrefix(a: string, b: string): string {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return a.slice(0, i);
}

describe('the shared-prefix dataset', () => {
  it('builds length-exact prompts whose token ids start with their group prefix, groups round-robin', async () => {
    const built = await buildDataset(prepareDataset(spec()), ctx());
    expect(built.warnings).toEqual([]);
    expect(built.measured.map((p) => p.group)).toEqual([0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2]);
    for (const p of built.measured) {
      expect(p.requestedInputTokens).toBe(224);
      expect(p.inputTokens).toBe(224);
      expect(tokenizer.count(p.prompt as string)).toBe(224);
      expect(p.maxTokens).toBe(16);
    }
    for (let g = 0; g < 3; g++) {
      const group = built.measured.filter((p) => p.group === g).map((p) => p.prompt as string);
      // The group's shared text ends exactly at the prefix separator …
      const shared = group.reduce(commonPrefix);
      const prefix = shared.slice(0, shared.lastIndexOf(PREFIX_SEPARATOR) + 1);
      const prefixIds = tokenizer.encode(prefix);
      expect(prefixIds).toHaveLength(200);
      // … and every prompt's token ids begin with the prefix's own ids (a cache can match them).
      for (const text of group) expect(tokenizer.encode(text).slice(0, 200)).toEqual(prefixIds);
    }
    const suffixes = built.measured.map((p) => p.prompt);
    expect(new Set(suffixes).size).toBe(12);
  });

  it('marks the first request of each group as the miss, and warmup uses other prefixes by default', async () => {
    const built = await buildDataset(prepareDataset(spec()), ctx());
    expect(built.measured.map((p) => p.isPrefixFirst)).toEqual([
      true,
      true,
      true,
      ...new Array(9).fill(false),
    ]);
    const measuredStarts = new Set(built.measured.slice(0, 3).map((p) => (p.prompt as string).slice(0, 40)));
    for (const w of built.warmup) expect(measuredStarts.has((w.prompt as string).slice(0, 40))).toBe(false);
    for (const w of built.warmup) expect(tokenizer.count(w.prompt as string)).toBe(224);
  });

  it('--warm-prefix: warmup sends the measured prefixes, and only unprimed groups keep a first-request miss', async () => {
    const built = await buildDataset(
      prepareDataset(spec({ groups: 4, warmPrefix: true })),
      ctx({ warmupPrompts: 2 }),
    );
    const starts = (ps: DatasetPrompt[]) => ps.map((p) => (p.prompt as string).slice(0, 40));
    expect(starts(built.warmup)).toEqual(starts(built.measured.slice(0, 2)));
    expect(built.warmup.map((p) => p.group)).toEqual([0, 1]);
    expect(built.measured.slice(0, 4).map((p) => p.isPrefixFirst)).toEqual([false, false, true, true]);
    // Warmup suffixes are still unique: warmup never sends a measured prompt.
    const measured = new Set(built.measured.map((p) => p.prompt));
    for (const w of built.warmup) expect(measured.has(w.prompt)).toBe(false);
  });

  it('gives each repeat new prefixes (so repeat 2 is not warmed by repeat 1) and is reproducible', async () => {
    const prepared = prepareDataset(spec({ prefixLen: 32, suffixLen: 8 }));
    const r1 = await buildDataset(prepared, ctx());
    const again = await buildDataset(prepared, ctx());
    const r2 = await buildDataset(prepared, ctx({ repeat: 2 }));
    expect(again).toEqual(r1);
    const start = (b: typeof r1) => String(b.measured[0]?.prompt).slice(0, 20);
    expect(start(r2)).not.toBe(start(r1));
  });

  it('handles the smallest shapes: 1-token prefix (the separator alone) and 1-token suffixes', async () => {
    const built = await buildDataset(
      prepareDataset(spec({ prefixLen: 1, suffixLen: 1, groups: 2 })),
      ctx({ numPrompts: 4, warmupPrompts: 0 }),
    );
    for (const p of built.measured) {
      expect(p.prompt?.startsWith(PREFIX_SEPARATOR)).toBe(true);
      expect(tokenizer.count(p.prompt as string)).toBe(2);
    }
  });
});
