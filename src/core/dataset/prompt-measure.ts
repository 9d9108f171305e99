// How datasets count prompt tokens: with the local tokenizer, or, with --tokenizer server, with the
// target's own /tokenize (passed in as an async counter; the local tokenizer still edits text).
// Also the length policy: a prompt that misses its requested length is a warning within
// --length-tolerance and an error beyond it, never silent.

import { GoodputError } from '../errors.js';
import type { RandomSource } from '../random/random-source.js';
import type { Tokenizer } from '../tokenizer.js';
import { type ExactText, exactTextAsync, exactTextSync } from './exact-length-text.js';

export interface PromptMeasure {
  /** builds random text; counts tokens unless `countTokens` is given */
  tokenizer: Tokenizer;
  /** the server's token count of a text (no special tokens), when --tokenizer server */
  countTokens?: (text: string) => Promise<number>;
}

/** Tokens of `text` by the run's tokenizer. */
export async function countPromptTokens(measure: PromptMeasure, text: string): Promise<number> {
  return measure.countTokens ? measure.countTokens(text) : measure.tokenizer.count(text);
}

/**
 * Random text of exactly `target` tokens. With `around`, the tokens it adds between `before` and
 * `after`: count(before + text + after) − count(before), which is what a shared prefix (ending in
 * a fixed separator) and its suffixes need.
 */
export async function exactPromptText(
  measure: PromptMeasure,
  rng: RandomSource,
  target: number,
  around: { before?: string; after?: string } = {},
): Promise<ExactText> {
  const { tokenizer, countTokens } = measure;
  const before = around.before ?? '';
  const after = around.after ?? '';
  if (countTokens) {
    const base = before === '' ? 0 : await countTokens(before);
    return exactTextAsync(
      tokenizer,
      rng,
      target,
      async (text) => (await countTokens(before + text + after)) - base,
    );
  }
  if (before === '' && after === '') return exactTextSync(tokenizer, rng, target);
  const base = before === '' ? 0 : tokenizer.count(before);
  return exactTextSync(tokenizer, rng, target, {
    measure: (p) => tokenizer.count(before + p.text + after) - base,
  });
}

/**
 * The length policy over the prompts of one build: exact is fine; a miss within `tolerance` tokens
 * is counted and reported as one warning; a larger miss throws DATASET naming the prompt.
 */
export class LengthAudit {
  private misses = 0;
  private worstMiss = 0;
  private checked = 0;

  constructor(private readonly tolerance: number) {}

  check(result: ExactText, what: string): void {
    this.checked++;
    const miss = result.tokens - result.requested;
    if (miss === 0) return;
    if (Math.abs(miss) > this.tolerance) {
      throw new GoodputError(
        'DATASET',
        `${what}: could not reach exactly ${result.requested} tokens with this tokenizer (got ${result.tokens})`,
        { hint: `allow a small miss with --length-tolerance ${Math.abs(miss)}, or use another --tokenizer` },
      );
    }
    this.misses++;
    if (Math.abs(miss) > Math.abs(this.worstMiss)) this.worstMiss = miss;
  }

  /** One warning for all misses within tolerance, or none. */
  warning(label: string): string | undefined {
    if (this.misses === 0) return undefined;
    return `${label}: ${this.misses} of ${this.checked} prompt texts missed their requested length (worst ${this.worstMiss > 0 ? '+' : ''}${this.worstMiss} tokens, within --length-tolerance ${this.tolerance})`;
  }
}
