// `goodput env-hash [--verify] FILES…`: prints each cell's stored env hash, or with --verify
// recomputes it from the cell's env block with ferrum's exact algorithm (SPEC §2.4) and exits 1
// naming every cell whose stored hash does not match.

import { verifyEnvHash } from '../core/env/canonical-env.js';
import { GoodputError } from '../core/errors.js';
import { loadReportInputs } from '../input/read-reports.js';
import type { CommandModule } from './command.js';

const EXAMPLES = `
Examples:
  goodput env-hash results/2026-06-01-c16/report.json    # one line per cell: <file>[#i] sha256:…
  goodput env-hash --verify fixtures/*.json              # recompute and check; exit 1 on a mismatch

A file with several cells labels them <file>#0, <file>#1, … (the index in the file).`;

export const envHashCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('env-hash')
      .description(
        "Print the env hash of each report cell; --verify recomputes it from the env block (ferrum's algorithm).",
      )
      .argument('<files...>', 'report files (.json, .jsonl, report.json envelopes) or result directories')
      .option('--verify', 'recompute every hash and exit 1 if any stored hash differs')
      .addHelpText('after', EXAMPLES)
      .action(async (files, opts) => {
        const inputs = await loadReportInputs(files, { cwd: ctx.io.cwd });
        const mismatched: string[] = [];
        let cells = 0;
        for (const input of inputs) {
          input.reports.forEach((report, i) => {
            cells++;
            const label = input.reports.length === 1 ? input.source : `${input.source}#${i}`;
            if (opts.verify !== true) {
              ctx.io.stdout.write(`${label} ${report.env_hash}\n`);
              return;
            }
            const check = verifyEnvHash(report);
            if (check.ok) {
              ctx.io.stdout.write(`${label} ${check.stored} ok\n`);
            } else {
              mismatched.push(label);
              ctx.io.stdout.write(`${label} ${check.stored} MISMATCH (recomputed ${check.computed})\n`);
            }
          });
        }
        if (mismatched.length > 0) {
          throw new GoodputError(
            'HASH_MISMATCH',
            `${mismatched.length} of ${cells} env hashes do not match their env block: ${mismatched.join(', ')}`,
            {
              hint: 'The env block was edited after the report was written, or a tool with a different Env layout wrote it; compare the env blocks before trusting the comparison.',
            },
          );
        }
        ctx.exitCode = 0;
      });
  },
};
