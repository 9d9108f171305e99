// ferrum's RequestItlEvidence constructors (ferrum-behaviour §1.9), and a cache that shares one
// frozen evidence object per distinct value across a cell's requests.

import { ITL_ELIGIBILITIES, type ItlEligibility, type RequestItlEvidence } from '../schema/bench-report.js';

// Evidence says whether a request's ITL samples provably correspond to one token each; the first
// matching rule wins. The cache lets a million-request report hold a handful of evidence objects.

export interface SseEvidenceInput {
  readonly failed: boolean;
  readonly outputEvents: number;
  readonly usageOutputTokens: number | undefined;
  readonly observedIntervals: number;
  readonly coalescedReads: number;
}

/** bench-serve's rule: failed → request_failed; no usage → missing_usage; usage < 2 → too_short;
 * usage ≠ events → event_usage_mismatch; intervals ≠ usage − 1 → interval_count_mismatch;
 * coalesced reads → transport_coalesced; else eligible. */
export function sseEligibility(
  failed: boolean,
  outputEvents: number,
  usage: number | undefined,
  observedIntervals: number,
  coalescedReads: number,
): ItlEligibility {
  if (failed) return 'request_failed';
  if (usage === undefined) return 'missing_usage';
  if (usage < 2) return 'too_short';
  if (usage !== outputEvents) return 'event_usage_mismatch';
  if (observedIntervals !== usage - 1) return 'interval_count_mismatch';
  if (coalescedReads > 0) return 'transport_coalesced';
  return 'eligible';
}

/** bench's (in-process engine) rule: failed → request_failed; events < 2 → too_short;
 * intervals ≠ events − 1 → interval_count_mismatch; else eligible. */
export function engineEligibility(
  failed: boolean,
  outputEvents: number,
  observedIntervals: number,
): ItlEligibility {
  if (failed) return 'request_failed';
  if (outputEvents < 2) return 'too_short';
  if (observedIntervals !== outputEvents - 1) return 'interval_count_mismatch';
  return 'eligible';
}

function evidence(
  source: RequestItlEvidence['source'],
  outputEvents: number,
  usage: number | undefined,
  observedIntervals: number,
  coalescedReads: number,
  eligibility: ItlEligibility,
): RequestItlEvidence {
  return usage === undefined
    ? {
        source,
        output_events: outputEvents,
        observed_intervals: observedIntervals,
        transport_coalesced_output_chunks: coalescedReads,
        eligibility,
      }
    : {
        source,
        output_events: outputEvents,
        usage_output_tokens: usage,
        observed_intervals: observedIntervals,
        transport_coalesced_output_chunks: coalescedReads,
        eligibility,
      };
}

/** The evidence of a streamed (bench-serve) request. */
export function sseItlEvidence(input: SseEvidenceInput): RequestItlEvidence {
  const { failed, outputEvents, usageOutputTokens, observedIntervals, coalescedReads } = input;
  const eligibility = sseEligibility(
    failed,
    outputEvents,
    usageOutputTokens,
    observedIntervals,
    coalescedReads,
  );
  return evidence(
    'sse_delta_events',
    outputEvents,
    usageOutputTokens,
    observedIntervals,
    coalescedReads,
    eligibility,
  );
}

/** The evidence of an in-process engine request: no usage, never coalesced. */
export function engineItlEvidence(
  failed: boolean,
  outputEvents: number,
  observedIntervals: number,
): RequestItlEvidence {
  return evidence(
    'engine_token_events',
    outputEvents,
    undefined,
    observedIntervals,
    0,
    engineEligibility(failed, outputEvents, observedIntervals),
  );
}

/** The evidence of a request that produced no record at all (a crashed task): all zero. */
export function failedItlEvidence(source: RequestItlEvidence['source']): RequestItlEvidence {
  return evidence(source, 0, undefined, 0, 0, 'request_failed');
}

const CACHE_SLOTS = 4096;
const ELIGIBILITY_CODE: Readonly<Record<string, number>> = Object.fromEntries(
  ITL_ELIGIBILITIES.map((e, i) => [e, i]),
);

/** Interns evidence values: equal inputs give the same frozen object (direct-mapped cache). */
export class ItlEvidenceCache {
  private readonly slots: Array<RequestItlEvidence | undefined> = new Array(CACHE_SLOTS);

  get(
    source: RequestItlEvidence['source'],
    outputEvents: number,
    usage: number | undefined,
    observedIntervals: number,
    coalescedReads: number,
    eligibility: ItlEligibility,
  ): RequestItlEvidence {
    let h = Math.imul(outputEvents + 1, 0x9e3779b1);
    h = Math.imul(h ^ (usage === undefined ? 0x7fffffff : usage), 0x85ebca6b);
    h = Math.imul(h ^ observedIntervals, 0xc2b2ae35);
    h = Math.imul(h ^ coalescedReads, 0x27d4eb2f);
    h ^= (ELIGIBILITY_CODE[eligibility] as number) * 31 + (source === 'engine_token_events' ? 7 : 0);
    const slot = (h ^ (h >>> 15)) & (CACHE_SLOTS - 1);
    const hit = this.slots[slot];
    if (
      hit !== undefined &&
      hit.source === source &&
      hit.output_events === outputEvents &&
      hit.usage_output_tokens === usage &&
      hit.observed_intervals === observedIntervals &&
      hit.transport_coalesced_output_chunks === coalescedReads &&
      hit.eligibility === eligibility
    ) {
      return hit;
    }
    const made = Object.freeze(
      evidence(source, outputEvents, usage, observedIntervals, coalescedReads, eligibility),
    );
    this.slots[slot] = made;
    return made;
  }
}
