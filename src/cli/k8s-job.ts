// `goodput k8s-job --shards N --image IMG [--namespace NS] [--pvc NAME] -- <bench-serve args>`:
// prints the Kubernetes Indexed Job that runs a sharded bench-serve (core/k8s/indexed-job.ts).
// The start instant is --start-at, or now + --start-in when printed: pipe it to `kubectl apply`.

import { GoodputError } from '../core/errors.js';
import { indexedJobYaml } from '../core/k8s/indexed-job.js';
import type { CommandModule } from './command.js';

const EXAMPLES = `
Examples:
  goodput k8s-job --shards 4 --image ghcr.io/me/goodput:0.1 --pvc bench-results -- \\
      --base-url http://vllm.default.svc:8000 --request-rate 400 --num-prompts 20000 --n-repeats 1 \\
    | kubectl apply -f -
  # when every pod finished, from any pod or host that mounts the volume:
  goodput merge /results/shard-* --out-dir /results/merged

Pod i runs bench-serve --shard i/N (i = its completion index) --start-at T --out-dir /results/shard-i.
The start is --start-at (epoch ms) or, by default, 120 s after the manifest is printed: apply it at
once, and give the pods time to pull the image and warm up. The nodes' clocks must be synchronised
(NTP); the PVC must be ReadWriteMany.`;

/** Flags the Job sets itself. */
const RESERVED = ['--shard', '--start-at', '--out-dir'];

export const k8sJobCommand: CommandModule = {
  register(program, ctx) {
    program
      .command('k8s-job')
      .description(
        'Print the Kubernetes Indexed Job manifest of a sharded bench-serve run (one pod per shard).',
      )
      .requiredOption('--shards <n>', 'number of shards (pods): completions = parallelism = N')
      .requiredOption('--image <image>', 'container image with goodput on its PATH')
      .option('--name <name>', 'Job name', 'goodput-bench')
      .option('--namespace <ns>', 'namespace of the Job')
      .option('--pvc <name>', 'ReadWriteMany PersistentVolumeClaim mounted at /results', 'goodput-results')
      .option('--start-at <epoch-ms>', 'the instant every shard starts its measured phase')
      .option('--start-in <seconds>', 'or: this long after the manifest is printed', '120')
      .argument('[bench-serve-args...]', 'bench-serve flags, after --')
      .addHelpText('after', EXAMPLES)
      .action((benchArgs, opts) => {
        const problems: string[] = [];
        const shards = Number(opts.shards);
        if (!Number.isSafeInteger(shards) || shards < 1)
          problems.push(`--shards ${JSON.stringify(opts.shards)}: expected an integer ≥ 1`);
        for (const flag of RESERVED)
          if (benchArgs.some((a) => a === flag || a.startsWith(`${flag}=`)))
            problems.push(`${flag} is set by the Job for each pod: drop it from the bench-serve args`);
        if (!benchArgs.some((a) => a === '--base-url' || a.startsWith('--base-url=')))
          problems.push('the bench-serve args need --base-url: every pod loads the same server');
        let startAtMs: number;
        if (opts.startAt !== undefined) {
          startAtMs = Number(opts.startAt);
          if (!/^\d+$/.test(opts.startAt) || !Number.isSafeInteger(startAtMs))
            problems.push(`--start-at ${JSON.stringify(opts.startAt)}: expected ms since the epoch`);
        } else {
          const inS = Number(opts.startIn);
          if (!(inS >= 0) || !Number.isFinite(inS))
            problems.push(`--start-in ${JSON.stringify(opts.startIn)}: expected seconds ≥ 0`);
          startAtMs = Math.round(Date.now() + inS * 1000);
        }
        if (problems.length > 0) {
          throw new GoodputError('USAGE', problems.join('\n  '), {
            hint: 'run goodput k8s-job --help for an example',
          });
        }
        const args = benchArgs.some((a) => a === '--n-repeats' || a.startsWith('--n-repeats='))
          ? benchArgs
          : [...benchArgs, '--n-repeats', '1'];
        ctx.io.stdout.write(
          indexedJobYaml({
            name: opts.name,
            ...(opts.namespace === undefined ? {} : { namespace: opts.namespace }),
            image: opts.image,
            shards,
            startAtMs,
            pvc: opts.pvc,
            benchServeArgs: args,
          }),
        );
        ctx.exitCode = 0;
      });
  },
};
