// What identifies a workload for the comparability key (SPEC §2.4): the dataset kind, its file
// (basename and content hash, never the full path), its parameters, the seed, the tokenizer, and
// the stream derivation the prompts came from. Two cells with different identities did not send
// the same prompts. Written in snake_case for the report's `goodput.dataset` object.

import type { PreparedDataset } from './build-dataset.js';
import { PROMPT_STREAM_PURPOSES } from './dataset-sampling.js';

/** A type alias, not an interface, so it fits the report's open `goodput.dataset` record. */
export type DatasetIdentity = {
  name: string;
  path_basename?: string;
  content_sha256?: string;
  format?: string;
  /** usable entries of a file dataset */
  entries?: number;
  params: Record<string, number | boolean | string>;
  seed: number;
  tokenizer: string;
  /** how per-(cell, repeat) prompt streams derive from the seed */
  streams: string;
};

export function datasetIdentity(
  prepared: PreparedDataset,
  run: { seed: number; tokenizerName: string },
): DatasetIdentity {
  const { spec, file } = prepared;
  const identity: DatasetIdentity = {
    name: spec.kind,
    params: {},
    seed: run.seed,
    tokenizer: run.tokenizerName,
    streams: `core/random deriveStream(seed, purpose "${PROMPT_STREAM_PURPOSES.measured}" | "${PROMPT_STREAM_PURPOSES.warmup}", cell key, repeat)`,
  };
  switch (spec.kind) {
    case 'random':
      identity.params = {
        input_len: spec.inputLen,
        output_len: spec.outputLen,
        range_ratio: spec.rangeRatio,
        length_tolerance: spec.lengthTolerance,
      };
      break;
    case 'shared-prefix':
      identity.params = {
        prefix_len: spec.prefixLen,
        suffix_len: spec.suffixLen,
        prefix_groups: spec.groups,
        warm_prefix: spec.warmPrefix,
        output_len: spec.outputLen,
        length_tolerance: spec.lengthTolerance,
        working_set_tokens: spec.groups * spec.prefixLen,
      };
      break;
    case 'sharegpt':
      identity.params = {
        output_len: spec.useReferenceOutputLen ? 'reference' : spec.outputLen,
        min_prompt_len: spec.filters.minPromptTokens,
        min_output_len: spec.filters.minOutputTokens,
        max_prompt_len: spec.filters.maxPromptTokens,
        max_total_len: spec.filters.maxTotalTokens,
        with_replacement: spec.withReplacement,
      };
      break;
    case 'jsonl':
      identity.params = { output_len: spec.outputLen };
      break;
  }
  if (file?.kind === 'sharegpt') {
    identity.path_basename = file.corpus.fileName;
    identity.content_sha256 = file.corpus.contentSha256;
    identity.format = file.corpus.format;
    identity.entries = file.corpus.conversations.length;
  } else if (file?.kind === 'jsonl') {
    identity.path_basename = file.file.fileName;
    identity.content_sha256 = file.file.contentSha256;
    identity.format = file.file.timed ? 'jsonl-timed' : 'jsonl';
    identity.entries = file.file.requests.length;
  }
  return identity;
}
