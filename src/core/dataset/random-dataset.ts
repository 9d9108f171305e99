// The `random` dataset: prompts of an exact token length made of random vocabulary tokens, with
// vLLM's --random-range-ratio for input and output lengths. Each prompt records the length it asked
// for and the length it got.

import type { RandomSource } from '../random/random-source.js';
import type { DatasetPrompt } from './dataset-prompt.js';
import { uniformInclusive } from './dataset-sampling.js';
import type { RandomDatasetSpec } from './dataset-spec.js';
import { exactPromptText, type LengthAudit, type PromptMeasure } from './prompt-measure.js';

/**
 * vLLM's length range (benchmarks/datasets.py RandomDataset.get_sampling_params): the integers
 * [⌊len·(1 − r)⌋, ⌈len·(1 + r)⌉], with the low end raised to `min`.
 */
export function lengthRange(len: number, rangeRatio: number, min: number): [number, number] {
  const lo = Math.max(min, Math.floor(len * (1 - rangeRatio)));
  const hi = Math.max(lo, Math.ceil(len * (1 + rangeRatio)));
  return [lo, hi];
}

/**
 * `count` random prompts from `rng`. Per prompt the draws are, in order: the input length, the
 * output length (each only when its range has more than one value), then the text's token ids.
 */
export async function buildRandomPrompts(
  spec: RandomDatasetSpec,
  measure: PromptMeasure,
  rng: RandomSource,
  count: number,
  audit: LengthAudit,
  label: string,
): Promise<DatasetPrompt[]> {
  const [inLo, inHi] = lengthRange(spec.inputLen, spec.rangeRatio, 1);
  const [outLo, outHi] = lengthRange(spec.outputLen, spec.rangeRatio, 1);
  const prompts: DatasetPrompt[] = [];
  for (let i = 0; i < count; i++) {
    const target = uniformInclusive(rng, inLo, inHi);
    const maxTokens = uniformInclusive(rng, outLo, outHi);
    const text = await exactPromptText(measure, rng, target);
    audit.check(text, `${label} prompt ${i}`);
    prompts.push({ prompt: text.text, inputTokens: text.tokens, requestedInputTokens: target, maxTokens });
  }
  return prompts;
}
