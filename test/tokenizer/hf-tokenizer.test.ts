import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encode as r50kEncode } from 'gpt-tokenizer/encoding/r50k_base';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import type { Tokenizer } from '../../src/core/tokenizer.js';
import { loadHfTokenizer } from '../../src/tokenizer/hf-tokenizer.js';
import { loadTokenizer } from '../../src/tokenizer/load-tokenizer.js';
import { writeGpt2TokenizerJson } from './gpt2-tokenizer-json.js';

const here = dirname(fileURLToPath(import.meta.url));
const tinyLlamaDir = join(here, 'fixtures', 'tiny-llama');

let dir: string;
let gpt2Path: string;
let gpt2: Tokenizer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goodput-hf-'));
  gpt2Path = await writeGpt2TokenizerJson(dir);
  gpt2 = await loadHfTokenizer(gpt2Path);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function expectTokenizerError(p: Promise<unknown>, mustMention: string): Promise<void> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(isGoodputError(err, 'TOKENIZER')).toBe(true);
  expect((err as Error).message).toContain(mustMention);
}

describe('a real Hugging Face tokenizer.json (GPT-2, rebuilt from gpt-tokenizer r50k ranks)', () => {
  const texts = [
    'Hello World',
    '  multiple   spaces\n\nand newlines\r\n',
    "it's, I'll, we've — contractions",
    'ünïcödé 日本語のテキスト 🎉 emoji',
    'numbers 1234567 and 3.14159',
    'def f(x):\n    return x ** 2  # code',
  ];

  it.each(texts)('encodes %j exactly as the independent r50k_base encoder does, and round-trips', (text) => {
    const ids = gpt2.encode(text);
    expect(ids).toEqual(r50kEncode(text));
    expect(gpt2.decode(ids)).toBe(text);
    expect(gpt2.count(text)).toBe(ids.length);
  });

  it('reports the base vocabulary and keeps <|endoftext|> out of random draws', () => {
    expect(gpt2.vocabSize).toBe(50257);
    expect(gpt2.specialIds).toEqual([50256]);
    expect(gpt2.name).toMatch(/^hf:[^/]+\/tokenizer\.json@sha256:[0-9a-f]{16}$/);
  });

  it('adds no special tokens when encoding and skips none when decoding', () => {
    expect(gpt2.encode('')).toEqual([]);
    expect(gpt2.decode([])).toBe('');
    expect(gpt2.decode([15496, 50256])).toBe('Hello<|endoftext|>');
  });
});

describe('a tokenizer directory (Llama-style SentencePiece BPE with byte fallback, tokenizer_config.json beside it)', () => {
  it('loads from the directory, without BOS, and round-trips text with bytes outside its vocabulary', async () => {
    const tok = await loadHfTokenizer(tinyLlamaDir);
    const ids = tok.encode('the cat');
    expect(ids).not.toContain(1); // no <s>
    expect(tok.decode(ids)).toBe('the cat');
    expect(tok.decode(tok.encode('naïve 42'))).toBe('naïve 42'); // ï, 4, 2 go through <0x..> byte tokens
    expect(tok.vocabSize).toBe(308);
    expect(tok.specialIds).toEqual([0, 1, 2]);
    expect(tok.name).toMatch(/^hf:tiny-llama\/tokenizer\.json@sha256:/);
  });
});

describe('tokenizer errors name the path and say what to pass', () => {
  it('a path that does not exist', async () => {
    await expectTokenizerError(loadHfTokenizer(join(dir, 'nope', 'tokenizer.json')), join(dir, 'nope'));
  });

  it('a directory without tokenizer.json', async () => {
    const empty = join(dir, 'empty-model');
    await mkdir(empty);
    await expectTokenizerError(loadHfTokenizer(empty), join(empty, 'tokenizer.json'));
  });

  it('a file that is not JSON', async () => {
    const bad = join(dir, 'bad.json');
    await writeFile(bad, '{"model": ');
    // cut short (an interrupted download): says so, with the line and column where it ends
    await expectTokenizerError(
      loadHfTokenizer(bad),
      `tokenizer ${bad}:1:11 is not valid JSON (the file is cut short)`,
    );
    const notJson = join(dir, 'not-json.json');
    await writeFile(notJson, '{\n  "model": nope\n}');
    await expectTokenizerError(
      loadHfTokenizer(notJson),
      `tokenizer ${notJson}:2:13 is not valid JSON: unexpected 'o', expected null`,
    );
  });

  it('JSON without a model vocabulary', async () => {
    const novocab = join(dir, 'novocab.json');
    await writeFile(novocab, JSON.stringify({ model: { type: 'BPE' }, added_tokens: [] }));
    await expectTokenizerError(loadHfTokenizer(novocab), 'model.vocab is missing');
  });

  it('a broken tokenizer_config.json beside the tokenizer', async () => {
    const model = join(dir, 'bad-config');
    await mkdir(model);
    await writeFile(
      join(model, 'tokenizer.json'),
      JSON.stringify({ model: { type: 'WordLevel', vocab: { a: 0 } } }),
    );
    await writeFile(join(model, 'tokenizer_config.json'), '{oops');
    await expectTokenizerError(loadHfTokenizer(model), join(model, 'tokenizer_config.json'));
  });
});

describe('loadTokenizer', () => {
  it('"default" is the offline o200k tokenizer, with no server counter', async () => {
    const loaded = await loadTokenizer('default');
    expect(loaded.name).toBe('gpt-tokenizer:o200k_base');
    expect(loaded.countTokens).toBeUndefined();
    expect(loaded.tokenizer.count('Hello world')).toBe(2);
  });

  it('a path loads the Hugging Face tokenizer', async () => {
    const loaded = await loadTokenizer(gpt2Path);
    expect(loaded.name).toBe(gpt2.name);
    expect(loaded.tokenizer.encode('Hello World')).toEqual([15496, 2159]);
  });

  it('"server" without a target is a usage error', async () => {
    const err = await loadTokenizer('server').catch((e: unknown) => e);
    expect(isGoodputError(err, 'USAGE')).toBe(true);
    expect((err as Error).message).toContain('--tokenizer server');
  });
});
