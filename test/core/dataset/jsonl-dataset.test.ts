import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  type BuildContext,
  buildDataset,
  openDatasetReader,
  prepareDataset,
} from '../../../src/core/dataset/build-dataset.js';
import type { JsonlDatasetSpec } from '../../../src/core/dataset/dataset-spec.js';
import {
  JsonlRequestReader,
  jsonlRequestOf,
  readJsonlRequests,
} from '../../../src/core/dataset/jsonl-source.js';
import { isGoodputError } from '../../../src/core/errors.js';
import { defaultTokenizer } from '../../../src/tokenizer/default.js';

const fixtures = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures', 'datasets');
const read = (name: string) => readFileSync(join(fixtures, name), 'utf8');
const tokenizer = defaultTokenizer();
const spec: JsonlDatasetSpec = { kind: 'jsonl', path: 'x', outputLen: 32 };
const ctx = (over: Partial<BuildContext> = {}): BuildContext => ({
  tokenizer,
  seed: 1,
  cellKey: 'closed:c=1',
  repeat: 1,
  numPrompts: 4,
  warmupPrompts: 0,
  ...over,
});

function prepare(name: string) {
  const reader = openDatasetReader(spec, name);
  reader?.push(read(name));
  return prepareDataset(spec, reader?.finish());
}

function thrown(f: () => unknown): Error {
  try {
    f();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected a throw');
}

describe('reading a JSONL request file', () => {
  it('reads prompt and messages lines (text parts joined), skips blank lines, ignores unknown keys', () => {
    const file = readJsonlRequests(read('requests.jsonl'), 'requests.jsonl');
    expect(file.timed).toBe(false);
    expect(file.requests).toEqual([
      { prompt: 'Summarise the plot of Hamlet in one paragraph.', maxTokens: 96, line: 1 },
      {
        messages: [
          { role: 'system', content: 'You answer in French.' },
          { role: 'user', content: 'What is the capital of Japan?' },
        ],
        line: 2,
      },
      { prompt: 'Write a limerick about benchmarking inference servers.', maxTokens: 64, line: 3 },
      { messages: [{ role: 'user', content: 'Describe a sunset\nin five words.' }], maxTokens: 16, line: 5 },
    ]);
  });

  it('reports EVERY bad line with its number and reason in one DATASET error', () => {
    const err = thrown(() => readJsonlRequests(read('requests-broken.jsonl'), 'requests-broken.jsonl'));
    expect(isGoodputError(err, 'DATASET')).toBe(true);
    const lines = err.message.split('\n');
    expect(lines[0]).toBe('requests-broken.jsonl: 7 bad lines:');
    expect(lines.slice(1).map((l) => l.trim().replace(/ \(.*\)$/, ''))).toEqual([
      'requests-broken.jsonl:2: not valid JSON',
      'requests-broken.jsonl:3: needs exactly one of "prompt" or "messages"',
      'requests-broken.jsonl:4: needs exactly one of "prompt" or "messages"',
      'requests-broken.jsonl:5: "max_tokens" must be a positive integer, got 0',
      'requests-broken.jsonl:6: messages[0].role must be one of system, user, assistant, tool, got "robot"',
      'requests-broken.jsonl:7: expected a JSON object',
      'requests-broken.jsonl:9: messages[0].content[0] must be {"type":"text","text":"…"}',
    ]);
  });

  it('caps the list of bad lines and says how many more there are', () => {
    const text = Array.from({ length: 30 }, (_, i) => `{"bad": ${i}}`).join('\n');
    const reader = new JsonlRequestReader('many.jsonl', 5);
    reader.push(text);
    const err = thrown(() => reader.finish());
    expect(err.message).toMatch(/^many\.jsonl: 30 bad lines:/);
    expect(err.message).toContain('many.jsonl:5: needs exactly one');
    expect(err.message).not.toContain('many.jsonl:6:');
    expect(err.message).toMatch(/… and 25 more$/);
  });

  it('checks replay timestamps: on every line, never going back', () => {
    expect(readJsonlRequests(read('requests-timed.jsonl'), 't.jsonl').timed).toBe(true);
    const mixed = thrown(() =>
      readJsonlRequests(
        '{"prompt":"a","timestamp_ms":0}\n{"prompt":"b"}\n{"prompt":"c","timestamp_ms":5}\n',
        'm.jsonl',
      ),
    );
    expect(mixed.message).toContain('m.jsonl:2: "timestamp_ms" is missing here but present on 2 other lines');
    const back = thrown(() =>
      readJsonlRequests('{"prompt":"a","timestamp_ms":10}\n{"prompt":"b","timestamp_ms":3}\n', 'b.jsonl'),
    );
    expect(back.message).toContain('b.jsonl:2: "timestamp_ms" 3 goes back in time (line 1 has 10)');
  });

  it('an empty file is INPUT_EMPTY; \\r\\n line ends and a missing final newline are fine', () => {
    expect(
      isGoodputError(
        thrown(() => readJsonlRequests('\n  \n', 'e.jsonl')),
        'INPUT_EMPTY',
      ),
    ).toBe(true);
    const file = readJsonlRequests('{"prompt":"a"}\r\n{"prompt":"b"}', 'crlf.jsonl');
    expect(file.requests.map((r) => [r.prompt, r.line])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it.each([
    [{ prompt: '' }, '"prompt" must be a non-empty string'],
    [{ messages: [] }, '"messages" must be a non-empty list'],
    [{ prompt: 'x', timestamp_ms: -1 }, '"timestamp_ms" must be a finite number ≥ 0, got -1'],
    [{ prompt: 'x', max_tokens: 1.5 }, '"max_tokens" must be a positive integer, got 1.5'],
    [
      { messages: [{ role: 'user', content: 7 }] },
      'messages[0].content must be a string or a list of text parts',
    ],
  ])('%j → %s', (value, problem) => {
    expect(jsonlRequestOf(value, 1)).toBe(problem);
  });
});

describe('building prompts from a JSONL file', () => {
  it('keeps file order, counts every message, and defaults max_tokens to --random-output-len', async () => {
    const built = await buildDataset(prepare('requests.jsonl'), ctx({ numPrompts: 4 }));
    expect(built.warnings).toEqual([]);
    expect(built.measured.map((p) => p.sourceRef)).toEqual([
      'requests.jsonl:1',
      'requests.jsonl:2',
      'requests.jsonl:3',
      'requests.jsonl:5',
    ]);
    expect(built.measured.map((p) => p.maxTokens)).toEqual([96, 32, 64, 16]);
    const second = built.measured[1];
    expect(second?.prompt).toBeUndefined();
    expect(second?.inputTokens).toBe(
      tokenizer.count('You answer in French.') + tokenizer.count('What is the capital of Japan?'),
    );
    expect(built.measured[0]?.inputTokens).toBe(
      tokenizer.count('Summarise the plot of Hamlet in one paragraph.'),
    );
  });

  it('takes warmup from the lines after the measured ones, and reuses lines (with a warning) when short', async () => {
    const built = await buildDataset(prepare('requests.jsonl'), ctx({ numPrompts: 3, warmupPrompts: 2 }));
    expect(built.measured.map((p) => p.sourceRef)).toEqual([
      'requests.jsonl:1',
      'requests.jsonl:2',
      'requests.jsonl:3',
    ]);
    expect(built.warmup.map((p) => p.sourceRef)).toEqual(['requests.jsonl:5', 'requests.jsonl:1']);
    expect(built.warnings).toEqual([
      'requests.jsonl has 4 requests for 3 measured + 2 warmup: lines are reused in file order',
    ]);
  });

  it('replays timestamps relative to the first line; warmup carries none; a timed file is never cycled', async () => {
    const prepared = prepare('requests-timed.jsonl');
    expect(prepared.entryCount).toBe(4);
    const built = await buildDataset(prepared, ctx({ numPrompts: 4, warmupPrompts: 1 }));
    expect(built.measured.map((p) => p.timestampMs)).toEqual([0, 250, 250, 1250]);
    expect(built.measured.map((p) => p.maxTokens)).toEqual([32, 8, 32, 32]);
    expect(built.warmup[0]?.timestampMs).toBeUndefined();
    const err = await buildDataset(prepared, ctx({ numPrompts: 5 })).catch((e: unknown) => e);
    expect(isGoodputError(err, 'USAGE')).toBe(true);
    expect((err as { hint: string }).hint).toBe('use --num-prompts 4 or less');
  });
});
