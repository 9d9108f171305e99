// What a load plan is: a profile, its seed, and the absolute send offsets (ms from one start) of
// every request in send order (SPEC §2.5); also the schedule file's shape, hence snake_case.

import { z } from 'zod';

export const SCHEDULE_FILE_VERSION = 1;

/** Rates are requests per second. `burstiness` is the gamma shape (vLLM's --burstiness). */
export const ScheduleProfileSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('poisson'), rate_rps: z.number().positive() }),
  z.object({ kind: z.literal('gamma'), rate_rps: z.number().positive(), burstiness: z.number().positive() }),
  z.object({ kind: z.literal('constant'), rate_rps: z.number().positive() }),
  z.object({ kind: z.literal('trace') }),
]);
export type ScheduleProfile = z.infer<typeof ScheduleProfileSchema>;

export const ScheduleSchema = z.object({
  version: z.literal(SCHEDULE_FILE_VERSION),
  profile: ScheduleProfileSchema,
  /** the seed of the arrival stream; absent for trace replay and constant (nothing random) */
  seed: z.int().min(0).optional(),
  /** the cell key and 1-based repeat the stream was derived for */
  cell: z.string().optional(),
  repeat: z.int().min(0).optional(),
  /** absolute send offsets in ms from the run's start, non-decreasing */
  offsets_ms: z.array(z.number().min(0)),
});
export type Schedule = z.infer<typeof ScheduleSchema>;

/** How many requests a schedule holds: a count, or every arrival before a duration. */
export type ScheduleBound = { readonly count: number } | { readonly durationMs: number };

/** The most requests one schedule may hold (a guard against rate × duration typos). */
export const MAX_SCHEDULE_REQUESTS = 10_000_000;
