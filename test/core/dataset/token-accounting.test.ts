import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountInputTokens,
  accountOutputTokens,
  countsDisagree,
  DEFAULT_MISMATCH_THRESHOLD,
  inputTokenizerAgreement,
  outputObservationOf,
  summarizeTokenProvenance,
} from '../../../src/core/dataset/token-accounting.js';
import type { Tokenizer } from '../../../src/core/tokenizer.js';
import { defaultTokenizer } from '../../../src/tokenizer/default.js';
import { loadHfTokenizer } from '../../../src/tokenizer/hf-tokenizer.js';
import { writeGpt2TokenizerJson } from '../../tokenizer/gpt2-tokenizer-json.js';

let dir: string;
let gpt2: Tokenizer;
const o200k = defaultTokenizer();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goodput-tokens-'));
  gpt2 = await loadHfTokenizer(await writeGpt2TokenizerJson(dir));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('countsDisagree: |a − b| > max(absolute, relative · max(a, b))', () => {
  it.each([
    [100, 100, false],
    [100, 110, false], // 10 ≤ 11
    [100, 112, true], // 12 > 11.2
    [3, 5, false], // 2 ≤ max(2, 0.5)
    [3, 6, true], // 3 > 2
    [0, 0, false],
  ])('%i vs %i → %s', (a, b, disagree) => {
    expect(countsDisagree(a, b)).toBe(disagree);
    expect(countsDisagree(b, a)).toBe(disagree);
  });
});

describe('output token accounting', () => {
  it.each([
    [{ usageOutputTokens: 50, outputEvents: 48 }, {}, { outputTokens: 50, source: 'usage', mismatch: false }],
    [{ usageOutputTokens: 0, outputEvents: 3 }, {}, { outputTokens: 0, source: 'usage', mismatch: false }],
    [{ outputEvents: 17 }, {}, { outputTokens: 17, source: 'stream_chunks', mismatch: false }],
    [{ outputEvents: 0 }, {}, { outputTokens: 0, source: 'none', mismatch: false }],
    [
      { outputEvents: 17, clientOutputTokens: 40 },
      { fallback: 'client_tokenizer' as const },
      { outputTokens: 40, source: 'client_tokenizer', mismatch: false },
    ],
    [
      { outputEvents: 17, clientOutputTokens: 40 },
      { fallback: 'stream_chunks' as const },
      { outputTokens: 17, source: 'stream_chunks', mismatch: false },
    ],
    [
      { usageOutputTokens: 100, outputEvents: 100, clientOutputTokens: 150 },
      {},
      { outputTokens: 100, source: 'usage', mismatch: true },
    ],
  ])('%j with %j → %j', (obs, options, expected) => {
    expect(accountOutputTokens(obs, options)).toEqual(expected);
  });

  it('reads a request record: usage, event count and the client count when present', () => {
    expect(
      outputObservationOf({ event_ms: [1, 2, 3], usage_output_tokens: 4, client_output_tokens: 5 }),
    ).toEqual({
      outputEvents: 3,
      usageOutputTokens: 4,
      clientOutputTokens: 5,
    });
    expect(outputObservationOf({ event_ms: [] })).toEqual({ outputEvents: 0 });
  });

  it('never falls back to the requested max_tokens: without usage or events the count is 0, source none', () => {
    // The observation type has no max_tokens field at all; a silent stream counts as nothing.
    const got = accountOutputTokens({ outputEvents: 0 }, { fallback: 'client_tokenizer' });
    expect(got).toEqual({ outputTokens: 0, source: 'none', mismatch: false });
  });

  it('flags a deliberate tokenizer mismatch: server usage by GPT-2, client re-tokenising with o200k', () => {
    const streamed = [
      'Voici une réponse en français, avec des accents : élève, œuvre, garçon, où, déjà.',
      '日本語の応答です。トークナイザーが違うと数も違います。',
      'fn main() { let xs: Vec<u64> = (0..100).map(|x| x * x).collect(); println!("{:?}", xs); }',
    ].join('\n');
    const server = gpt2.count(streamed);
    const client = o200k.count(streamed);
    expect(Math.abs(server - client) / Math.max(server, client)).toBeGreaterThan(0.2);
    expect(
      accountOutputTokens({ usageOutputTokens: server, outputEvents: server, clientOutputTokens: client })
        .mismatch,
    ).toBe(true);
    // The same tokenizer on both sides agrees exactly.
    expect(
      accountOutputTokens({
        usageOutputTokens: client,
        outputEvents: client,
        clientOutputTokens: o200k.count(streamed),
      }).mismatch,
    ).toBe(false);
  });
});

describe('input token accounting (raw vs served prompt length)', () => {
  it('completions: raw and served count the same text, so a difference is a mismatch', () => {
    expect(accountInputTokens({ clientInputTokens: 100, serverInputTokens: 101 }, 'completions')).toEqual({
      rawTokens: 100,
      servedTokens: 101,
      templateOverheadTokens: 1,
      mismatch: false,
    });
    expect(
      accountInputTokens({ clientInputTokens: 100, serverInputTokens: 130 }, 'completions').mismatch,
    ).toBe(true);
  });

  it('chat: the template adds tokens, so one request never counts as a mismatch; both lengths are kept', () => {
    expect(accountInputTokens({ clientInputTokens: 100, serverInputTokens: 130 }, 'chat')).toEqual({
      rawTokens: 100,
      servedTokens: 130,
      templateOverheadTokens: 30,
      mismatch: false,
    });
    expect(accountInputTokens({ clientInputTokens: 100 }, 'chat')).toEqual({
      rawTokens: 100,
      mismatch: false,
    });
  });

  const prompts = [
    'Short question?',
    'Une question un peu plus longue, en français, avec des accents : à, é, è, ù.',
    'プロンプトの長さが変わると、トークナイザーの違いがはっきり見えます。',
    'A much longer English prompt that goes on for a while, describing the benchmark setup in detail, '.repeat(
      4,
    ),
    '這是一個中文提示，用來測試不同分詞器之間的差異。'.repeat(3),
  ];

  it('across requests: the same tokenizer + a fixed chat template → slope 1, agree', () => {
    const pairs = prompts.map((p) => ({ rawTokens: o200k.count(p), servedTokens: o200k.count(p) + 9 }));
    const got = inputTokenizerAgreement(pairs);
    expect(got.verdict).toBe('agree');
    expect(got.slope).toBeCloseTo(1, 12);
    expect(got.medianOverheadTokens).toBe(9);
  });

  it('across requests: a different server tokenizer (GPT-2) under the template → mismatch', () => {
    const pairs = prompts.map((p) => ({ rawTokens: o200k.count(p), servedTokens: gpt2.count(p) + 9 }));
    const got = inputTokenizerAgreement(pairs);
    expect(got.verdict).toBe('mismatch');
    expect(got.slope).toBeGreaterThan(1 + DEFAULT_MISMATCH_THRESHOLD.relative);
    expect(got.reason).toMatch(/not the server's/);
  });

  it('fixed-length prompts cannot tell a template from a tokenizer difference: not assessable', () => {
    expect(
      inputTokenizerAgreement([
        { rawTokens: 256, servedTokens: 300 },
        { rawTokens: 256, servedTokens: 300 },
      ]),
    ).toEqual({
      pairs: 2,
      medianOverheadTokens: 44,
      verdict: 'not_assessable',
      reason:
        'every prompt has the same raw length, so a template cannot be told from a tokenizer difference',
    });
    expect(inputTokenizerAgreement([]).verdict).toBe('not_assessable');
  });
});

describe('token provenance summary (goodput.tokens)', () => {
  it('counts requests per source, mismatches, and mean raw vs served prompt lengths', () => {
    const outputs = [
      accountOutputTokens({ usageOutputTokens: 10, outputEvents: 10 }),
      accountOutputTokens({ usageOutputTokens: 10, outputEvents: 10, clientOutputTokens: 30 }),
      accountOutputTokens({ outputEvents: 4 }),
      accountOutputTokens({ outputEvents: 0 }),
    ];
    const inputs = [
      { clientInputTokens: 100, serverInputTokens: 110 },
      { clientInputTokens: 200, serverInputTokens: 212 },
      { clientInputTokens: 300 },
    ];
    expect(summarizeTokenProvenance(outputs, inputs, 'gpt-tokenizer:o200k_base')).toEqual({
      output_sources: { none: 1, stream_chunks: 1, usage: 2 },
      mismatched_requests: 1,
      mismatch_threshold: 0.1,
      input_tokens_client_mean: 200,
      input_tokens_server_mean: 161,
      tokenizer: 'gpt-tokenizer:o200k_base',
    });
  });
});
