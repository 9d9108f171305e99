// The tokenizer contract shared by datasets (prompt building), the client (counting) and the
// simulator (usage). Implementations live in src/tokenizer/ (they load files or call servers).

export interface Tokenizer {
  /** a stable name recorded in reports, e.g. "gpt-tokenizer:o200k_base" or "hf:/path/tokenizer.json" */
  readonly name: string;
  /** base vocabulary size, EXCLUDING added/special tokens (random ids are drawn below it) */
  readonly vocabSize: number;
  /** ids below vocabSize that are nonetheless added/special tokens: random prompts never draw them */
  readonly specialIds?: readonly number[];
  /** encodes without adding special tokens (ferrum §8.6: add_special_tokens = false) */
  encode(text: string): number[];
  /** decodes without skipping special tokens */
  decode(ids: readonly number[]): string;
  /** number of tokens of `text`; may be faster than encode(text).length */
  count(text: string): number;
}
