// `goodput make-tiny-gguf OUT [--vocab tokenizer.json] [--seed S]`: writes a tiny random-weight
// llama GGUF for tests and offline demos of `goodput bench --engine llama` (SPEC §8.1).

import { resolve } from 'node:path';
import { GoodputError } from '../core/errors.js';
import { makeTinyGguf } from '../engine/gguf/make-tiny-gguf.js';
import type { CommandModule } from './command.js';

const EXAMPLES = `
Examples:
  goodput make-tiny-gguf tiny.gguf                      # built-in vocabulary, seed 0
  goodput make-tiny-gguf tiny.gguf --seed 7             # other random weights
  goodput make-tiny-gguf tiny.gguf --vocab tokenizer.json
  goodput bench --engine llama --model-path tiny.gguf --threads 1

The model is llama-architecture, 2 layers, embedding 64, 4 heads, context 256, F32 weights drawn
from the seed. Its output never selects control tokens (bos/eos), so generation runs to
--max-tokens: useful for timing, meaningless as text.`;

function parseSeed(text: string): number {
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new GoodputError('USAGE', `--seed ${text}: expected a non-negative integer`, {
      hint: 'e.g. --seed 42',
    });
  }
  return Number(text);
}

export const makeTinyGgufCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('make-tiny-gguf')
      .description(
        'Write a tiny random-weight llama GGUF model (for goodput bench --engine llama without downloads).',
      )
      .argument('<out>', 'the .gguf file to write (atomically)')
      .option(
        '--vocab <tokenizer.json>',
        'use the vocabulary of a Hugging Face tokenizer.json (BPE or Unigram)',
      )
      .option('--seed <n>', 'seed of the random weights', '0')
      .addHelpText('after', EXAMPLES)
      .action(async (out, opts) => {
        const seed = parseSeed(opts.seed);
        const info = await makeTinyGguf(resolve(ctx.io.cwd, out), {
          seed,
          ...(opts.vocab === undefined ? {} : { vocabPath: resolve(ctx.io.cwd, opts.vocab) }),
        });
        ctx.io.stderr.write(
          `→ wrote ${out} (${info.bytes} bytes, ${info.vocabSize} tokens, tokenizer ${info.tokenizerModel}, ` +
            `${info.shape.layers} layers × ${info.shape.embedding}, seed ${seed})\n`,
        );
        ctx.exitCode = 0;
      });
  },
};
