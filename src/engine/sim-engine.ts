// The simulator's engine model as an in-process engine (`goodput bench --engine sim`): the same
// continuous-batching scheduler and step loop as `goodput sim`, driven without HTTP, so the bench
// measures the model's own TTFT/TPOT with no network in between.

import { performance } from 'node:perf_hooks';
import { GoodputError } from '../core/errors.js';
import { deriveStream } from '../core/random/streams.js';
import { promptBlockHashes } from '../core/sim/block-hash.js';
import { planOutput, WordStream } from '../core/sim/output-plan.js';
import type { SimProfile } from '../core/sim/profile.js';
import { BatchScheduler } from '../core/sim/scheduler.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { StepLoop } from '../server/step-loop.js';
import type { EngineAdapter, EngineChunk, EnginePlan, GenerateOptions } from './engine-adapter.js';

export interface SimEngineOptions {
  /** the performance profile (a preset or a resolved custom profile) */
  readonly profile: SimProfile;
  /** its name for the report's model, e.g. "tiny" */
  readonly profileName: string;
  /** seeds the step jitter and each request's output length, as `goodput sim --seed` */
  readonly seed: number;
}

/** A single-consumer queue of stream items fed by the step loop's callbacks. */
class TokenQueue {
  private readonly items: Array<EngineChunk | { end: string }> = [];
  private waiting: (() => void) | undefined;

  push(item: EngineChunk | { end: string }): void {
    this.items.push(item);
    this.wakeUp();
  }

  wakeUp(): void {
    this.waiting?.();
    this.waiting = undefined;
  }

  /** Yields the chunks until the end item; throws when `signal` aborts while waiting. */
  async *drain(signal: AbortSignal): AsyncGenerator<EngineChunk> {
    for (;;) {
      const item = this.items.shift();
      if (item === undefined) {
        if (signal.aborted) throw new Error('aborted');
        await new Promise<void>((resolve) => {
          this.waiting = resolve;
        });
        continue;
      }
      if ('end' in item) {
        yield { tokens: 0, finishReason: item.end };
        return;
      }
      yield item;
    }
  }
}

export function createSimEngine(options: SimEngineOptions): EngineAdapter {
  const { profile, seed } = options;
  let tokenizer: Tokenizer | undefined;
  let scheduler: BatchScheduler | undefined;
  let loop: StepLoop | undefined;
  const live = new Map<number, { queue: TokenQueue; finishReason: string; words: WordStream }>();
  let requestNumber = 0;

  return {
    name: `sim-${options.profileName}`,
    backend: 'sim',
    async open(plan: EnginePlan) {
      const { defaultTokenizer } = await import('../tokenizer/default.js');
      tokenizer = defaultTokenizer();
      for (const prompt of new Set(plan.prompts)) {
        const n = tokenizer.count(prompt);
        if (n === 0)
          throw new GoodputError('USAGE', '--prompt: the prompt has no tokens', {
            hint: 'pass a non-empty --prompt',
          });
        if (n + plan.maxTokens > profile.maxModelLen) {
          throw new GoodputError(
            'USAGE',
            `--max-tokens ${plan.maxTokens}: the prompt (${n} tokens) plus the output exceed the simulated model's ${profile.maxModelLen}-token context`,
            {
              hint: 'lower --max-tokens or shorten --prompt',
            },
          );
        }
      }
      scheduler = new BatchScheduler(profile, deriveStream({ seed, purpose: 'sim-jitter' }));
      loop = new StepLoop(
        scheduler,
        () => performance.now(),
        {
          planned() {},
          completed(step) {
            for (const e of step.emits) {
              const seq = live.get(e.id);
              if (!seq) continue;
              if (e.tokenIndex >= 0) seq.queue.push({ tokens: 1, text: seq.words.next().text });
              if (e.finished) {
                live.delete(e.id);
                seq.queue.push({ end: seq.finishReason });
              }
            }
          },
        },
        profile.burstSteps,
      );
    },
    countTokens(prompt) {
      if (!tokenizer) throw new GoodputError('INTERNAL', 'sim engine: countTokens() before open()');
      return tokenizer.count(prompt);
    },
    generate(prompt: string, opts: GenerateOptions): AsyncIterable<EngineChunk> {
      if (!tokenizer || !scheduler || !loop)
        throw new GoodputError('INTERNAL', 'sim engine: generate() before open()');
      const id = ++requestNumber;
      const ids = tokenizer.encode(prompt);
      const plan = planOutput({
        seed,
        requestNumber: id,
        maxTokens: opts.maxTokens,
        minTokens: 0,
        ignoreEos: false,
        eosProbabilityPerToken: profile.eosProbabilityPerToken,
      });
      const queue = new TokenQueue();
      live.set(id, { queue, finishReason: plan.finishReason, words: new WordStream(seed, id) });
      scheduler.submit(
        {
          id,
          promptTokens: ids.length,
          blockHashes: promptBlockHashes(ids, profile.blockSize),
          outputTokens: plan.outputTokens,
          reserveTokens: ids.length + opts.maxTokens,
        },
        performance.now(),
      );
      loop.wake();
      const sched = scheduler;
      return (async function* stream() {
        const onAbort = () => queue.wakeUp();
        opts.signal.addEventListener('abort', onAbort);
        try {
          yield* queue.drain(opts.signal);
        } finally {
          opts.signal.removeEventListener('abort', onAbort);
          // interrupted or abandoned: the scheduler frees its KV blocks
          if (live.delete(id)) sched.abort(id);
        }
      })();
    },
    close() {
      loop?.stop();
      live.clear();
    },
  };
}
