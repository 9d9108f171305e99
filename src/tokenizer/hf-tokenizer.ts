// A Hugging Face `tokenizer.json` (the served model's own tokenizer, `--tokenizer PATH`), loaded with
// @huggingface/tokenizers: encodes without special tokens, decodes without skipping them and
// without "clean up" of spaces (so decode → encode round-trips as in the Rust crate, ferrum §8.6).
// The base vocabulary excludes added tokens; added tokens inside it are never drawn at random.

import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Tokenizer as HfTokenizer } from '@huggingface/tokenizers';
import { GoodputError } from '../core/errors.js';
import { describeJsonSyntaxError } from '../core/schema/json-syntax.js';
import type { Tokenizer } from '../core/tokenizer.js';

/** what --tokenizer accepts, the hint of every error about the file it names */
const TOKENIZER_FORMS =
  '--tokenizer takes a tokenizer.json file, a directory containing one, `default` or `server`';

interface TokenizerJson {
  model?: { type?: string; vocab?: unknown };
  added_tokens?: { id?: unknown; content?: unknown; special?: unknown }[];
}

/** Size of the model's own vocabulary (max id + 1), without added tokens beyond it. */
function baseVocabSize(json: TokenizerJson, path: string): number {
  const vocab = json.model?.vocab;
  let maxId = -1;
  if (Array.isArray(vocab)) {
    maxId = vocab.length - 1; // Unigram: [[piece, score], …], id = position
  } else if (vocab && typeof vocab === 'object') {
    for (const id of Object.values(vocab as Record<string, unknown>)) {
      if (typeof id === 'number' && id > maxId) maxId = id;
    }
  }
  if (maxId < 0) {
    throw new GoodputError('TOKENIZER', `${path}: model.vocab is missing or empty`, {
      hint: 'pass the tokenizer.json of a Hugging Face model (BPE, WordPiece, WordLevel or Unigram)',
    });
  }
  return maxId + 1;
}

async function readJson(path: string, what: string): Promise<{ json: unknown; text: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (e) {
    throw new GoodputError('TOKENIZER', `cannot read ${what} ${path}: ${(e as Error).message}`, {
      hint: TOKENIZER_FORMS,
      cause: e,
    });
  }
  try {
    return { json: JSON.parse(text), text };
  } catch (e) {
    // where it breaks, and whether the file was cut short (an interrupted download)
    throw new GoodputError('TOKENIZER', describeJsonSyntaxError(`${what} ${path}`, text, e), {
      hint: TOKENIZER_FORMS,
      cause: e,
    });
  }
}

/** Where the tokenizer.json is: `path` itself, or `path/tokenizer.json` for a directory. */
async function resolveTokenizerFile(path: string): Promise<string> {
  try {
    return (await stat(path)).isDirectory() ? join(path, 'tokenizer.json') : path;
  } catch (e) {
    throw new GoodputError('TOKENIZER', `tokenizer ${path} does not exist`, {
      hint: TOKENIZER_FORMS,
      cause: e,
    });
  }
}

/** Loads a Hugging Face tokenizer from a tokenizer.json file or a directory holding one. */
export async function loadHfTokenizer(path: string): Promise<Tokenizer> {
  const file = await resolveTokenizerFile(path);
  const { json, text } = await readJson(file, 'tokenizer');
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new GoodputError('TOKENIZER', `${file} is not a tokenizer.json (expected a JSON object)`);
  }
  const tj = json as TokenizerJson;
  const vocabSize = baseVocabSize(tj, file);
  // tokenizer_config.json beside it carries options such as clean_up_tokenization_spaces (optional).
  const configPath = join(dirname(file), 'tokenizer_config.json');
  let config: object = {};
  const hasConfig = await stat(configPath).then(
    (s) => s.isFile(),
    () => false,
  );
  if (hasConfig) {
    const got = (await readJson(configPath, 'tokenizer config')).json;
    if (got && typeof got === 'object') config = got;
  }
  let hf: HfTokenizer;
  try {
    hf = new HfTokenizer(tj, config);
  } catch (e) {
    throw new GoodputError(
      'TOKENIZER',
      `${file}: @huggingface/tokenizers cannot load it: ${(e as Error).message}`,
      {
        hint: 'use --tokenizer default, or --tokenizer server if the target has /tokenize',
        cause: e,
      },
    );
  }
  const specialIds = (tj.added_tokens ?? [])
    .map((t) => t.id)
    .filter((id): id is number => typeof id === 'number' && id < vocabSize)
    .sort((a, b) => a - b);
  const sha = createHash('sha256').update(text).digest('hex').slice(0, 16);
  const encode = (t: string): number[] => hf.encode(t, { add_special_tokens: false }).ids;
  return {
    name: `hf:${basename(dirname(file))}/${basename(file)}@sha256:${sha}`,
    vocabSize,
    specialIds,
    encode,
    decode: (ids) =>
      ids.length === 0
        ? ''
        : hf.decode(ids as number[], { skip_special_tokens: false, clean_up_tokenization_spaces: false }),
    count: (t) => (t === '' ? 0 : encode(t).length),
  };
}
