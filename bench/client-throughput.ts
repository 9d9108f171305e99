// Figure 1 probe: how many SSE events per second goodput's client times and records (the real
// request executor in a closed loop, every record streamed to a requests.jsonl as bench-serve
// does; no metrics math), or, as the reference, the raw node:http reader (bench/raw-reader.ts),
// against a zero-delay simulator in another process. One side per process; bench/run.ts alternates.
// Run: npx tsx bench/client-throughput.ts --side goodput|raw --url URL [--concurrency 64]
//      [--max-tokens 128] [--duration-ms 3000]          → one JSON line on stdout

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { runClosedLoop } from '../dist/client/closed-loop.js';
import { RunControl } from '../dist/client/run-control.js';
import { RunDirectory } from '../dist/output/run-directory.js';
import { probeArg, simulatorClient } from './probe-setup.js';
import { runRawReader } from './raw-reader.js';

export interface ThroughputResult {
  readonly side: 'goodput' | 'raw';
  readonly requests: number;
  /** SSE events of the completed streams (role, tokens, finish, usage, [DONE]: what the raw reader counts) */
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly requestsPerSecond: number;
  /** events per second of this process's CPU time (user + system): the cost, whatever the server's speed */
  readonly eventsPerCpuSecond: number;
  readonly errors: number;
}

/** goodput's client in a duration-bounded closed loop, records streamed to a temporary run directory. */
export async function runGoodputClient(
  url: string,
  concurrency: number,
  maxTokens: number,
  durationMs: number,
): Promise<Omit<ThroughputResult, 'side' | 'eventsPerCpuSecond'>> {
  const client = simulatorClient(url, concurrency);
  const dir = mkdtempSync(join(tmpdir(), 'goodput-bench-'));
  const out = RunDirectory.create(dir);
  await client.warm(concurrency, '/health');
  let requests = 0;
  let events = 0;
  let errors = 0;
  const start = performance.now();
  try {
    await runClosedLoop(
      client,
      { concurrency, durationMs },
      (i) => ({
        plan: {
          id: `0.1.${i}`,
          cell: 'throughput',
          repeat: 1,
          index: i,
          warmup: false,
          inputTokens: 7,
          maxTokens,
        },
        prompt: 'Count the events of this stream.',
      }),
      (r) => {
        out.appendRequest(r);
        requests++;
        if (r.flags.length > 0) errors++;
        // role chunk + output deltas + finish chunk + usage chunk + [DONE], as the raw reader counts blank lines
        else events += r.event_ms.length + 2 + (r.usage_output_tokens === undefined ? 0 : 1) + r.done_count;
      },
      new RunControl(),
    );
  } finally {
    out.close();
    await client.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const elapsedMs = performance.now() - start;
  return {
    requests,
    events,
    eventsPerSecond: (events / elapsedMs) * 1000,
    requestsPerSecond: (requests / elapsedMs) * 1000,
    errors,
  };
}

/** One side: a short unreported warm-up pass (JIT), then the measured pass with its CPU time. */
export async function measureThroughput(
  side: 'goodput' | 'raw',
  url: string,
  concurrency: number,
  maxTokens: number,
  durationMs: number,
): Promise<ThroughputResult> {
  const run = (ms: number) =>
    side === 'goodput'
      ? runGoodputClient(url, concurrency, maxTokens, ms)
      : runRawReader({ url, concurrency, maxTokens, durationMs: ms });
  await run(Math.min(500, durationMs));
  const cpu0 = process.cpuUsage();
  const r = await run(durationMs);
  const cpu = process.cpuUsage(cpu0);
  const cpuS = (cpu.user + cpu.system) / 1e6;
  return {
    side,
    requests: r.requests,
    events: r.events,
    eventsPerSecond: r.eventsPerSecond,
    requestsPerSecond: r.requestsPerSecond,
    eventsPerCpuSecond: cpuS > 0 ? r.events / cpuS : 0,
    errors: r.errors,
  };
}

if (process.argv[1]?.endsWith('client-throughput.ts')) {
  const side = probeArg('--side', 'goodput') === 'raw' ? 'raw' : 'goodput';
  const result = await measureThroughput(
    side,
    probeArg('--url', 'http://127.0.0.1:8000'),
    Number(probeArg('--concurrency', '64')),
    Number(probeArg('--max-tokens', '128')),
    Number(probeArg('--duration-ms', '3000')),
  );
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
