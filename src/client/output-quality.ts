// Text checks on what a server sent: ferrum's bad-output markers and mojibake, and its panic test
// (ferrum-behaviour §8.10). Applied per delta and to non-2xx bodies; pure string functions.

/**
 * ferrum's bad-output triggers: leaked special tokens, U+FFFD, and mojibake (`Â`/`Ã` followed by a
 * non-ASCII character, or `â€`). Checked per delta, as ferrum does, so a marker split across two
 * deltas is not seen.
 */
const BAD_OUTPUT =
  /<unk>|\[PAD|<pad>|<\|endoftext\|>|<\|im_start\|>|<\|im_end\|>|<\|reserved_special_token|\uFFFD|[ÂÃ][\u0080-\uFFFF]|â€/;

/** The offending fragment when `text` holds bad output, else undefined. */
export function findBadOutput(text: string): string | undefined {
  const match = BAD_OUTPUT.exec(text);
  return match === null ? undefined : match[0];
}

const PANICKED_AT = /panicked at/i;
const PANICKED = /panicked/i;
const THREAD_QUOTE = /thread '/i;

/** ferrum's panic test: the lower-cased text contains "panicked at", or both "thread '" and "panicked". */
export function looksLikePanic(text: string): boolean {
  // both of ferrum's conditions need "panicked": one test for the common case
  return PANICKED.test(text) && (PANICKED_AT.test(text) || THREAD_QUOTE.test(text));
}
