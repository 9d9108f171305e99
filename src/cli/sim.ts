// `goodput sim`: runs the simulated OpenAI-compatible server until SIGINT/SIGTERM. Parses and
// validates the flags, starts the server (src/server/start-simulator.ts), prints one line
// `goodput sim listening on URL` on stdout (a parent process reads it to learn the port).

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Option } from '@commander-js/extra-typings';
import { GoodputError } from '../core/errors.js';
import { describeJsonSyntaxError } from '../core/schema/json-syntax.js';
import { FAULT_NAMES, parseFaultSpec } from '../core/sim/fault-plan.js';
import { DEFAULT_SIM_PRESET, SIM_PRESET_NAMES, simPreset } from '../core/sim/presets.js';
import { parseProfileAssignments, resolveProfile, type SimProfile } from '../core/sim/profile.js';
import { DEFAULT_SIM_HOST, DEFAULT_SIM_MODEL, isLoopbackHost } from '../server/sim-options.js';
import { listeningLine } from '../server/spawn-simulator.js';
import type { CommandModule } from './command.js';

const EXAMPLES = `
Examples:
  goodput sim                                   # tiny preset on a free loopback port
  goodput sim --port 8000 --preset large-slow   # a 70B-like server on :8000
  goodput sim --preset instant                  # zero delay, for benchmarking clients
  goodput sim --profile my-gpu.json --set maxRunningSeqs=32
  goodput sim --faults 'http_500:0.05,stall=2000@3,7' --seed 7 --truth-log truth.jsonl
  goodput sim --faults reject_stream_options    # 400 whenever stream_options is sent

Faults: ${FAULT_NAMES.join(', ')}
  NAME:RATE (0..1, seeded) or NAME@N,N (1-based request numbers); stall=MS, slow_headers=MS,
  http_429=RETRY_AFTER_S and coalesced=EVENTS_PER_WRITE take a parameter.
`;

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function parseIntFlag(flag: string, raw: string, min: number, max: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new GoodputError('USAGE', `${flag} ${raw}: expected an integer from ${min} to ${max}`, {
      hint: `for example ${flag} ${min}`,
    });
  }
  return n;
}

function readProfileFile(path: string, cwd: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(cwd, path), 'utf8');
  } catch (e) {
    throw new GoodputError(
      'INPUT_MISSING',
      `--profile ${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? e})`,
      {
        hint: 'give the path of a JSON file with profile fields',
      },
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new GoodputError('INPUT_NOT_JSON', describeJsonSyntaxError(`--profile ${path}`, text, e), {
      hint: 'the profile is one JSON object, e.g. {"stepBaseMs": 20}',
    });
  }
}

export const simCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('sim')
      .description(
        'Run the simulated OpenAI-compatible server: real HTTP and SSE, a continuous-batching model, fault injection.',
      )
      .option('--port <n>', 'TCP port; 0 picks a free one (the URL is printed)', '0')
      .option('--host <addr>', 'bind address (loopback unless --allow-remote)', DEFAULT_SIM_HOST)
      .option('--allow-remote', 'allow --host to be an address that is not loopback')
      .addOption(
        new Option('--preset <name>', 'performance preset')
          .choices(SIM_PRESET_NAMES)
          .default(DEFAULT_SIM_PRESET),
      )
      .option('--profile <file.json>', 'JSON object overriding fields of the preset')
      .option('--set <field=value>', 'override one profile field (repeatable)', collect, [] as string[])
      .option('--seed <n>', 'seed of jitter, EOS points, words and rate-based faults', '0')
      .option('--faults <spec>', 'fault injection plan (see below)')
      .option(
        '--truth-log <file.jsonl>',
        'stream the ground truth of every request (event write times) to a JSONL file',
      )
      .option('--model <name>', 'served model name', DEFAULT_SIM_MODEL)
      .addHelpText('after', EXAMPLES)
      .action(async (opts) => {
        const io = ctx.io;
        const port = parseIntFlag('--port', opts.port, 0, 65535);
        const seed = parseIntFlag('--seed', opts.seed, 0, Number.MAX_SAFE_INTEGER);
        if (!isLoopbackHost(opts.host) && !opts.allowRemote) {
          throw new GoodputError('USAGE', `--host ${opts.host}: not a loopback address`, {
            hint: 'add --allow-remote to expose the simulator beyond this machine',
          });
        }
        let profile: SimProfile = simPreset(opts.preset);
        if (opts.profile !== undefined)
          profile = resolveProfile(profile, readProfileFile(opts.profile, io.cwd), opts.profile);
        if (opts.set.length > 0)
          profile = resolveProfile(profile, parseProfileAssignments(opts.set), '--set', 'USAGE');
        const faults = parseFaultSpec(opts.faults);
        const truthLogPath = opts.truthLog === undefined ? undefined : resolve(io.cwd, opts.truthLog);

        const { startSimulator } = await import('../server/start-simulator.js');
        const sim = await startSimulator({
          host: opts.host,
          port,
          preset: opts.preset,
          profile,
          seed,
          faults,
          model: opts.model,
          truthLogPath,
          allowRemote: opts.allowRemote === true,
        });
        if (!isLoopbackHost(opts.host)) {
          io.stderr.write(`warning: the simulator is reachable from other machines on ${opts.host}\n`);
        }
        io.stdout.write(listeningLine(sim.url));
        io.stderr.write(
          `preset ${opts.preset}, seed ${seed}${opts.faults ? `, faults ${opts.faults}` : ''}; Ctrl-C stops\n`,
        );
        await new Promise<void>((done) => {
          const remove = io.onInterrupt(() => {
            remove();
            done();
          });
        });
        await sim.close();
        io.stderr.write('goodput sim stopped\n');
        ctx.exitCode = 0;
      });
  },
};
