import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BuildContext,
  buildDataset,
  openDatasetReader,
  prepareDataset,
} from '../../../src/core/dataset/build-dataset.js';
import {
  DEFAULT_SHAREGPT_FILTERS,
  type ShareGptDatasetSpec,
} from '../../../src/core/dataset/dataset-spec.js';
import { conversationOf, readShareGpt, ShareGptReader } from '../../../src/core/dataset/sharegpt-source.js';
import { isGoodputError } from '../../../src/core/errors.js';
import { defaultTokenizer } from '../../../src/tokenizer/default.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'datasets');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const tokenizer = defaultTokenizer();

const spec = (over: Partial<ShareGptDatasetSpec> = {}): ShareGptDatasetSpec => ({
  kind: 'sharegpt',
  path: 'x',
  outputLen: 128,
  useReferenceOutputLen: false,
  filters: DEFAULT_SHAREGPT_FILTERS,
  withReplacement: false,
  ...over,
});
const ctx = (over: Partial<BuildContext> = {}): BuildContext => ({
  tokenizer,
  seed: 1,
  cellKey: 'closed:c=1',
  repeat: 1,
  numPrompts: 3,
  warmupPrompts: 1,
  ...over,
});

function prepare(name: string, s: ShareGptDatasetSpec = spec()) {
  const reader = openDatasetReader(s, name);
  if (!reader) throw new Error('sharegpt has a reader');
  reader.push(read(name));
  return prepareDataset(s, reader.finish());
}

function thrown(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  throw new Error('expected a throw');
}

describe('reading ShareGPT files', () => {
  it('reads the standard JSON array, with human/gpt, user/assistant, system-first and role/content turns', () => {
    const corpus = readShareGpt(read('sharegpt-array.json'), 'sharegpt-array.json');
    expect(corpus.format).toBe('json-array');
    expect(corpus.entries).toBe(8);
    // conv-3 (short prompt) and conv-6 (no reply) are kept here; the length filters judge them later.
    expect(corpus.conversations.map((c) => c.prompt.slice(0, 12))).toEqual([
      'Explain in t',
      'Write a haik',
      'List three p',
      'Hi',
      'This questio',
      "Translate 'g",
    ]);
    expect(corpus.conversations[1]?.reply).toMatch(/^Warm keys hum/);
    expect(corpus.conversations[4]?.reply).toBeUndefined();
    expect(corpus.conversations[0]?.ref).toBe('sharegpt-array.json#0 (line 2)');
    expect(Object.fromEntries(corpus.rejected.counts)).toEqual({
      'no user turn (roles: gpt)': 1,
      'empty prompt': 1,
    });
    expect(corpus.contentSha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads JSONL, skipping a broken line with its line number', () => {
    const corpus = readShareGpt(read('sharegpt.jsonl'), 'sharegpt.jsonl');
    expect(corpus.format).toBe('jsonl');
    expect(corpus.conversations).toHaveLength(6);
    expect(corpus.rejected.examples[0]).toEqual({
      ref: 'sharegpt.jsonl:4',
      reason: expect.stringMatching(/^not valid JSON/),
    });
    expect(corpus.conversations.map((c) => c.ref)).toEqual([
      'sharegpt.jsonl:1',
      'sharegpt.jsonl:2',
      'sharegpt.jsonl:3',
      'sharegpt.jsonl:5',
      'sharegpt.jsonl:9',
      'sharegpt.jsonl:10',
    ]);
  });

  it('gives the same corpus whatever the chunk boundaries (the file is streamed)', () => {
    for (const name of ['sharegpt-array.json', 'sharegpt.jsonl']) {
      const text = read(name);
      const whole = readShareGpt(text, name);
      fc.assert(
        fc.property(fc.array(fc.integer({ min: 0, max: text.length }), { maxLength: 12 }), (cuts) => {
          const reader = new ShareGptReader(name);
          let at = 0;
          for (const cut of [...cuts].sort((a, b) => a - b)) {
            reader.push(text.slice(at, cut));
            at = cut;
          }
          reader.push(text.slice(at));
          const got = reader.finish();
          expect(got.conversations).toEqual(whole.conversations);
          expect(got.contentSha256).toBe(whole.contentSha256);
        }),
        { numRuns: 60 },
      );
    }
  });

  it('a file with no usable conversation is a DATASET error with counts, first reasons and line numbers', () => {
    const err = thrown(() => readShareGpt(read('sharegpt-unusable.json'), 'sharegpt-unusable.json'));
    expect(isGoodputError(err, 'DATASET')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('no usable conversation in 5 entries');
    expect(msg).toContain('sharegpt-unusable.json#0 (line 2): no user turn (roles: bot)');
    expect(msg).toContain('sharegpt-unusable.json#1 (line 3): no turns');
    expect(msg).toContain('sharegpt-unusable.json#2 (line 4): no "conversations" array');
    expect(msg).toContain('sharegpt-unusable.json#3 (line 5): not a JSON object');
    expect(msg).toContain('sharegpt-unusable.json#4 (line 6): empty prompt');
    expect((err as { hint: string }).hint).toContain('"from":"human"');
  });

  it('a truncated array names the entry and line where it stops; an empty file says so', () => {
    const truncated = thrown(() => readShareGpt(read('sharegpt-truncated.txt'), 'sharegpt-truncated.txt'));
    expect(isGoodputError(truncated, 'INPUT_TRUNCATED')).toBe(true);
    expect((truncated as Error).message).toBe(
      'sharegpt-truncated.txt:3: the file ends inside entry 1 (which starts on line 3)',
    );
    expect(
      isGoodputError(
        thrown(() => readShareGpt(' \n\n', 'empty.json')),
        'INPUT_EMPTY',
      ),
    ).toBe(true);
    const garbage = thrown(() => readShareGpt('[{"conversations": []} {"x": 1}]', 'two.json'));
    expect((garbage as Error).message).toBe('two.json:1: expected "," or "]" after entry 0');
    const after = thrown(() => readShareGpt('[]\n]', 'after.json'));
    expect((after as Error).message).toBe('after.json:2: unexpected "]" after the end of the array');
  });

  it.each([
    [
      { input: 'ferrum style prompt', output: 'reply' },
      { prompt: 'ferrum style prompt', reply: 'reply' },
    ],
    [{ conversations: [{ from: 'USER', value: 'case-insensitive' }] }, { prompt: 'case-insensitive' }],
    [
      {
        conversations: [
          {
            role: 'user',
            content: [
              { type: 'text', text: 'a' },
              { type: 'text', text: 'b' },
            ],
          },
        ],
      },
      { prompt: 'a\nb' },
    ],
    [{ conversations: 'nope' }, { reason: '"conversations" is not an array' }],
  ])('entry %j → %j', (entry, expected) => {
    expect(conversationOf(entry)).toEqual(expected);
  });
});

describe('sampling ShareGPT prompts', () => {
  it('applies vLLM length filters by default: the 1-token prompt and the reply-less one are out', async () => {
    const built = await buildDataset(
      prepare('sharegpt-array.json'),
      ctx({ numPrompts: 4, warmupPrompts: 0 }),
    );
    const prompts = built.measured.map((p) => p.prompt as string);
    expect(new Set(prompts).size).toBe(4);
    expect(prompts).not.toContain('Hi');
    expect(prompts.some((p) => p.startsWith('This question never'))).toBe(false);
    for (const p of built.measured) {
      expect(p.inputTokens).toBe(tokenizer.count(p.prompt as string));
      expect(p.maxTokens).toBe(128);
      expect(p.sourceRef).toMatch(/^sharegpt-array\.json#\d \(line \d+\)$/);
    }
    expect(built.warnings).toEqual([]);
  });

  it('samples without replacement: measured and warmup are distinct while the file lasts', async () => {
    const built = await buildDataset(
      prepare('sharegpt-array.json'),
      ctx({ numPrompts: 3, warmupPrompts: 1 }),
    );
    const all = [...built.measured, ...built.warmup].map((p) => p.prompt);
    expect(new Set(all).size).toBe(4);
  });

  it('asks for more than the file has → the rest with replacement, and a warning that says so', async () => {
    const built = await buildDataset(
      prepare('sharegpt-array.json'),
      ctx({ numPrompts: 8, warmupPrompts: 2 }),
    );
    expect(built.measured).toHaveLength(8);
    expect(built.warmup).toHaveLength(2);
    expect(new Set([...built.measured, ...built.warmup].map((p) => p.prompt)).size).toBe(4);
    expect(built.warnings).toEqual([
      'sharegpt-array.json: only 4 usable conversations for 10 requests (measured + warmup): the other 6 were sampled with replacement',
    ]);
  });

  it('--sampling with-replacement draws independently', async () => {
    const built = await buildDataset(
      prepare('sharegpt.jsonl', spec({ withReplacement: true })),
      ctx({ numPrompts: 40, warmupPrompts: 0 }),
    );
    const distinct = new Set(built.measured.map((p) => p.prompt));
    expect(distinct.size).toBe(4); // all four usable conversations appear among 40 draws
    expect(built.warnings).toEqual([]);
  });

  it('uses the reference reply length as max_tokens when asked', async () => {
    const built = await buildDataset(
      prepare('sharegpt-array.json', spec({ useReferenceOutputLen: true })),
      ctx({ numPrompts: 4, warmupPrompts: 0 }),
    );
    const corpus = readShareGpt(read('sharegpt-array.json'), 'sharegpt-array.json');
    for (const p of built.measured) {
      const conv = corpus.conversations.find((c) => c.prompt === p.prompt);
      expect(p.maxTokens).toBe(tokenizer.count(conv?.reply as string));
    }
  });

  it('relaxed filters let short prompts and reply-less conversations in', async () => {
    const relaxed = spec({
      filters: { minPromptTokens: 1, minOutputTokens: 0, maxPromptTokens: 1024, maxTotalTokens: 2048 },
    });
    const built = await buildDataset(
      prepare('sharegpt-array.json', relaxed),
      ctx({ numPrompts: 6, warmupPrompts: 0 }),
    );
    expect(new Set(built.measured.map((p) => p.prompt)).size).toBe(6);
  });

  it('filters that reject everything are a DATASET error listing why, per conversation', async () => {
    const strict = spec({ filters: { ...DEFAULT_SHAREGPT_FILTERS, maxPromptTokens: 5 } });
    const err = await buildDataset(prepare('sharegpt-array.json', strict), ctx()).catch((e: unknown) => e);
    expect(isGoodputError(err, 'DATASET')).toBe(true);
    const msg = (err as Error).message;
    expect(msg).toContain('no conversation passes the length filters (8 entries)');
    expect(msg).toContain('prompt over --sharegpt-max-prompt-len 5');
    expect(msg).toContain('prompt under --sharegpt-min-prompt-len 4');
    expect(msg).toContain('no assistant reply after the first user turn');
    expect(msg).toContain('sharegpt-array.json#4 (line 48): no user turn (roles: gpt)');
  });

  it('is reproducible per (seed, cell, repeat) and varies across repeats', async () => {
    const prepared = prepare('sharegpt-array.json');
    const order = async (repeat: number, seed = 1) =>
      (await buildDataset(prepared, ctx({ repeat, seed, numPrompts: 4, warmupPrompts: 0 }))).measured.map(
        (p) => p.sourceRef,
      );
    expect(await order(1)).toEqual(await order(1));
    const orders = new Set<string>();
    for (let r = 1; r <= 6; r++) orders.add((await order(r)).join());
    expect(orders.size).toBeGreaterThan(1);
  });
});
