// The per-request SLO test behind goodput (SPEC §2.2, ferrum's meets_slo): a successful request
// meets the SLO when ttft ≤ T and e2e ≤ E and (TPOT undefined or ≤ P), all inclusive. The
// thresholds are per request despite ferrum's `_p99_` field names.

import type { Slo } from '../schema/bench-report.js';

export interface SloCheck {
  /** true when every criterion is met (success is checked by the caller) */
  readonly met: boolean;
  readonly ttftMissed: boolean;
  readonly tpotMissed: boolean;
  readonly e2eMissed: boolean;
}

export const SLO_MISS_TTFT = 1;
export const SLO_MISS_TPOT = 2;
export const SLO_MISS_E2E = 4;

/** The missed criteria as a bit mask (0 = SLO met); allocation-free for the aggregation loop. */
export function sloMissMask(ttftMs: number, e2eMs: number, tpotMs: number | undefined, slo: Slo): number {
  let mask = 0;
  if (!(ttftMs <= slo.ttft_p99_ms)) mask |= SLO_MISS_TTFT;
  if (tpotMs !== undefined && !(tpotMs <= slo.tpot_p99_ms)) mask |= SLO_MISS_TPOT;
  if (!(e2eMs <= slo.e2e_p99_ms)) mask |= SLO_MISS_E2E;
  return mask;
}

/** Which criteria one request misses; TPOT undefined (fewer than 2 tokens) never misses. */
export function checkSlo(ttftMs: number, e2eMs: number, tpotMs: number | undefined, slo: Slo): SloCheck {
  const mask = sloMissMask(ttftMs, e2eMs, tpotMs, slo);
  return {
    met: mask === 0,
    ttftMissed: (mask & SLO_MISS_TTFT) !== 0,
    tpotMissed: (mask & SLO_MISS_TPOT) !== 0,
    e2eMissed: (mask & SLO_MISS_E2E) !== 0,
  };
}

/** ferrum's Slo::is_valid: all three thresholds finite and > 0 (the unbounded sentinel is valid). */
export function isValidSlo(slo: Slo): boolean {
  return [slo.ttft_p99_ms, slo.tpot_p99_ms, slo.e2e_p99_ms].every((v) => Number.isFinite(v) && v > 0);
}
