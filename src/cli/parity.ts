// `goodput parity A B`: the configuration-parity table of two runs (SPEC §7.3): each checklist
// knob read from the recorded server flags, server env, FERRUM_* env and request parameters,
// marked equal / different / unknown.

import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { parityTable } from '../core/compare/parity.js';
import { writeFileAtomic } from '../output/atomic-write.js';
import { renderParityMarkdown } from '../render/compare-markdown.js';
import type { CommandModule } from './command.js';
import { resolveSides } from './compare-inputs.js';
import { DEFAULT_DB_PATH } from './db.js';

const EXAMPLES = `
Examples:
  goodput parity results/ferrum results/vllm --label-a ferrum --label-b vllm
  goodput parity label:ferrum label:vllm --format json

Values come from what each run recorded: bench-serve --server-args / --server-env (kept in the
report's goodput.server), env.ferrum_env and env.vllm_args, and the request parameters of the
recorded command line (--extra-body, --ignore-eos). A knob nobody recorded is "unknown".
`;

export const parityCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('parity')
      .description(
        'Configuration-parity table of two runs: KV fraction, max seqs, batched tokens, prefill, caching, dtypes, TP, graphs, sampling.',
      )
      .argument(
        '<inputs...>',
        'A B: report files, result directories or ledger selectors; several per side separated by "vs"',
      )
      .option('--label-a <label>', 'name of side A')
      .option('--label-b <label>', 'name of side B')
      .addOption(
        new Option('--format <format>', 'output format')
          .choices(['md', 'json'] as const)
          .default('md' as const),
      )
      .option('--out <path>', 'write to this file (atomically) instead of stdout')
      .option('--db <path>', 'the ledger, for selectors', DEFAULT_DB_PATH)
      .addHelpText('after', EXAMPLES)
      .action(async (inputs, opts) => {
        const [a, b] = await resolveSides(inputs, { dbPath: opts.db, cwd: ctx.io.cwd });
        const table = parityTable(
          opts.labelA ?? a.label,
          a.cells.map((c) => c.report),
          opts.labelB ?? b.label,
          b.cells.map((c) => c.report),
        );
        const text =
          opts.format === 'json' ? `${JSON.stringify(table, null, 2)}\n` : renderParityMarkdown(table);
        if (opts.out === undefined) ctx.io.stdout.write(text);
        else writeFileAtomic(resolve(ctx.io.cwd, opts.out), text);
        ctx.exitCode = 0;
      });
  },
};
