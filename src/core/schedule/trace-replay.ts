// Trace replay: send offsets taken from recorded request timestamps (a JSONL dataset's
// `timestamp_ms`, a trace), shifted so the first request goes out at offset 0.

import { GoodputError } from '../errors.js';

/**
 * Offsets (ms) = timestamp − first timestamp. Timestamps are ms, finite and non-decreasing in
 * send order; `source` names where they came from in error messages (e.g. "trace.jsonl").
 */
export function traceReplayOffsets(timestampsMs: readonly number[], source = 'timestamps'): number[] {
  const offsets: number[] = [];
  const first = timestampsMs[0];
  for (let i = 0; i < timestampsMs.length; i++) {
    const t = timestampsMs[i] as number;
    if (!Number.isFinite(t)) {
      throw new GoodputError(
        'INPUT_SCHEMA',
        `${source}: timestamp_ms[${i}] must be a finite number of ms, got ${t}`,
      );
    }
    if (i > 0 && t < (timestampsMs[i - 1] as number)) {
      throw new GoodputError(
        'INPUT_SCHEMA',
        `${source}: timestamp_ms[${i}] (${t}) is earlier than timestamp_ms[${i - 1}] (${timestampsMs[i - 1]})`,
        { hint: 'replay needs the requests in send order: sort the trace by timestamp' },
      );
    }
    offsets.push(t - (first as number));
  }
  return offsets;
}
