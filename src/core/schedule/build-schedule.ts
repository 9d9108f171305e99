// One entry point from a load profile and a seed to a complete Schedule: picks the profile's
// generator and derives the arrival stream from (seed, "arrivals", cell, repeat) (random/streams.ts).

import { deriveStream, STREAM_PURPOSES } from '../random/streams.js';
import { constantOffsets } from './constant.js';
import { gammaOffsets } from './gamma.js';
import { poissonOffsets } from './poisson.js';
import { SCHEDULE_FILE_VERSION, type Schedule, type ScheduleBound } from './schedule.js';
import { traceReplayOffsets } from './trace-replay.js';

/** A rate-based load profile as the CLI gives it; burstiness +∞ means constant spacing. */
export type RateProfile =
  | { readonly kind: 'poisson'; readonly rateRps: number }
  | { readonly kind: 'gamma'; readonly rateRps: number; readonly burstiness: number }
  | { readonly kind: 'constant'; readonly rateRps: number };

export interface StreamPosition {
  readonly seed: number;
  /** the cell key (default "") */
  readonly cell?: string;
  /** 1-based repeat (default 0: one schedule shared by every repeat) */
  readonly repeat?: number;
}

/** The schedule of `profile` for `bound`; the same (profile, seed, cell, repeat) gives the same offsets. */
export function buildSchedule(profile: RateProfile, at: StreamPosition, bound: ScheduleBound): Schedule {
  const position = {
    ...(at.cell === undefined ? {} : { cell: at.cell }),
    ...(at.repeat === undefined ? {} : { repeat: at.repeat }),
  };
  const constant = (rateRps: number): Schedule => ({
    version: SCHEDULE_FILE_VERSION,
    profile: { kind: 'constant', rate_rps: rateRps },
    ...position,
    offsets_ms: constantOffsets(rateRps, bound),
  });
  const rng = () =>
    deriveStream({
      seed: at.seed,
      purpose: STREAM_PURPOSES.arrivals,
      cell: at.cell ?? '',
      repeat: at.repeat ?? 0,
    });
  switch (profile.kind) {
    case 'constant':
      return constant(profile.rateRps);
    case 'poisson':
      return {
        version: SCHEDULE_FILE_VERSION,
        profile: { kind: 'poisson', rate_rps: profile.rateRps },
        seed: at.seed,
        ...position,
        offsets_ms: poissonOffsets(profile.rateRps, bound, rng()),
      };
    case 'gamma':
      if (profile.burstiness === Number.POSITIVE_INFINITY) return constant(profile.rateRps);
      return {
        version: SCHEDULE_FILE_VERSION,
        profile: { kind: 'gamma', rate_rps: profile.rateRps, burstiness: profile.burstiness },
        seed: at.seed,
        ...position,
        offsets_ms: gammaOffsets(profile.rateRps, profile.burstiness, bound, rng()),
      };
  }
}

/** The schedule replaying recorded timestamps (ms) in order. */
export function buildTraceSchedule(timestampsMs: readonly number[], source?: string): Schedule {
  return {
    version: SCHEDULE_FILE_VERSION,
    profile: { kind: 'trace' },
    offsets_ms: traceReplayOffsets(timestampsMs, source),
  };
}
