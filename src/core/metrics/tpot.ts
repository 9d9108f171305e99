// Time per output token of one request (SPEC §2.2, ferrum's RequestRecord::tpot_ms):
// (E2E − TTFT) / (output_tokens − 1), defined only with at least 2 output tokens.

/** TPOT in ms, or undefined below 2 output tokens. */
export function tpotMsOf(ttftMs: number, e2eMs: number, outputTokens: number): number | undefined {
  return outputTokens >= 2 ? (e2eMs - ttftMs) / (outputTokens - 1) : undefined;
}
