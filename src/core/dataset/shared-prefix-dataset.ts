// The `shared-prefix` dataset (prefix-cache stress, SPEC §3.2): one length-exact prefix per group
// plus a unique length-exact suffix per request, requests assigned to groups round-robin. Better
// than ferrum §8.6: lengths are exact, the prefix's tokens survive concatenation (so a server's
// prefix cache can match them), and warmup uses DIFFERENT prefixes unless --warm-prefix, so the
// first request of each group is a real cache miss and is marked for the miss vs warm TTFT split.

import { GoodputError } from '../errors.js';
import type { RandomSource } from '../random/random-source.js';
import type { DatasetPrompt } from './dataset-prompt.js';
import type { SharedPrefixDatasetSpec } from './dataset-spec.js';
import { exactPromptText, type LengthAudit, type PromptMeasure } from './prompt-measure.js';

/** Every prefix ends with this separator, so the suffix's first token cannot merge into it. */
export const PREFIX_SEPARATOR = '\n';

const SUFFIX_ATTEMPTS = 16;

export interface SharedPrefix {
  text: string;
  tokens: number;
  /** the prefix's token ids by the local tokenizer (checked against every prompt built on it) */
  localIds: readonly number[];
}

/** One group prefix: random text + separator, exactly `prefixLen` tokens together. */
export async function buildSharedPrefix(
  spec: SharedPrefixDatasetSpec,
  measure: PromptMeasure,
  rng: RandomSource,
  audit: LengthAudit,
  what: string,
): Promise<SharedPrefix> {
  const body = await exactPromptText(measure, rng, spec.prefixLen, { after: PREFIX_SEPARATOR });
  audit.check(body, what);
  const text = body.text + PREFIX_SEPARATOR;
  return { text, tokens: body.tokens, localIds: measure.tokenizer.encode(text) };
}

function startsWith(ids: readonly number[], prefix: readonly number[]): boolean {
  if (ids.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (ids[i] !== prefix[i]) return false;
  return true;
}

/**
 * One prompt on `prefix`: a fresh suffix of exactly `suffixLen` tokens after it, distinct from
 * every suffix in `seen`. With the local tokenizer the prompt's tokens must start with the
 * prefix's own tokens (checked; a server's /tokenize gives counts only, so there the count is what
 * is exact).
 */
export async function buildSharedPrefixPrompt(
  spec: SharedPrefixDatasetSpec,
  measure: PromptMeasure,
  rng: RandomSource,
  prefix: SharedPrefix,
  seen: Set<string>,
  audit: LengthAudit,
  what: string,
): Promise<{ prompt: string; inputTokens: number }> {
  for (let attempt = 0; attempt < SUFFIX_ATTEMPTS; attempt++) {
    const suffix = await exactPromptText(measure, rng, spec.suffixLen, { before: prefix.text });
    if (seen.has(suffix.text)) continue;
    const prompt = prefix.text + suffix.text;
    if (!measure.countTokens && !startsWith(measure.tokenizer.encode(prompt), prefix.localIds)) continue;
    audit.check(suffix, what);
    seen.add(suffix.text);
    return { prompt, inputTokens: prefix.tokens + suffix.tokens };
  }
  throw new GoodputError(
    'DATASET',
    `${what}: no suffix of ${spec.suffixLen} tokens kept the shared prefix's tokens intact in ${SUFFIX_ATTEMPTS} attempts`,
    { hint: 'try another --seed or --tokenizer; this tokenizer merges tokens across the prefix boundary' },
  );
}

/**
 * `count` prompts over `prefixes` (group i mod G), each marked with its group; `primedGroups`
 * groups (0..primedGroups−1) were already sent by warmup, so only the others have a first request
 * that misses.
 */
export async function buildSharedPrefixPrompts(
  spec: SharedPrefixDatasetSpec,
  measure: PromptMeasure,
  rng: RandomSource,
  prefixes: readonly SharedPrefix[],
  count: number,
  primedGroups: number,
  seen: Set<string>,
  audit: LengthAudit,
  label: string,
): Promise<DatasetPrompt[]> {
  const prompts: DatasetPrompt[] = [];
  for (let i = 0; i < count; i++) {
    const group = i % prefixes.length;
    const prefix = prefixes[group] as SharedPrefix;
    const built = await buildSharedPrefixPrompt(
      spec,
      measure,
      rng,
      prefix,
      seen,
      audit,
      `${label} prompt ${i}`,
    );
    prompts.push({
      prompt: built.prompt,
      inputTokens: built.inputTokens,
      requestedInputTokens: spec.prefixLen + spec.suffixLen,
      maxTokens: spec.outputLen,
      group,
      isPrefixFirst: i < prefixes.length && group >= primedGroups,
    });
  }
  return prompts;
}
