// How many SSE events/s the simulator (preset instant) emits: the simulator runs in this process,
// the raw TCP reader (bench/tcp-reader.ts, no HTTP parser, cheaper per event than the simulator)
// drives it from a child process, and the simulator's own
// CPU time is measured, so its cost reads as events per CPU-second of the simulator (its ceiling
// on one core) even when the reader, not the simulator, is the limit of the wall-clock rate.
// The simulator is the built one (dist/, as `goodput sim` runs it): `npm run build` first.
// Run: npx tsx bench/sim-throughput.ts [--concurrency 64] [--max-tokens 128] [--duration-ms 4000] [--rounds 3]
//      [--burst-steps N]   → the instant preset with N steps per event-loop turn instead of its 16
//      [--json]   → with --json, one JSON line per round on stdout instead of the text lines

import { startSimulator } from '../dist/server/start-simulator.js';
import { runProbe } from './fresh-process.js';
import { probeArg } from './probe-setup.js';
import type { RawReaderResult } from './raw-reader.js';

const concurrency = Number(probeArg('--concurrency', '64'));
const maxTokens = Number(probeArg('--max-tokens', '128'));
const durationMs = Number(probeArg('--duration-ms', '4000'));
const rounds = Number(probeArg('--rounds', '3'));
const json = process.argv.includes('--json');

export interface SimThroughputRound {
  /** events/s the reader received (wall clock) */
  eventsPerSecond: number;
  /** the simulator's CPU time over the round's wall time (1 = one core busy) */
  simBusy: number;
  /** events per CPU-second of the simulator process: its cost, whatever limited the wall rate */
  eventsPerSimCpuSecond: number;
  errors: number;
}

const runReader = (url: string) =>
  runProbe<RawReaderResult>('tcp-reader.ts', [
    '--url',
    url,
    '--concurrency',
    String(concurrency),
    '--max-tokens',
    String(maxTokens),
    '--duration-ms',
    String(durationMs),
  ]);

const burstSteps = probeArg('--burst-steps', '');
const sim = await startSimulator({
  preset: 'instant',
  ...(burstSteps === '' ? {} : { profile: { burstSteps: Number(burstSteps) } }),
});
const say = (line: string) => {
  if (!json) console.log(line);
};
say(
  `simulator (instant) at ${sim.url}; reader: ${concurrency} streams × ${maxTokens} tokens, ${durationMs} ms per round`,
);
const perRound: number[] = [];
for (let round = 1; round <= rounds; round++) {
  const cpu0 = process.cpuUsage();
  const r = await runReader(sim.url);
  const cpu = process.cpuUsage(cpu0);
  const simCpuMs = (cpu.user + cpu.system) / 1000;
  const simBusy = simCpuMs / r.elapsedMs;
  const perCpuSecond = (r.events / simCpuMs) * 1000;
  perRound.push(perCpuSecond);
  if (json) {
    const result: SimThroughputRound = {
      eventsPerSecond: r.eventsPerSecond,
      simBusy,
      eventsPerSimCpuSecond: perCpuSecond,
      errors: r.errors,
    };
    process.stdout.write(`${JSON.stringify(result)}\n`);
  }
  say(
    `round ${round}: ${Math.round(r.eventsPerSecond)} events/s, ${Math.round(r.requestsPerSecond)} req/s, errors ${r.errors}; ` +
      `simulator CPU ${(simBusy * 100).toFixed(0)} % of one core → ${Math.round(perCpuSecond)} events per simulator CPU-second`,
  );
}
perRound.sort((a, b) => a - b);
say(
  `median: ${Math.round(perRound[Math.floor(perRound.length / 2)]!)} events per simulator CPU-second (rounds: ${perRound.map(Math.round).join(', ')})`,
);
await sim.close();
