// The counters of one repeat's measured requests (RepeatTally), which CellAggregator fills request by
// request and the locked row and the extension read: counts, token totals, flags by slot.

import { ITL_ELIGIBILITIES } from '../schema/bench-report.js';
import { REQUEST_FLAGS, type RequestFlag } from '../schema/request-record.js';
import type { OutputTokenSource } from './derived-request.js';

/** The slot of each flag in RepeatTally.flags. */
export const FLAG_SLOT: Readonly<Record<string, number>> = Object.fromEntries(
  REQUEST_FLAGS.map((f, i) => [f, i]),
);

/** Everything counted over one repeat's measured requests. */
export interface RepeatTally {
  repeat: number;
  expected: number;
  records: number;
  completed: number;
  metSlo: number;
  missedTtft: number;
  missedTpot: number;
  missedE2e: number;
  inputTokensAll: number;
  outputTokensAll: number;
  inputTokensSuccessful: number;
  outputTokensSuccessful: number;
  /** requests per output-token source */
  sources: Record<OutputTokenSource, number>;
  /** usage present and |usage − events| > ratio · max(usage, 1) */
  tokenMismatches: number;
  /** per ITL_ELIGIBILITIES slot */
  eligibility: number[];
  eligible: number;
  expectedIntervals: number;
  observedIntervals: number;
  /** successful requests with ≥ 2 output tokens (those that have intervals to measure) */
  itlCoverable: number;
  /** …of which ITL-eligible */
  itlCovered: number;
  /** …of which covered although some of their events shared a network read */
  itlCoalesced: number;
  /** per REQUEST_FLAGS slot */
  flags: number[];
  /** failed requests that carry no failing flag */
  unlabelled: number;
  /** Σ E2E of successful requests (ms), for SGLang's "concurrency" */
  e2eSumSuccessfulMs: number;
  serverInputTokensSum: number;
  serverInputTokensCount: number;
  durationS: number;
}

export function newTally(repeat: number, expected: number): RepeatTally {
  return {
    repeat,
    expected,
    records: 0,
    completed: 0,
    metSlo: 0,
    missedTtft: 0,
    missedTpot: 0,
    missedE2e: 0,
    inputTokensAll: 0,
    outputTokensAll: 0,
    inputTokensSuccessful: 0,
    outputTokensSuccessful: 0,
    sources: { usage: 0, stream_chunks: 0, none: 0 },
    tokenMismatches: 0,
    eligibility: ITL_ELIGIBILITIES.map(() => 0),
    eligible: 0,
    expectedIntervals: 0,
    observedIntervals: 0,
    itlCoverable: 0,
    itlCovered: 0,
    itlCoalesced: 0,
    flags: REQUEST_FLAGS.map(() => 0),
    unlabelled: 0,
    e2eSumSuccessfulMs: 0,
    serverInputTokensSum: 0,
    serverInputTokensCount: 0,
    durationS: 0,
  };
}

/** Count of `flag` in a tally. */
export function flagCount(tally: RepeatTally, flag: RequestFlag): number {
  return tally.flags[FLAG_SLOT[flag] as number] as number;
}
