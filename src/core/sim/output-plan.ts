// What one simulated request will generate, decided when it arrives: how many tokens (max_tokens,
// or an earlier seeded end-of-sequence point when ignore_eos is off; never below min_tokens), the
// finish reason, and the stream its words are drawn from. Everything derives from (seed, request
// number) through core/random streams, so the same request number yields the same output.

import type { RandomSource } from '../random/random-source.js';
import { deriveStream } from '../random/streams.js';
import { VOCABULARY, type VocabularyWord } from './vocabulary.js';

export interface OutputPlanInput {
  /** the server seed (non-negative safe integer) */
  seed: number;
  /** 1-based request number */
  requestNumber: number;
  /** the token budget: max_tokens, or what the context leaves when the request gave none */
  maxTokens: number;
  minTokens: number;
  ignoreEos: boolean;
  eosProbabilityPerToken: number;
}

export interface OutputPlan {
  outputTokens: number;
  finishReason: 'stop' | 'length';
}

/** The request number takes the stream's repeat slot: one stream per (purpose, request). */
const stream = (seed: number, purpose: string, requestNumber: number) =>
  deriveStream({ seed, purpose, repeat: requestNumber });

export function planOutput(input: OutputPlanInput): OutputPlan {
  const p = input.eosProbabilityPerToken;
  if (input.ignoreEos || p <= 0) return { outputTokens: input.maxTokens, finishReason: 'length' };
  // geometric number of tokens up to and including the EOS token (inverse CDF of one uniform)
  const u = stream(input.seed, 'sim-eos', input.requestNumber).nextFloat();
  const untilEos = p >= 1 ? 1 : Math.floor(Math.log1p(-u) / Math.log1p(-p)) + 1;
  const length = Math.max(input.minTokens, untilEos);
  if (length >= input.maxTokens) return { outputTokens: input.maxTokens, finishReason: 'length' };
  return { outputTokens: length, finishReason: 'stop' };
}

/** The words of request `requestNumber`, in order: call next() once per token. */
export class WordStream {
  private readonly rng: RandomSource;

  constructor(seed: number, requestNumber: number) {
    this.rng = stream(seed, 'sim-words', requestNumber);
  }

  next(): VocabularyWord {
    return VOCABULARY[this.rng.nextUint32() % VOCABULARY.length]!;
  }
}
