// bench-serve's dataset flags: which prompts are sent (--dataset and its length, prefix, ShareGPT
// filter and sampling flags, --dataset-path) and how they are counted (--tokenizer).

import { existsSync, statSync } from 'node:fs';
import type { ServerAddress } from '../client/target.js';
import {
  type DatasetSpec,
  DEFAULT_SHAREGPT_FILTERS,
  datasetSpecProblems,
} from '../core/dataset/dataset-spec.js';
import type { FlagValidation } from './bench-serve-flag-validation.js';
import { parseIntFlag, parsePositiveFlag } from './bench-serve-flag-values.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';

export interface DatasetFlags {
  /** undefined only when --dataset was refused (its problem is recorded) */
  readonly dataset?: DatasetSpec;
  /** --dataset-path (or ferrum's --sharegpt-path), resolved */
  readonly datasetPath?: string;
  /** default, server, or the resolved path of a tokenizer.json or its directory */
  readonly tokenizer: string;
}

/** The dataset flags; `address` is --base-url's server, if any. Problems go to `v`. */
export function datasetFlags(
  raw: RawBenchServeOptions,
  address: ServerAddress | undefined,
  v: FlagValidation,
): DatasetFlags {
  const outputLen = v.take(parseIntFlag('--random-output-len', raw.randomOutputLen, 1), 1);
  const lengthTolerance = v.take(parseIntFlag('--length-tolerance', raw.lengthTolerance, 0), 0);
  const datasetPath = v.path(raw.datasetPath ?? raw.sharegptPath);
  if (raw.datasetPath !== undefined && raw.sharegptPath !== undefined) {
    v.push('--sharegpt-path is ferrum’s name for --dataset-path: give one of them');
  }
  let dataset: DatasetSpec | undefined;
  switch (raw.dataset) {
    case 'random':
      dataset = {
        kind: 'random',
        inputLen: v.take(parseIntFlag('--random-input-len', raw.randomInputLen, 1), 1),
        outputLen,
        rangeRatio: v.take(parsePositiveFlag('--random-range-ratio', raw.randomRangeRatio, true), 0),
        lengthTolerance,
      };
      break;
    case 'shared-prefix':
      dataset = {
        kind: 'shared-prefix',
        prefixLen: v.take(parseIntFlag('--shared-prefix-len', raw.sharedPrefixLen, 1), 1),
        suffixLen: v.take(parseIntFlag('--shared-suffix-len', raw.sharedSuffixLen, 1), 1),
        groups: v.take(parseIntFlag('--prefix-groups', raw.prefixGroups, 1), 1),
        warmPrefix: raw.warmPrefix === true,
        outputLen,
        lengthTolerance,
      };
      break;
    case 'sharegpt':
      if (raw.sharegptOutputLen !== 'fixed' && raw.sharegptOutputLen !== 'reference') {
        v.push(`--sharegpt-output-len ${JSON.stringify(raw.sharegptOutputLen)}: expected fixed or reference`);
      }
      if (raw.sampling !== 'without-replacement' && raw.sampling !== 'with-replacement') {
        v.push(
          `--sampling ${JSON.stringify(raw.sampling)}: expected without-replacement or with-replacement`,
        );
      }
      dataset = {
        kind: 'sharegpt',
        path: datasetPath ?? '',
        outputLen,
        useReferenceOutputLen: raw.sharegptOutputLen === 'reference',
        withReplacement: raw.sampling === 'with-replacement',
        filters: {
          minPromptTokens: v.take(
            parseIntFlag('--sharegpt-min-prompt-len', raw.sharegptMinPromptLen, 0),
            DEFAULT_SHAREGPT_FILTERS.minPromptTokens,
          ),
          minOutputTokens: v.take(
            parseIntFlag('--sharegpt-min-output-len', raw.sharegptMinOutputLen, 0),
            DEFAULT_SHAREGPT_FILTERS.minOutputTokens,
          ),
          maxPromptTokens: v.take(
            parseIntFlag('--sharegpt-max-prompt-len', raw.sharegptMaxPromptLen, 1),
            DEFAULT_SHAREGPT_FILTERS.maxPromptTokens,
          ),
          maxTotalTokens: v.take(
            parseIntFlag('--sharegpt-max-total-len', raw.sharegptMaxTotalLen, 1),
            DEFAULT_SHAREGPT_FILTERS.maxTotalTokens,
          ),
        },
      };
      break;
    case 'jsonl':
      dataset = { kind: 'jsonl', path: datasetPath ?? '', outputLen };
      break;
    default:
      v.push(`--dataset ${JSON.stringify(raw.dataset)}: choose random, sharegpt, shared-prefix or jsonl`);
  }
  if (dataset !== undefined) {
    v.push(...datasetSpecProblems(dataset).filter((p) => !v.problems.includes(p)));
    if ((dataset.kind === 'sharegpt' || dataset.kind === 'jsonl') && datasetPath !== undefined) {
      if (!existsSync(datasetPath) || !statSync(datasetPath).isFile())
        v.push(`--dataset-path ${datasetPath}: no such file`);
    }
    if (dataset.kind !== 'sharegpt' && dataset.kind !== 'jsonl' && datasetPath !== undefined) {
      v.push(`--dataset-path is only read by --dataset sharegpt or jsonl (not ${dataset.kind})`);
    }
  }
  const named = raw.tokenizer === 'default' || raw.tokenizer === 'server';
  if (!named && raw.tokenizer !== '' && !existsSync(v.path(raw.tokenizer))) {
    v.push(
      `--tokenizer ${raw.tokenizer}: no such file or directory (give a tokenizer.json, its directory, default or server)`,
    );
  }
  if (raw.tokenizer === 'server' && address === undefined) {
    v.push('--tokenizer server needs --base-url (the simulator counts with the default tokenizer)');
  }
  return {
    ...(dataset === undefined ? {} : { dataset }),
    ...(datasetPath === undefined ? {} : { datasetPath }),
    tokenizer: named ? raw.tokenizer : v.path(raw.tokenizer),
  };
}
