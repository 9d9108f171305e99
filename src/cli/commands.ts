// Every subcommand, in the order `goodput --help` lists them. One import and one entry each.

import type { CommandModule } from './command.js';

export const COMMANDS: CommandModule[] = [];
