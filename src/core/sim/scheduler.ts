// The simulated engine: continuous batching over discrete steps, as vLLM's V1 scheduler does it.
// Pure: time is passed in, randomness comes from a seeded Rng. The server's step loop calls
// step(startMs), waits step.durationMs of real time, then delivers step.emits.
//
// One step at time t:
//   1. every running sequence that is decoding takes 1 token of the step budget (maxBatchedTokens);
//   2. running sequences still in prefill take prompt chunks from what is left (chunked prefill);
//   3. while the budget is not spent and fewer than maxRunningSeqs run, the head of the FIFO
//      waiting queue is admitted if the KV cache has ceil((prompt + max_tokens) / blockSize) free
//      blocks (strict FIFO: a head that does not fit blocks those behind it; no preemption, the
//      reservation covers the whole output, so a running sequence never runs out of blocks);
//      on admission the prefix cache is looked up: the leading cached blocks, at most
//      floor((prompt − 1) / blockSize) of them (the last prompt token is always computed), are
//      skipped and reported as cached tokens;
//   4. the step lasts step_ms (step-cost.ts) for B = sequences in the batch and T = prefill tokens;
//   5. at its end each decoding sequence emits one token, and each sequence whose prefill completed
//      emits its first token (so TTFT = queueing + the steps that carry its prefill), its full
//      prompt blocks enter the prefix cache, and finished sequences free their KV blocks.
//
// So at a steady batch of B decoding sequences, TPOT = step_ms(B, 0): it rises with the batch,
// linearly, and faster beyond saturationBatch.

import type { RandomSource } from '../random/random-source.js';
import { PrefixCache } from './prefix-cache.js';
import type { SimProfile } from './profile.js';
import { stepMs } from './step-cost.js';

export interface SimSequenceInput {
  /** the request number; unique among live sequences */
  id: number;
  /** prompt length in tokens (≥ 1) */
  promptTokens: number;
  /** prefix-cache keys of the prompt's full blocks (block-hash.ts) */
  blockHashes: readonly number[];
  /** tokens this sequence will generate; 0 ends it right after prefill with no token */
  outputTokens: number;
  /** prompt + the request's token budget: what admission reserves in the KV cache (≤ maxModelLen) */
  reserveTokens: number;
}

export interface StepEmit {
  id: number;
  /** 0-based index of the token emitted, or −1 when the sequence ends without a token */
  tokenIndex: number;
  finished: boolean;
}

export interface StepAdmission {
  id: number;
  cachedTokens: number;
  /** time spent in the waiting queue, ms */
  queuedMs: number;
}

export interface SimStep {
  startMs: number;
  durationMs: number;
  batchSeqs: number;
  decodeSeqs: number;
  prefillTokens: number;
  admitted: StepAdmission[];
  emits: StepEmit[];
}

export interface SchedulerGauges {
  running: number;
  waiting: number;
  kvBlocksUsed: number;
  kvBlocksReserved: number;
  kvCacheBlocks: number;
  prefixCacheBlocks: number;
  /** counters since start, in tokens (vLLM counts prefix-cache queries and hits in tokens) */
  prefixQueryTokens: number;
  prefixHitTokens: number;
  promptTokens: number;
  generationTokens: number;
  steps: number;
}

interface Sequence {
  input: SimSequenceInput;
  arrivalMs: number;
  reservedBlocks: number;
  /** prompt tokens already in the KV cache (cached + computed) */
  computed: number;
  generated: number;
  aborted: boolean;
}

export class BatchScheduler {
  private waiting: Sequence[] = [];
  private waitingHead = 0;
  private running: Sequence[] = [];
  private readonly live = new Map<number, Sequence>();
  private readonly prefix: PrefixCache;
  private reservedBlocks = 0;
  private counters = {
    prefixQueryTokens: 0,
    prefixHitTokens: 0,
    promptTokens: 0,
    generationTokens: 0,
    steps: 0,
  };

  constructor(
    readonly profile: SimProfile,
    private readonly rng: RandomSource,
  ) {
    this.prefix = new PrefixCache(profile.prefixCacheBlocks);
  }

  /** Queues a sequence (it joins a batch at the next step that has room for it). */
  submit(input: SimSequenceInput, arrivalMs: number): void {
    if (this.live.has(input.id)) throw new Error(`sequence ${input.id} is already live`);
    const seq: Sequence = { input, arrivalMs, reservedBlocks: 0, computed: 0, generated: 0, aborted: false };
    this.live.set(input.id, seq);
    this.waiting.push(seq);
  }

  /** Drops a live sequence (client went away); frees its blocks. False when it was not live. */
  abort(id: number): boolean {
    const seq = this.live.get(id);
    if (!seq) return false;
    seq.aborted = true;
    this.live.delete(id);
    this.reservedBlocks -= seq.reservedBlocks;
    seq.reservedBlocks = 0;
    return true;
  }

  /** True when no sequence is waiting or running. */
  get idle(): boolean {
    return this.live.size === 0;
  }

  /** Plans and applies one step starting at `startMs`; undefined when there is nothing to run. */
  step(startMs: number): SimStep | undefined {
    const p = this.profile;
    // drop finished and aborted sequences in place (this runs once per step)
    const running = this.running;
    let kept = 0;
    for (let i = 0; i < running.length; i++) {
      const seq = running[i] as Sequence;
      if (!seq.aborted) running[kept++] = seq;
    }
    running.length = kept;
    let budget = p.maxBatchedTokens;
    const decoding: Sequence[] = [];
    const prefilling: { seq: Sequence; chunk: number }[] = [];
    for (const seq of this.running) {
      if (seq.computed === seq.input.promptTokens && budget > 0) {
        decoding.push(seq);
        budget--;
      }
    }
    for (const seq of this.running) {
      if (seq.computed < seq.input.promptTokens && budget > 0) {
        const chunk = Math.min(seq.input.promptTokens - seq.computed, budget);
        prefilling.push({ seq, chunk });
        budget -= chunk;
      }
    }
    const admitted = this.admit(startMs, budget, prefilling);
    const batchSeqs = decoding.length + prefilling.length;
    if (batchSeqs === 0) return undefined;
    let prefillTokens = 0;
    for (const entry of prefilling) prefillTokens += entry.chunk;
    const durationMs = stepMs(p, { batchSeqs, prefillTokens }, this.rng.nextFloat());
    this.counters.steps++;

    const emits: StepEmit[] = [];
    for (const seq of decoding) {
      const tokenIndex = seq.generated++;
      this.counters.generationTokens++;
      emits.push({ id: seq.input.id, tokenIndex, finished: seq.generated >= seq.input.outputTokens });
    }
    for (const { seq, chunk } of prefilling) {
      seq.computed += chunk;
      if (seq.computed < seq.input.promptTokens) continue;
      this.prefix.insert(seq.input.blockHashes);
      if (seq.input.outputTokens === 0) {
        emits.push({ id: seq.input.id, tokenIndex: -1, finished: true });
      } else {
        seq.generated = 1;
        this.counters.generationTokens++;
        emits.push({ id: seq.input.id, tokenIndex: 0, finished: seq.input.outputTokens === 1 });
      }
    }
    for (const emit of emits) if (emit.finished) this.finish(emit.id);
    return { startMs, durationMs, batchSeqs, decodeSeqs: decoding.length, prefillTokens, admitted, emits };
  }

  private admit(
    nowMs: number,
    budgetIn: number,
    prefilling: { seq: Sequence; chunk: number }[],
  ): StepAdmission[] {
    const p = this.profile;
    const admitted: StepAdmission[] = [];
    let budget = budgetIn;
    while (budget > 0 && this.running.length < p.maxRunningSeqs && this.waitingHead < this.waiting.length) {
      const seq = this.waiting[this.waitingHead]!;
      if (seq.aborted) {
        this.waitingHead++;
        continue;
      }
      const blocks = Math.ceil(seq.input.reserveTokens / p.blockSize);
      if (this.reservedBlocks + blocks > p.kvCacheBlocks) break;
      this.waitingHead++;
      this.reservedBlocks += blocks;
      seq.reservedBlocks = blocks;
      const prompt = seq.input.promptTokens;
      const hitBlocks = this.prefix.lookup(seq.input.blockHashes, Math.floor((prompt - 1) / p.blockSize));
      const cachedTokens = hitBlocks * p.blockSize;
      seq.computed = cachedTokens;
      this.counters.prefixQueryTokens += prompt;
      this.counters.prefixHitTokens += cachedTokens;
      this.counters.promptTokens += prompt;
      this.running.push(seq);
      const chunk = Math.min(prompt - cachedTokens, budget);
      prefilling.push({ seq, chunk });
      budget -= chunk;
      admitted.push({ id: seq.input.id, cachedTokens, queuedMs: nowMs - seq.arrivalMs });
    }
    if (this.waitingHead > 1024 && this.waitingHead * 2 > this.waiting.length) {
      this.waiting = this.waiting.slice(this.waitingHead);
      this.waitingHead = 0;
    }
    return admitted;
  }

  private finish(id: number): void {
    const seq = this.live.get(id);
    if (!seq) return;
    this.live.delete(id);
    this.reservedBlocks -= seq.reservedBlocks;
    seq.reservedBlocks = 0;
    seq.aborted = true; // removed from `running` at the next step
  }

  gauges(): SchedulerGauges {
    let running = 0;
    let usedBlocks = 0;
    for (const seq of this.running) {
      if (seq.aborted) continue;
      running++;
      usedBlocks += Math.ceil((seq.computed + seq.generated) / this.profile.blockSize);
    }
    let waiting = 0;
    for (let i = this.waitingHead; i < this.waiting.length; i++) if (!this.waiting[i]!.aborted) waiting++;
    return {
      running,
      waiting,
      kvBlocksUsed: usedBlocks,
      kvBlocksReserved: this.reservedBlocks,
      kvCacheBlocks: this.profile.kvCacheBlocks,
      prefixCacheBlocks: this.prefix.sizeBlocks,
      ...this.counters,
    };
  }
}
