// Writes a tiny random-weight llama GGUF to disk (`goodput make-tiny-gguf`): reads the optional
// tokenizer.json, builds the model in memory (a few hundred KB with the built-in vocabulary) and
// writes it atomically.

import { readFile } from 'node:fs/promises';
import { GoodputError } from '../../core/errors.js';
import { writeFileAtomic } from '../../output/atomic-write.js';
import { buildTinyLlamaGguf, TINY_LLAMA_SHAPE, type TinyLlamaShape } from './tiny-llama.js';
import { builtinVocab, vocabFromTokenizerJson } from './tiny-vocab.js';

export interface MakeTinyGgufOptions {
  /** a Hugging Face tokenizer.json whose vocabulary the model uses; the built-in one when absent */
  readonly vocabPath?: string;
  /** weight seed, a non-negative safe integer */
  readonly seed: number;
}

export interface TinyGgufInfo {
  readonly path: string;
  readonly bytes: number;
  readonly vocabSize: number;
  readonly tokenizerModel: 'llama' | 'gpt2';
  readonly shape: TinyLlamaShape;
}

export async function makeTinyGguf(path: string, options: MakeTinyGgufOptions): Promise<TinyGgufInfo> {
  let vocab = builtinVocab();
  if (options.vocabPath !== undefined) {
    let text: string;
    try {
      text = await readFile(options.vocabPath, 'utf8');
    } catch (e) {
      throw new GoodputError(
        'INPUT_MISSING',
        `--vocab ${options.vocabPath}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`,
        {
          hint: 'pass the path of a Hugging Face tokenizer.json, or leave out --vocab',
        },
      );
    }
    vocab = vocabFromTokenizerJson(text, options.vocabPath);
  }
  const bytes = buildTinyLlamaGguf(vocab, options.seed);
  writeFileAtomic(path, bytes);
  return {
    path,
    bytes: bytes.length,
    vocabSize: vocab.tokens.length,
    tokenizerModel: vocab.model,
    shape: TINY_LLAMA_SHAPE,
  };
}
