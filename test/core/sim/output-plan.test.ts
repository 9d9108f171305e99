import { describe, expect, it } from 'vitest';
import { planOutput, WordStream } from '../../../src/core/sim/output-plan.js';
import { VOCABULARY } from '../../../src/core/sim/vocabulary.js';

const input = {
  seed: 3,
  requestNumber: 1,
  maxTokens: 100,
  minTokens: 0,
  ignoreEos: false,
  eosProbabilityPerToken: 0.05,
};

describe('output plan', () => {
  it('ignore_eos (or no EOS chance) gives exactly max_tokens, finish "length"', () => {
    expect(planOutput({ ...input, ignoreEos: true })).toEqual({ outputTokens: 100, finishReason: 'length' });
    expect(planOutput({ ...input, eosProbabilityPerToken: 0 })).toEqual({
      outputTokens: 100,
      finishReason: 'length',
    });
  });

  it('EOS points are seeded per request, geometric with the configured hazard', () => {
    const lengths = Array.from({ length: 4000 }, (_, i) =>
      planOutput({ ...input, requestNumber: i + 1, maxTokens: 10_000 }),
    );
    expect(lengths.map((l) => l.outputTokens)).toEqual(
      Array.from(
        { length: 4000 },
        (_, i) => planOutput({ ...input, requestNumber: i + 1, maxTokens: 10_000 }).outputTokens,
      ),
    );
    const mean = lengths.reduce((a, l) => a + l.outputTokens, 0) / lengths.length;
    expect(mean).toBeGreaterThan(18); // 1 / 0.05 = 20
    expect(mean).toBeLessThan(22);
    expect(lengths.every((l) => l.finishReason === 'stop')).toBe(true);
  });

  it('never below min_tokens, never above max_tokens', () => {
    for (let n = 1; n <= 300; n++) {
      const plan = planOutput({ ...input, requestNumber: n, minTokens: 10, maxTokens: 30 });
      expect(plan.outputTokens).toBeGreaterThanOrEqual(10);
      expect(plan.outputTokens).toBeLessThanOrEqual(30);
      expect(plan.finishReason).toBe(plan.outputTokens === 30 ? 'length' : 'stop');
    }
  });

  it('word streams are deterministic per (seed, request) and come from the vocabulary', () => {
    const words = (seed: number, n: number) => {
      const s = new WordStream(seed, n);
      return Array.from({ length: 50 }, () => s.next().text);
    };
    expect(words(1, 1)).toEqual(words(1, 1));
    expect(words(1, 1)).not.toEqual(words(1, 2));
    expect(words(1, 1)).not.toEqual(words(2, 1));
    const texts = new Set(VOCABULARY.map((w) => w.text));
    expect(words(5, 5).every((w) => texts.has(w))).toBe(true);
  });

  it('pre-escaped vocabulary splices into valid JSON', () => {
    for (const w of VOCABULARY) expect(JSON.parse(`"${w.json}"`)).toBe(w.text);
  });
});
