// What the user asked for, dataset-wise (SPEC §3.3), with its defaults and a check that reports
// every problem at once, each naming its flag. bench-serve maps its flags onto a DatasetSpec.

import { GoodputError } from '../errors.js';

/** vLLM's ShareGPT filters (benchmarks/datasets.py `is_valid_sequence`), all in tokens. */
export interface ShareGptFilters {
  /** --sharegpt-min-prompt-len [4] */
  minPromptTokens: number;
  /** --sharegpt-min-output-len [4] */
  minOutputTokens: number;
  /** --sharegpt-max-prompt-len [1024] */
  maxPromptTokens: number;
  /** --sharegpt-max-total-len [2048]: prompt + reference reply */
  maxTotalTokens: number;
}

export const DEFAULT_SHAREGPT_FILTERS: ShareGptFilters = {
  minPromptTokens: 4,
  minOutputTokens: 4,
  maxPromptTokens: 1024,
  maxTotalTokens: 2048,
};

export interface RandomDatasetSpec {
  kind: 'random';
  /** --random-input-len */
  inputLen: number;
  /** --random-output-len: max_tokens */
  outputLen: number;
  /** --random-range-ratio r in [0, 1): lengths uniform in [⌊len·(1−r)⌋, ⌈len·(1+r)⌉] (vLLM) */
  rangeRatio: number;
  /** --length-tolerance: tokens a prompt may miss its target by (with a warning) before the run fails [0] */
  lengthTolerance: number;
}

export interface ShareGptDatasetSpec {
  kind: 'sharegpt';
  /** --dataset-path */
  path: string;
  /** --random-output-len: max_tokens unless the reference reply length is used */
  outputLen: number;
  /** --sharegpt-output-len reference: max_tokens = the reference reply's token count */
  useReferenceOutputLen: boolean;
  filters: ShareGptFilters;
  /** --sampling with-replacement; the default samples without replacement */
  withReplacement: boolean;
}

export interface SharedPrefixDatasetSpec {
  kind: 'shared-prefix';
  /** --shared-prefix-len, tokens */
  prefixLen: number;
  /** --shared-suffix-len, tokens */
  suffixLen: number;
  /** --prefix-groups: distinct prefixes, requests assigned round-robin */
  groups: number;
  /** --warm-prefix: warmup sends the measured prefixes (by default it uses different ones) */
  warmPrefix: boolean;
  /** --random-output-len */
  outputLen: number;
  /** --length-tolerance */
  lengthTolerance: number;
}

export interface JsonlDatasetSpec {
  kind: 'jsonl';
  /** --dataset-path */
  path: string;
  /** --random-output-len: max_tokens for lines without `max_tokens` */
  outputLen: number;
}

export type DatasetSpec =
  | RandomDatasetSpec
  | ShareGptDatasetSpec
  | SharedPrefixDatasetSpec
  | JsonlDatasetSpec;
export type DatasetKind = DatasetSpec['kind'];
export const DATASET_KINDS: readonly DatasetKind[] = ['random', 'sharegpt', 'shared-prefix', 'jsonl'];

/** The largest token count accepted anywhere (ferrum's u32 range, far above any context window). */
const MAX_TOKENS = 4_294_967_295;

function intProblem(flag: string, value: number, min: number): string | undefined {
  if (!Number.isInteger(value) || value < min || value > MAX_TOKENS) {
    return `${flag} must be an integer in [${min}, ${MAX_TOKENS}], got ${value}`;
  }
  return undefined;
}

/** Every problem of `spec`, each naming its flag; empty when the spec is usable. */
export function datasetSpecProblems(spec: DatasetSpec): string[] {
  const problems: (string | undefined)[] = [intProblem('--random-output-len', spec.outputLen, 1)];
  switch (spec.kind) {
    case 'random': {
      const inputProblem = intProblem('--random-input-len', spec.inputLen, 1);
      problems.push(inputProblem);
      problems.push(intProblem('--length-tolerance', spec.lengthTolerance, 0));
      if (!(spec.rangeRatio >= 0 && spec.rangeRatio < 1)) {
        problems.push(`--random-range-ratio must be in [0, 1), got ${spec.rangeRatio}`);
      } else if (inputProblem === undefined && Math.floor(spec.inputLen * (1 - spec.rangeRatio)) < 1) {
        problems.push(
          `--random-input-len ${spec.inputLen} with --random-range-ratio ${spec.rangeRatio} allows prompts of 0 tokens`,
        );
      }
      break;
    }
    case 'sharegpt': {
      if (spec.path === '') problems.push('--dataset-path is required for --dataset sharegpt');
      const f = spec.filters;
      problems.push(intProblem('--sharegpt-min-prompt-len', f.minPromptTokens, 0));
      problems.push(intProblem('--sharegpt-min-output-len', f.minOutputTokens, 0));
      problems.push(intProblem('--sharegpt-max-prompt-len', f.maxPromptTokens, 1));
      problems.push(intProblem('--sharegpt-max-total-len', f.maxTotalTokens, 1));
      if (f.minPromptTokens > f.maxPromptTokens) {
        problems.push(
          `--sharegpt-min-prompt-len ${f.minPromptTokens} is above --sharegpt-max-prompt-len ${f.maxPromptTokens}`,
        );
      }
      break;
    }
    case 'shared-prefix': {
      problems.push(intProblem('--shared-prefix-len', spec.prefixLen, 1));
      problems.push(intProblem('--shared-suffix-len', spec.suffixLen, 1));
      problems.push(intProblem('--prefix-groups', spec.groups, 1));
      problems.push(intProblem('--length-tolerance', spec.lengthTolerance, 0));
      if (spec.prefixLen + spec.suffixLen > MAX_TOKENS) {
        problems.push(`--shared-prefix-len + --shared-suffix-len must not exceed ${MAX_TOKENS}`);
      }
      break;
    }
    case 'jsonl': {
      if (spec.path === '') problems.push('--dataset-path is required for --dataset jsonl');
      break;
    }
  }
  return problems.filter((p): p is string => p !== undefined);
}

/** Throws one USAGE error listing every problem of `spec`. */
export function assertDatasetSpec(spec: DatasetSpec): void {
  const problems = datasetSpecProblems(spec);
  if (problems.length > 0) {
    throw new GoodputError('USAGE', `invalid dataset options:\n  ${problems.join('\n  ')}`, {
      hint: 'fix the flags above; `goodput bench-serve --help` lists the dataset options',
    });
  }
}
