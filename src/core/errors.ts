// The one error type of goodput: a stable code from a closed list, a message naming the offending
// value, a hint saying how to fix it, and the exit code the CLI maps it to (0 ok, 1 failed run or
// gate, 2 bad usage or bad input). Callers match on `code`, never on message text.

export const ERROR_CODES = {
  /** A flag or argument is wrong (unknown, out of range, conflicting). */
  USAGE: 2,
  /** An input file does not exist or cannot be read. */
  INPUT_MISSING: 2,
  /** An input file is empty. */
  INPUT_EMPTY: 2,
  /** An input file ends in the middle of a JSON value. */
  INPUT_TRUNCATED: 2,
  /** An input file is not JSON / JSONL at all. */
  INPUT_NOT_JSON: 2,
  /** An input parses as JSON but a value has the wrong type or is out of range (message has the JSON path). */
  INPUT_SCHEMA: 2,
  /** A dataset file has no usable entries or a bad line. */
  DATASET: 2,
  /** A tokenizer could not be loaded or used. */
  TOKENIZER: 2,
  /** A stored hash does not match the recomputed one. */
  HASH_MISMATCH: 1,
  /** The server under test could not be reached or never became ready. */
  SERVER_UNREACHABLE: 1,
  /** The server answered, but not like an OpenAI-compatible server. */
  SERVER_INCOMPATIBLE: 1,
  /** The run finished but its error policy failed (error rate, warmup errors). */
  RUN_FAILED: 1,
  /** A comparison gate found a significant regression. */
  GATE_FAILED: 1,
  /** The run was interrupted (SIGINT); completed work was written. */
  INTERRUPTED: 1,
  /** A build command failed (compare-commits). */
  BUILD_FAILED: 1,
  /** An engine adapter failed to load or run (goodput bench). */
  ENGINE: 1,
  /** Reading or writing a file, or the ledger, failed. */
  IO: 1,
  /** A bug in goodput: an invariant did not hold. */
  INTERNAL: 1,
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;

export class GoodputError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(code: ErrorCode, message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GoodputError';
    this.code = code;
    this.hint = options.hint;
    this.exitCode = ERROR_CODES[code];
  }
}

/** True when `e` is a GoodputError, optionally with the given code. */
export function isGoodputError(e: unknown, code?: ErrorCode): e is GoodputError {
  return e instanceof GoodputError && (code === undefined || e.code === code);
}
