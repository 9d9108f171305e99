// Every subcommand, in the order `goodput --help` lists them. One import and one entry each.

import { benchCommand } from './bench.js';
import { benchServeCommand } from './bench-serve.js';
import { calibrateCommand } from './calibrate.js';
import type { CommandModule } from './command.js';
import { compareCommand } from './compare.js';
import { compareCommitsCommand } from './compare-commits.js';
import { dbCommand } from './db.js';
import { envHashCommand } from './env-hash.js';
import { makeTinyGgufCommand } from './make-tiny-gguf.js';
import { parityCommand } from './parity.js';
import { profileCommand } from './profile.js';
import { reportCommand } from './report.js';
import { simCommand } from './sim.js';
import { traceCommand } from './trace.js';

export const COMMANDS: CommandModule[] = [
  benchServeCommand,
  simCommand,
  reportCommand,
  envHashCommand,
  compareCommand,
  compareCommitsCommand,
  parityCommand,
  dbCommand,
  benchCommand,
  makeTinyGgufCommand,
  traceCommand,
  profileCommand,
  calibrateCommand,
];
