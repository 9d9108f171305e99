// The built-in offline tokenizer: gpt-tokenizer's o200k_base BPE, bundled through npm, so prompts
// can be built and counted with no network and no model files. Decoding is done here from the
// same rank table, statelessly: gpt-tokenizer's own decode() shares one streaming TextDecoder
// across calls, so a call that ends inside a UTF-8 character leaks those bytes into the NEXT call's
// text (the same ids decoded twice could differ), which would break same-seed-same-prompts.

import bpeRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { decode as decodeSpecial, encode } from 'gpt-tokenizer/encoding/o200k_base';
import { GoodputError } from '../core/errors.js';
import type { Tokenizer } from '../core/tokenizer.js';

/** o200k_base has 199 998 mergeable ranks below its special tokens. */
const O200K_BASE_VOCAB = 199_998;

const utf8Encoder = new TextEncoder();
/** Not streaming: every decode() is complete on its own; invalid UTF-8 becomes U+FFFD. */
const utf8Decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true });
/** id → bytes, filled on first use */
const tokenBytes: (Uint8Array | undefined)[] = [];

function bytesOf(id: number): Uint8Array {
  const cached = tokenBytes[id];
  if (cached) return cached;
  const rank = Number.isInteger(id) && id >= 0 ? bpeRanks[id] : undefined;
  let bytes: Uint8Array;
  if (rank !== undefined) {
    bytes = typeof rank === 'string' ? utf8Encoder.encode(rank) : Uint8Array.from(rank);
  } else {
    // A special token (<|endoftext|> …): gpt-tokenizer returns it as a whole string, which never
    // goes through its shared streaming decoder.
    let text: string;
    try {
      text = decodeSpecial([id]);
    } catch (e) {
      throw new GoodputError('TOKENIZER', `token id ${id} is not in o200k_base`, { cause: e });
    }
    bytes = utf8Encoder.encode(text);
  }
  tokenBytes[id] = bytes;
  return bytes;
}

function decodeIds(ids: readonly number[]): string {
  if (ids.length === 0) return '';
  const parts = ids.map(bytesOf);
  let size = 0;
  for (const p of parts) size += p.length;
  const all = new Uint8Array(size);
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return utf8Decoder.decode(all);
}

export function defaultTokenizer(): Tokenizer {
  return {
    name: 'gpt-tokenizer:o200k_base',
    vocabSize: O200K_BASE_VOCAB,
    encode: (text) => encode(text, { disallowedSpecial: new Set() }),
    decode: decodeIds,
    count: (text) => encode(text, { disallowedSpecial: new Set() }).length,
  };
}
