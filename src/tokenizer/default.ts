// The built-in offline tokenizer: gpt-tokenizer's o200k_base BPE, bundled through npm, so prompts
// can be built and counted with no network and no model files.

import { decode, encode } from 'gpt-tokenizer/encoding/o200k_base';
import type { Tokenizer } from '../core/tokenizer.js';

/** o200k_base has 199 998 mergeable ranks below its special tokens. */
const O200K_BASE_VOCAB = 199_998;

export function defaultTokenizer(): Tokenizer {
  return {
    name: 'gpt-tokenizer:o200k_base',
    vocabSize: O200K_BASE_VOCAB,
    encode: (text) => encode(text, { disallowedSpecial: new Set() }),
    decode: (ids) => decode(ids as number[]),
    count: (text) => encode(text, { disallowedSpecial: new Set() }).length,
  };
}
