// The `sharegpt` dataset: samples conversations from a read corpus, applies vLLM's token-length
// filters, and uses either --random-output-len or the reference reply's length as max_tokens.
// Sampling is WITHOUT replacement by default (ferrum sampled with replacement, §13.3 #20); with
// replacement when asked, or for the remainder when the file has fewer usable conversations than
// requested (with a warning). Token counts are computed lazily and cached across repeats.

import { GoodputError } from '../errors.js';
import type { RandomSource } from '../random/random-source.js';
import type { DatasetPrompt } from './dataset-prompt.js';
import { LazyShuffle, uniformBelow } from './dataset-sampling.js';
import type { ShareGptDatasetSpec } from './dataset-spec.js';
import { countPromptTokens, type PromptMeasure } from './prompt-measure.js';
import { RejectionTally, type ShareGptCorpus } from './sharegpt-source.js';

interface Verdict {
  usable: boolean;
  promptTokens: number;
  replyTokens?: number;
  reason?: string;
}

export class ShareGptSampler {
  /** index → verdict, for the tokenizer named `cachedFor` */
  private readonly verdicts = new Map<number, Verdict>();
  private cachedFor: string | undefined;

  constructor(
    readonly corpus: ShareGptCorpus,
    private readonly spec: ShareGptDatasetSpec,
  ) {}

  private async judge(index: number, measure: PromptMeasure): Promise<Verdict> {
    const cached = this.verdicts.get(index);
    if (cached) return cached;
    const conv = this.corpus.conversations[index];
    if (!conv) throw new GoodputError('INTERNAL', `ShareGPT conversation ${index} out of range`);
    const f = this.spec.filters;
    const promptTokens = await countPromptTokens(measure, conv.prompt);
    const replyNeeded = this.spec.useReferenceOutputLen || f.minOutputTokens > 0;
    let verdict: Verdict;
    if (conv.reply === undefined && replyNeeded) {
      verdict = { usable: false, promptTokens, reason: 'no assistant reply after the first user turn' };
    } else {
      const replyTokens = conv.reply === undefined ? 0 : await countPromptTokens(measure, conv.reply);
      let reason: string | undefined;
      if (promptTokens < f.minPromptTokens)
        reason = `prompt under --sharegpt-min-prompt-len ${f.minPromptTokens}`;
      else if (promptTokens > f.maxPromptTokens)
        reason = `prompt over --sharegpt-max-prompt-len ${f.maxPromptTokens}`;
      else if (replyTokens < f.minOutputTokens)
        reason = `reply under --sharegpt-min-output-len ${f.minOutputTokens}`;
      else if (promptTokens + replyTokens > f.maxTotalTokens) {
        reason = `prompt + reply over --sharegpt-max-total-len ${f.maxTotalTokens}`;
      } else if (this.spec.useReferenceOutputLen && replyTokens === 0)
        reason = 'reference reply has 0 tokens';
      verdict =
        reason === undefined
          ? { usable: true, promptTokens, replyTokens }
          : { usable: false, promptTokens, reason };
    }
    this.verdicts.set(index, verdict);
    return verdict;
  }

  private toPrompt(index: number, v: Verdict): DatasetPrompt {
    const conv = this.corpus.conversations[index] as { prompt: string; ref: string };
    return {
      prompt: conv.prompt,
      inputTokens: v.promptTokens,
      maxTokens: this.spec.useReferenceOutputLen ? (v.replyTokens as number) : this.spec.outputLen,
      sourceRef: conv.ref,
    };
  }

  private noneUsable(): GoodputError {
    const tally = new RejectionTally();
    tally.absorb(this.corpus.rejected);
    for (const [index, v] of [...this.verdicts.entries()].sort((a, b) => a[0] - b[0])) {
      if (!v.usable) tally.add(this.corpus.conversations[index]?.ref ?? `#${index}`, v.reason ?? 'unusable');
    }
    return new GoodputError(
      'DATASET',
      `${this.corpus.fileName}: no conversation passes the length filters (${this.corpus.entries} entries): ${tally.describe()}`,
      {
        hint: 'relax --sharegpt-min-prompt-len / --sharegpt-max-prompt-len / --sharegpt-min-output-len / --sharegpt-max-total-len',
      },
    );
  }

  /**
   * `count` prompts from `rng`: the first `measured` are the measured prompts, the rest warmup, so
   * warmup never repeats a measured conversation while the file has unused ones.
   */
  async sample(
    measure: PromptMeasure,
    rng: RandomSource,
    count: number,
  ): Promise<{ prompts: DatasetPrompt[]; warnings: string[] }> {
    if (this.cachedFor !== measure.tokenizer.name + (measure.countTokens ? ' (server)' : '')) {
      this.verdicts.clear();
      this.cachedFor = measure.tokenizer.name + (measure.countTokens ? ' (server)' : '');
    }
    const size = this.corpus.conversations.length;
    const prompts: DatasetPrompt[] = [];
    const warnings: string[] = [];
    if (this.spec.withReplacement) {
      const evaluated = new Set<number>();
      let usable = 0;
      while (prompts.length < count) {
        const index = uniformBelow(rng, size);
        const v = await this.judge(index, measure);
        if (!evaluated.has(index)) {
          evaluated.add(index);
          if (v.usable) usable++;
        }
        if (v.usable) prompts.push(this.toPrompt(index, v));
        else if (evaluated.size === size && usable === 0) throw this.noneUsable();
      }
      return { prompts, warnings };
    }
    const order = new LazyShuffle(rng, size);
    const usableIndices: number[] = [];
    for (let index = order.next(); index !== undefined && prompts.length < count; index = order.next()) {
      const v = await this.judge(index, measure);
      if (!v.usable) continue;
      usableIndices.push(index);
      prompts.push(this.toPrompt(index, v));
    }
    if (prompts.length === 0) throw this.noneUsable();
    if (prompts.length < count) {
      const distinct = prompts.length;
      while (prompts.length < count) {
        const index = usableIndices[uniformBelow(rng, usableIndices.length)] as number;
        prompts.push(this.toPrompt(index, this.verdicts.get(index) as Verdict));
      }
      warnings.push(
        `${this.corpus.fileName}: only ${distinct} usable conversations for ${count} requests (measured + warmup): the other ${count - distinct} were sampled with replacement`,
      );
    }
    return { prompts, warnings };
  }
}
