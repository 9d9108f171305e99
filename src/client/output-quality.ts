// Text checks on what a server sent: ferrum's bad-output markers and mojibake, and its panic test
// (ferrum-behaviour §8.10). Applied per delta and to non-2xx bodies; pure string functions, plus
// the bytes without which neither check can match (so the client can skip decoding clean deltas).

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

/**
 * Whether a UTF-8 byte can take part in a match of findBadOutput or looksLikePanic. Every ASCII
 * marker holds `<` or `[`, every non-ASCII marker (U+FFFD, mojibake) a byte >= 0x80, and
 * "panicked" a `k` (the `i` flag without `u` never matches a non-ASCII character to an ASCII one):
 * text whose bytes include none of these is never flagged, so it need not be decoded to be checked.
 */
export function isQualityTriggerByte(byte: number): boolean {
  return byte >= 0x80 || byte === 60 || byte === 91 || byte === 107 || byte === 75;
}
