import { describe, expect, it } from 'vitest';
import { prepareDataset } from '../../../src/core/dataset/build-dataset.js';
import { datasetIdentity } from '../../../src/core/dataset/dataset-identity.js';
import {
  assertDatasetSpec,
  type DatasetSpec,
  DEFAULT_SHAREGPT_FILTERS,
  datasetSpecProblems,
} from '../../../src/core/dataset/dataset-spec.js';
import { readJsonlRequests } from '../../../src/core/dataset/jsonl-source.js';
import { readShareGpt } from '../../../src/core/dataset/sharegpt-source.js';
import { isGoodputError } from '../../../src/core/errors.js';

describe('dataset options are checked all at once, each problem naming its flag', () => {
  it.each<[DatasetSpec, string[]]>([
    [{ kind: 'random', inputLen: 256, outputLen: 128, rangeRatio: 0, lengthTolerance: 0 }, []],
    [
      { kind: 'random', inputLen: 0, outputLen: 0, rangeRatio: 1, lengthTolerance: -1 },
      [
        '--random-output-len must be an integer in [1, 4294967295], got 0',
        '--random-input-len must be an integer in [1, 4294967295], got 0',
        '--length-tolerance must be an integer in [0, 4294967295], got -1',
        '--random-range-ratio must be in [0, 1), got 1',
      ],
    ],
    [
      { kind: 'random', inputLen: 3, outputLen: 8, rangeRatio: 0.8, lengthTolerance: 0 },
      ['--random-input-len 3 with --random-range-ratio 0.8 allows prompts of 0 tokens'],
    ],
    [
      {
        kind: 'sharegpt',
        path: '',
        outputLen: 8,
        useReferenceOutputLen: false,
        filters: { ...DEFAULT_SHAREGPT_FILTERS, minPromptTokens: 2000 },
        withReplacement: false,
      },
      [
        '--dataset-path is required for --dataset sharegpt',
        '--sharegpt-min-prompt-len 2000 is above --sharegpt-max-prompt-len 1024',
      ],
    ],
    [
      {
        kind: 'shared-prefix',
        prefixLen: 0,
        suffixLen: 1.5,
        groups: 0,
        warmPrefix: false,
        outputLen: 8,
        lengthTolerance: 0,
      },
      [
        '--shared-prefix-len must be an integer in [1, 4294967295], got 0',
        '--shared-suffix-len must be an integer in [1, 4294967295], got 1.5',
        '--prefix-groups must be an integer in [1, 4294967295], got 0',
      ],
    ],
    [{ kind: 'jsonl', path: '', outputLen: 8 }, ['--dataset-path is required for --dataset jsonl']],
  ])('%j', (spec, problems) => {
    expect(datasetSpecProblems(spec)).toEqual(problems);
  });

  it('assertDatasetSpec throws one USAGE error listing them', () => {
    try {
      assertDatasetSpec({ kind: 'random', inputLen: 0, outputLen: 0, rangeRatio: 0, lengthTolerance: 0 });
    } catch (e) {
      expect(isGoodputError(e, 'USAGE')).toBe(true);
      expect((e as Error).message).toBe(
        'invalid dataset options:\n  --random-output-len must be an integer in [1, 4294967295], got 0\n  --random-input-len must be an integer in [1, 4294967295], got 0',
      );
      return;
    }
    throw new Error('expected a USAGE error');
  });
});

describe('dataset identity (for the comparability key)', () => {
  it('a generated dataset: kind, params, seed, tokenizer, stream derivation; no file fields', () => {
    const prepared = prepareDataset({
      kind: 'shared-prefix',
      prefixLen: 512,
      suffixLen: 32,
      groups: 4,
      warmPrefix: false,
      outputLen: 64,
      lengthTolerance: 0,
    });
    expect(datasetIdentity(prepared, { seed: 7, tokenizerName: 'gpt-tokenizer:o200k_base' })).toEqual({
      name: 'shared-prefix',
      params: {
        prefix_len: 512,
        suffix_len: 32,
        prefix_groups: 4,
        warm_prefix: false,
        output_len: 64,
        length_tolerance: 0,
        working_set_tokens: 2048,
      },
      seed: 7,
      tokenizer: 'gpt-tokenizer:o200k_base',
      streams: 'core/random deriveStream(seed, purpose "prompts" | "prompts:warmup", cell key, repeat)',
    });
  });

  it('a file dataset: basename and content hash, which change with the content', () => {
    const spec: DatasetSpec = {
      kind: 'sharegpt',
      path: '/data/sharegpt.json',
      outputLen: 128,
      useReferenceOutputLen: true,
      filters: DEFAULT_SHAREGPT_FILTERS,
      withReplacement: false,
    };
    const text = '[{"conversations":[{"from":"human","value":"hello there"},{"from":"gpt","value":"hi"}]}]';
    const a = datasetIdentity(
      prepareDataset(spec, { kind: 'sharegpt', corpus: readShareGpt(text, 'sharegpt.json') }),
      {
        seed: 1,
        tokenizerName: 't',
      },
    );
    expect(a.path_basename).toBe('sharegpt.json');
    expect(a.format).toBe('json-array');
    expect(a.entries).toBe(1);
    expect(a.params.output_len).toBe('reference');
    const b = datasetIdentity(
      prepareDataset(spec, {
        kind: 'sharegpt',
        corpus: readShareGpt(text.replace('hello', 'hallo'), 'sharegpt.json'),
      }),
      { seed: 1, tokenizerName: 't' },
    );
    expect(b.content_sha256).not.toBe(a.content_sha256);
    const jsonl = datasetIdentity(
      prepareDataset(
        { kind: 'jsonl', path: 'r.jsonl', outputLen: 8 },
        { kind: 'jsonl', file: readJsonlRequests('{"prompt":"x","timestamp_ms":0}', 'r.jsonl') },
      ),
      { seed: 1, tokenizerName: 't' },
    );
    expect(jsonl).toMatchObject({
      name: 'jsonl',
      format: 'jsonl-timed',
      entries: 1,
      path_basename: 'r.jsonl',
    });
  });

  it('a file dataset prepared without its file is a bug, not a user error', () => {
    try {
      prepareDataset({ kind: 'jsonl', path: 'r.jsonl', outputLen: 8 });
    } catch (e) {
      expect(isGoodputError(e, 'INTERNAL')).toBe(true);
      return;
    }
    throw new Error('expected an INTERNAL error');
  });
});
