// The cost of one forward step of the simulated engine, in ms. The one formula of the model:
//
//   step_ms = (stepBaseMs
//              + decodePerSeqMs · B
//              + saturationPerSeqMs · max(0, B − saturationBatch)
//              + prefillPerTokenMs · T) · (1 + jitterFraction · u)
//
// B = sequences in the step (decoding ones plus those receiving a prefill chunk), T = uncached
// prompt tokens prefilled in the step, u = seeded uniform in [−1, 1). A step with no work costs 0.

import type { SimProfile } from './profile.js';

export interface StepShape {
  /** sequences in the batch (decode + prefill) */
  batchSeqs: number;
  /** uncached prompt tokens computed in this step */
  prefillTokens: number;
}

/** The step duration without jitter (the model's mean), ms. */
export function meanStepMs(profile: SimProfile, shape: StepShape): number {
  if (shape.batchSeqs === 0 && shape.prefillTokens === 0) return 0;
  return (
    profile.stepBaseMs +
    profile.decodePerSeqMs * shape.batchSeqs +
    profile.saturationPerSeqMs * Math.max(0, shape.batchSeqs - profile.saturationBatch) +
    profile.prefillPerTokenMs * shape.prefillTokens
  );
}

/** The step duration with jitter; `uniform01` is a seeded uniform in [0, 1). */
export function stepMs(profile: SimProfile, shape: StepShape, uniform01: number): number {
  return meanStepMs(profile, shape) * (1 + profile.jitterFraction * (2 * uniform01 - 1));
}
