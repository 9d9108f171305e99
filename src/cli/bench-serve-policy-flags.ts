// bench-serve's pass/fail policy flags: the --goodput SLO a request must meet to count as goodput,
// and when failed requests fail the run (--fail-on-error, --max-error-rate, --allow-missing-done).

import { type Slo, UNBOUNDED_SLO_MS } from '../core/schema/bench-report.js';
import type { FlagValidation } from './bench-serve-flag-validation.js';
import { parseSloFlag } from './bench-serve-flag-values.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';

/** The SLO without --goodput: every request that succeeds meets it. */
const UNBOUNDED_SLO: Slo = {
  ttft_p99_ms: UNBOUNDED_SLO_MS,
  tpot_p99_ms: UNBOUNDED_SLO_MS,
  e2e_p99_ms: UNBOUNDED_SLO_MS,
};

/** --goodput's SLO (ferrum's string, ferrum-behaviour §8.1); unbounded when absent. */
export function sloFlag(raw: RawBenchServeOptions, v: FlagValidation): Slo {
  return raw.goodput === undefined
    ? { ...UNBOUNDED_SLO }
    : v.take(parseSloFlag('--goodput', raw.goodput), { ...UNBOUNDED_SLO });
}

export interface ErrorPolicyFlags {
  readonly failOnError: boolean;
  /** the largest failed fraction of requests in [0, 1] a passing run may have */
  readonly maxErrorRate?: number;
  /** a stream without its [DONE] counts as failed (unless --allow-missing-done) */
  readonly requireDone: boolean;
}

/** The flags that turn failed requests into a failed run. Problems go to `v`. */
export function errorPolicyFlags(raw: RawBenchServeOptions, v: FlagValidation): ErrorPolicyFlags {
  let maxErrorRate: number | undefined;
  if (raw.maxErrorRate !== undefined) {
    const rate = Number(raw.maxErrorRate);
    if (raw.maxErrorRate.trim() === '' || !(rate >= 0 && rate <= 1))
      v.push(`--max-error-rate ${JSON.stringify(raw.maxErrorRate)}: expected a number in [0, 1]`);
    else maxErrorRate = rate;
  }
  return {
    failOnError: raw.failOnError === true,
    ...(maxErrorRate === undefined ? {} : { maxErrorRate }),
    requireDone: raw.allowMissingDone !== true,
  };
}
