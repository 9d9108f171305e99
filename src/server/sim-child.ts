// Process entry of a spawned simulator (spawn-simulator.ts): argv[2] is the JSON of the options.
// Prints the "listening on" line on stdout, stops cleanly on SIGTERM / SIGINT, and exits when its
// parent goes away (stdin closes). An entry point like bin/: the one place here that exits.

import { isGoodputError } from '../core/errors.js';
import { listeningLine } from './spawn-simulator.js';
import { startSimulator } from './start-simulator.js';

async function run(): Promise<void> {
  const sim = await startSimulator(JSON.parse(process.argv[2] ?? '{}'));
  process.stdout.write(listeningLine(sim.url));
  let stopping = false;
  const shutdown = () => {
    if (stopping) return;
    stopping = true;
    void sim.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
  process.stdin.on('end', shutdown);
  process.stdin.on('error', shutdown);
  process.stdin.resume();
}

run().catch((e: unknown) => {
  process.stderr.write(`error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(isGoodputError(e) ? e.exitCode : 1);
});
