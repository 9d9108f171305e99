// main(io): builds the commander program from COMMANDS (loading only the invoked command's module),
// runs it, and turns every failure into a message on stderr and an exit code (0 ok, 1 failed run
// or gate, 2 bad usage). The only place errors become exit codes; no stack trace for a user error.

import { Command, CommanderError } from '@commander-js/extra-typings';
import { GoodputError } from '../core/errors.js';
import type { CommandContext } from './command.js';
import { registerCommands } from './commands.js';
import { type CliIo, processIo } from './io.js';
import { TOOL_VERSION } from './version.js';

export async function main(args: readonly string[], io: CliIo): Promise<number> {
  const ctx: CommandContext = { io, argv: ['goodput', ...args], exitCode: 0 };
  const program = new Command()
    .name('goodput')
    .description(
      'Benchmark LLM inference servers: TTFT, TPOT, ITL, E2E, throughput and goodput under an SLO.',
    )
    .version(TOOL_VERSION, '-V, --version')
    .showHelpAfterError('(run with --help for usage)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
    });
  await registerCommands(program, ctx, args);
  for (const sub of program.commands) {
    sub.exitOverride();
    sub.configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) });
  }
  try {
    await program.parseAsync([...args], { from: 'user' });
    return ctx.exitCode;
  } catch (e) {
    return reportError(e, io);
  }
}

/** Writes a user-facing error and returns its exit code. */
export function reportError(e: unknown, io: CliIo): number {
  if (e instanceof CommanderError) {
    // help and version exit 0; commander already printed its own message for usage errors
    if (e.code === 'commander.helpDisplayed' || e.code === 'commander.version' || e.code === 'commander.help')
      return 0;
    return 2;
  }
  if (e instanceof GoodputError) {
    io.stderr.write(`error: ${e.message}\n`);
    if (e.hint) io.stderr.write(`hint: ${e.hint}\n`);
    return e.exitCode;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`internal error: ${err.message}\n${err.stack ?? ''}\n`);
  return 1;
}

/** Entry point of bin/goodput.js. */
export async function runMain(args: readonly string[]): Promise<number> {
  return main(args, processIo());
}
