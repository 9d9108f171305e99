// The shape of one subcommand module: it registers itself on the root commander program and, when
// its action runs, returns the exit code. Subcommands parse, validate, call one library function,
// render, write, and return; they never call process.exit.

import type { Command } from '@commander-js/extra-typings';
import type { CliIo } from './io.js';

export interface CommandContext {
  readonly io: CliIo;
  /** the full command line, recorded in reports */
  readonly argv: readonly string[];
  /** set by the action: the process exit code */
  exitCode: number;
}

export interface CommandModule {
  register(program: Command, ctx: CommandContext): void;
}
