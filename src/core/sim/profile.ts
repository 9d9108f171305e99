// The simulator's performance profile: every parameter of the continuous-batching model
// (see scheduler.ts for the equations), its validation, and overriding a base profile with a
// partial one read from a JSON file or from `--set key=value` flags. Validation errors name the field.

import { z } from 'zod';
import { GoodputError } from '../errors.js';

const nonNegMs = () => z.number().min(0).max(600_000);
const posInt = () => z.int().min(1);

export const SimProfileSchema = z.strictObject({
  /** longest prompt + output a request may ask for, in tokens (vLLM max_model_len) */
  maxModelLen: posInt(),
  /** tokens per KV-cache block; also the prefix-cache hashing granularity */
  blockSize: posInt().max(4096),
  /** KV-cache capacity in blocks; admission reserves ceil((prompt + max_tokens) / blockSize) of them */
  kvCacheBlocks: posInt(),
  /** LRU prefix-cache capacity in blocks (0 disables prefix caching) */
  prefixCacheBlocks: z.int().min(0),
  /** most sequences in the running batch (vLLM max_num_seqs); the rest wait in a FIFO queue */
  maxRunningSeqs: posInt(),
  /** token budget of one step: one per decoding sequence plus prefill chunks (chunked prefill) */
  maxBatchedTokens: posInt(),
  /** fixed cost of one forward step, ms */
  stepBaseMs: nonNegMs(),
  /** added step cost per sequence in the batch, ms */
  decodePerSeqMs: nonNegMs(),
  /** batch size above which each further sequence also costs saturationPerSeqMs */
  saturationBatch: z.int().min(0),
  /** extra step cost per sequence beyond saturationBatch, ms (compute-bound regime) */
  saturationPerSeqMs: nonNegMs(),
  /** step cost per uncached prompt token processed in the step, ms */
  prefillPerTokenMs: nonNegMs(),
  /** each step's duration is multiplied by (1 + jitterFraction · u), u uniform in [−1, 1), seeded */
  jitterFraction: z.number().min(0).max(0.99),
  /** without ignore_eos, the chance that each generated token is the end of sequence */
  eosProbabilityPerToken: z.number().min(0).max(1),
  /**
   * steps that are already due may run back to back, this many per event-loop turn, so their
   * events leave in one write per stream (zero-cost profiles); 1 = one write per event
   */
  burstSteps: z.int().min(1).max(1024).default(1),
});
export type SimProfile = z.infer<typeof SimProfileSchema>;
export type SimProfileOverrides = Partial<SimProfile>;

export const SIM_PROFILE_FIELDS = Object.keys(SimProfileSchema.shape) as (keyof SimProfile)[];

/**
 * Applies `overrides` on top of `base` and validates the result. `source` names where the
 * overrides came from (a file path, `--set`) and starts every error message.
 */
export function resolveProfile(
  base: SimProfile,
  overrides: unknown,
  source: string,
  code: 'INPUT_SCHEMA' | 'USAGE' = 'INPUT_SCHEMA',
): SimProfile {
  if (typeof overrides !== 'object' || overrides === null || Array.isArray(overrides)) {
    throw new GoodputError(code, `${source}: a simulator profile must be a JSON object`, {
      hint: `give an object with any of: ${SIM_PROFILE_FIELDS.join(', ')}`,
    });
  }
  const merged = { ...base, ...(overrides as Record<string, unknown>) };
  const parsed = SimProfileSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const field = issue.path.length > 0 ? issue.path.join('.') : (issueKeys(issue) ?? '(profile)');
      return `${field}: ${issue.message}`;
    });
    throw new GoodputError(code, `${source}: ${problems.join('; ')}`, {
      hint: `profile fields are: ${SIM_PROFILE_FIELDS.join(', ')}`,
    });
  }
  return checkConsistency(parsed.data, source, code);
}

function issueKeys(issue: z.core.$ZodIssue): string | undefined {
  return issue.code === 'unrecognized_keys' ? issue.keys.join(', ') : undefined;
}

/** Cross-field rules: a request that fits max_model_len must always fit the KV cache eventually. */
function checkConsistency(profile: SimProfile, source: string, code: 'INPUT_SCHEMA' | 'USAGE'): SimProfile {
  const kvTokens = profile.kvCacheBlocks * profile.blockSize;
  if (kvTokens < profile.maxModelLen) {
    throw new GoodputError(
      code,
      `${source}: kvCacheBlocks: ${profile.kvCacheBlocks} blocks × blockSize ${profile.blockSize} = ${kvTokens} tokens, fewer than maxModelLen ${profile.maxModelLen}`,
      { hint: 'raise kvCacheBlocks or lower maxModelLen so one full-length request fits the KV cache' },
    );
  }
  return profile;
}

/**
 * Parses `--set key=value` assignments into profile overrides (numbers only: every field is one).
 */
export function parseProfileAssignments(assignments: readonly string[]): SimProfileOverrides {
  const out: Record<string, number> = {};
  for (const assignment of assignments) {
    const eq = assignment.indexOf('=');
    const key = eq < 0 ? assignment : assignment.slice(0, eq);
    const raw = eq < 0 ? '' : assignment.slice(eq + 1);
    if (!SIM_PROFILE_FIELDS.includes(key as keyof SimProfile)) {
      throw new GoodputError('USAGE', `--set ${assignment}: unknown profile field "${key}"`, {
        hint: `profile fields are: ${SIM_PROFILE_FIELDS.join(', ')}`,
      });
    }
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value)) {
      throw new GoodputError('USAGE', `--set ${assignment}: "${raw}" is not a number`, {
        hint: `write --set ${key}=<number>`,
      });
    }
    out[key] = value;
  }
  return out as SimProfileOverrides;
}
