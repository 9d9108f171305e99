// The vocabulary of a tiny GGUF model: the built-in SentencePiece-style ("llama") vocabulary, or
// one converted from a Hugging Face tokenizer.json (byte-level BPE → "gpt2", BPE with byte
// fallback or Unigram → "llama"), as the tokenizer.ggml.* metadata llama.cpp reads.

import { GoodputError } from '../../core/errors.js';

/** llama.cpp's `llama_token_type` values as stored in tokenizer.ggml.token_type. */
export const TOKEN_TYPE = { normal: 1, unknown: 2, control: 3, userDefined: 4, byte: 6 } as const;

export interface TinyVocab {
  /** tokenizer.ggml.model: "llama" (SentencePiece) or "gpt2" (byte-level BPE) */
  readonly model: 'llama' | 'gpt2';
  readonly tokens: readonly string[];
  readonly scores: readonly number[];
  readonly tokenTypes: readonly number[];
  /** BPE merges ("a b"), only for gpt2 */
  readonly merges: readonly string[];
  readonly bosId: number;
  readonly eosId: number;
  readonly unkId?: number;
  /** token ids the model must never emit (unknown, control): their output rows are zero */
  readonly specialIds: readonly number[];
}

/** SentencePiece's word-boundary marker, which stands for a space. */
const SPM_SPACE = '\u2581';

/** Common English words: every prefix of `▁word` becomes a token, so merges can reach the word. */
const BUILTIN_WORDS = [
  'the',
  'of',
  'and',
  'to',
  'in',
  'is',
  'that',
  'for',
  'it',
  'as',
  'with',
  'was',
  'on',
  'be',
  'by',
  'this',
  'are',
  'or',
  'an',
  'at',
  'from',
  'which',
  'not',
  'have',
  'has',
  'but',
  'can',
  'all',
  'explain',
  'theory',
  'relativity',
  'detail',
  'time',
  'space',
  'light',
  'speed',
  'energy',
  'mass',
  'model',
  'token',
  'bench',
  'hello',
  'world',
  'write',
  'story',
  'about',
  'what',
  'how',
  'why',
  'general',
  'special',
  'physics',
  'question',
  'answer',
  'please',
  'short',
  'long',
  'text',
];

/**
 * The built-in vocabulary: `<unk>`, `<s>`, `</s>`, the 256 byte tokens `<0x00>`…`<0xFF>` (so any
 * text tokenizes through byte fallback), printable ASCII, and the prefixes of common words.
 * Scores decrease with id, as SentencePiece log-probabilities do, so shorter pieces merge first.
 */
export function builtinVocab(): TinyVocab {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const tokenTypes: number[] = [TOKEN_TYPE.unknown, TOKEN_TYPE.control, TOKEN_TYPE.control];
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`);
    tokenTypes.push(TOKEN_TYPE.byte);
  }
  const seen = new Set(tokens);
  const addNormal = (piece: string): void => {
    if (seen.has(piece)) return;
    seen.add(piece);
    tokens.push(piece);
    tokenTypes.push(TOKEN_TYPE.normal);
  };
  addNormal(SPM_SPACE);
  for (let c = 33; c < 127; c++) addNormal(String.fromCharCode(c));
  for (const word of BUILTIN_WORDS) {
    const piece = SPM_SPACE + word;
    for (let end = 2; end <= piece.length; end++) addNormal(piece.slice(0, end));
  }
  const scores = tokens.map((_, id) => (tokenTypes[id] === TOKEN_TYPE.normal ? -id : 0));
  return {
    model: 'llama',
    tokens,
    scores,
    tokenTypes,
    merges: [],
    bosId: 1,
    eosId: 2,
    unkId: 0,
    specialIds: [0, 1, 2],
  };
}

interface HfAddedToken {
  id: number;
  content: string;
  special?: boolean;
}

function fail(path: string, what: string): never {
  throw new GoodputError('TOKENIZER', `${path}: ${what}`, {
    hint: 'pass a Hugging Face tokenizer.json with a BPE or Unigram model, or leave out --vocab for the built-in vocabulary',
  });
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Finds the bos/eos ids among the added tokens by their usual spellings. */
function specialId(added: readonly HfAddedToken[], names: readonly string[]): number | undefined {
  for (const name of names) {
    const hit = added.find((t) => t.content === name);
    if (hit) return hit.id;
  }
  return undefined;
}

const BOS_NAMES = ['<s>', '<|begin_of_text|>', '<|startoftext|>', '<bos>', '<|endoftext|>'];
const EOS_NAMES = ['</s>', '<|end_of_text|>', '<|endoftext|>', '<|im_end|>', '<eos>', '<|eot_id|>'];

/**
 * Converts the text of a Hugging Face tokenizer.json. `path` only names the file in errors.
 * Ids must be dense (0..n−1 across the model vocabulary and the added tokens).
 */
export function vocabFromTokenizerJson(text: string, path: string): TinyVocab {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    fail(path, `not JSON (${(e as Error).message})`);
  }
  if (!isRecord(doc) || !isRecord(doc.model)) fail(path, 'expected an object with a "model" object');
  const model = doc.model;
  const added: HfAddedToken[] = Array.isArray(doc.added_tokens)
    ? doc.added_tokens.filter(isRecord).map((t, i) => {
        if (typeof t.id !== 'number' || typeof t.content !== 'string')
          fail(path, `added_tokens[${i}]: expected {id, content}`);
        return { id: t.id, content: t.content, special: t.special === true };
      })
    : [];
  const byId = new Map<number, { piece: string; score: number; type: number }>();
  let kind: 'llama' | 'gpt2';
  let merges: string[] = [];
  if (model.type === 'BPE') {
    if (!isRecord(model.vocab)) fail(path, 'model.vocab: expected an object of token → id');
    const rawMerges = Array.isArray(model.merges)
      ? model.merges
      : fail(path, 'model.merges: expected an array');
    merges = rawMerges.map((m, i) => {
      if (typeof m === 'string') return m;
      if (Array.isArray(m) && m.length === 2 && typeof m[0] === 'string' && typeof m[1] === 'string')
        return `${m[0]} ${m[1]}`;
      return fail(path, `model.merges[${i}]: expected "a b" or ["a", "b"]`);
    });
    const byteFallback = model.byte_fallback === true;
    kind = byteFallback ? 'llama' : 'gpt2';
    // SentencePiece-style BPE: llama.cpp merges by score, so a merge's result scores by its rank
    const rank = new Map<string, number>();
    merges.forEach((m, i) => {
      const merged = m.replace(' ', '');
      if (!rank.has(merged)) rank.set(merged, i);
    });
    for (const [piece, id] of Object.entries(model.vocab)) {
      if (typeof id !== 'number') fail(path, `model.vocab["${piece}"]: expected an integer id`);
      const isByte = byteFallback && /^<0x[0-9A-F]{2}>$/.test(piece);
      byId.set(id, {
        piece,
        score: -(rank.get(piece) ?? 0),
        type: isByte ? TOKEN_TYPE.byte : TOKEN_TYPE.normal,
      });
    }
  } else if (model.type === 'Unigram') {
    if (!Array.isArray(model.vocab)) fail(path, 'model.vocab: expected an array of [piece, score]');
    kind = 'llama';
    model.vocab.forEach((entry, id) => {
      if (!Array.isArray(entry) || typeof entry[0] !== 'string' || typeof entry[1] !== 'number') {
        fail(path, `model.vocab[${id}]: expected [piece, score]`);
      }
      const isByte = /^<0x[0-9A-F]{2}>$/.test(entry[0]);
      byId.set(id, { piece: entry[0], score: entry[1], type: isByte ? TOKEN_TYPE.byte : TOKEN_TYPE.normal });
    });
  } else {
    fail(path, `model.type ${JSON.stringify(model.type)} is not supported (BPE or Unigram)`);
  }
  for (const t of added) {
    byId.set(t.id, {
      piece: t.content,
      score: 0,
      type: t.special ? TOKEN_TYPE.control : TOKEN_TYPE.userDefined,
    });
  }
  const size = byId.size;
  const tokens: string[] = [];
  const scores: number[] = [];
  const tokenTypes: number[] = [];
  for (let id = 0; id < size; id++) {
    const entry = byId.get(id);
    if (!entry) fail(path, `token ids are not dense: id ${id} is missing (vocabulary of ${size})`);
    tokens.push(entry.piece);
    scores.push(entry.score);
    tokenTypes.push(entry.type);
  }
  const unkPiece = typeof model.unk_token === 'string' ? model.unk_token : '<unk>';
  const unkIndex = tokens.indexOf(unkPiece);
  if (unkIndex >= 0) tokenTypes[unkIndex] = TOKEN_TYPE.unknown;
  const eosId = specialId(added, EOS_NAMES);
  if (eosId === undefined)
    fail(path, `no end-of-sequence token among added_tokens (looked for ${EOS_NAMES.join(', ')})`);
  const bosId = specialId(added, BOS_NAMES) ?? eosId;
  const specialIds = tokenTypes.flatMap((t, id) =>
    t === TOKEN_TYPE.control || t === TOKEN_TYPE.unknown ? [id] : [],
  );
  return {
    model: kind,
    tokens,
    scores,
    tokenTypes,
    merges: kind === 'gpt2' ? merges : [],
    bosId,
    eosId,
    ...(unkIndex >= 0 ? { unkId: unkIndex } : {}),
    specialIds,
  };
}
