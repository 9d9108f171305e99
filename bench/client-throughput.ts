// How many SSE events per second goodput's client times and records, against the raw node:http
// reader (bench/raw-reader.ts) in the same run, both against the `instant` simulator preset in
// another process (SPEC §10: ≥ 80 % of the raw reader). Rounds alternate the order; medians printed.
// Run: npx tsx bench/client-throughput.ts [--concurrency 64] [--max-tokens 128] [--duration-ms 3000] [--rounds 3]

import { performance } from 'node:perf_hooks';
import { runClosedLoop } from '../src/client/closed-loop.js';
import { GenerationClient } from '../src/client/request-executor.js';
import { RunControl } from '../src/client/run-control.js';
import { spawnSimulator } from '../src/server/spawn-simulator.js';
import { runRawReader } from './raw-reader.js';

export interface ThroughputResult {
  readonly requests: number;
  readonly events: number;
  readonly eventsPerSecond: number;
  readonly requestsPerSecond: number;
  readonly errors: number;
}

/**
 * goodput's client in a duration-bounded closed loop. Events counted like the raw reader counts
 * them: every SSE event of the stream (output deltas, the finish and usage chunks, [DONE]).
 */
export async function runGoodputClient(url: string, concurrency: number, maxTokens: number, durationMs: number): Promise<ThroughputResult> {
  const client = new GenerationClient({
    origin: url,
    path: '/v1/chat/completions',
    headers: ['content-type', 'application/json'],
    body: { endpoint: 'chat', model: 'goodput-sim', ignoreEos: true },
    timeoutMs: 60_000,
    connections: concurrency,
  });
  await client.warm(concurrency, '/health');
  let requests = 0;
  let events = 0;
  let errors = 0;
  const start = performance.now();
  await runClosedLoop(
    client,
    { concurrency, durationMs },
    (i) => ({
      plan: { id: String(i), cell: 'throughput', repeat: 1, index: i, warmup: false, inputTokens: 7, maxTokens },
      prompt: 'Count the events of this stream.',
    }),
    (r) => {
      requests++;
      if (r.flags.length > 0) errors++;
      // output deltas + the finish chunk + usage + [DONE] (what the raw reader's blank lines count)
      events += r.event_ms.length + 1 + (r.usage_output_tokens === undefined ? 0 : 1) + r.done_count;
    },
    new RunControl(),
  );
  const elapsedMs = performance.now() - start;
  await client.close();
  return { requests, events, eventsPerSecond: (events / elapsedMs) * 1000, requestsPerSecond: (requests / elapsedMs) * 1000, errors };
}

if (process.argv[1]?.endsWith('client-throughput.ts')) {
  const arg = (name: string, fallback: string) => {
    const i = process.argv.indexOf(name);
    return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
  };
  const concurrency = Number(arg('--concurrency', '64'));
  const maxTokens = Number(arg('--max-tokens', '128'));
  const durationMs = Number(arg('--duration-ms', '3000'));
  const rounds = Number(arg('--rounds', '3'));
  const sim = await spawnSimulator({ preset: 'instant' });
  const ratios: number[] = [];
  try {
    // one warm-up pass each (JIT), not reported
    await runGoodputClient(sim.url, concurrency, maxTokens, 500);
    await runRawReader({ url: sim.url, concurrency, maxTokens, durationMs: 500 });
    for (let round = 0; round < rounds; round++) {
      const results: Record<string, ThroughputResult> = {};
      const order = round % 2 === 0 ? ['goodput', 'raw'] : ['raw', 'goodput'];
      for (const which of order) {
        results[which] =
          which === 'goodput'
            ? await runGoodputClient(sim.url, concurrency, maxTokens, durationMs)
            : await runRawReader({ url: sim.url, concurrency, maxTokens, durationMs });
      }
      const g = results.goodput as ThroughputResult;
      const r = results.raw as ThroughputResult;
      // the same streams for both: compare completed streams per second (events/s in the same ratio)
      const ratio = g.requestsPerSecond / r.requestsPerSecond;
      ratios.push(ratio);
      process.stdout.write(
        `round ${round + 1}: goodput ${Math.round(g.eventsPerSecond)} events/s (${Math.round(g.requestsPerSecond)} req/s, ${g.errors} errors) · raw ${Math.round(r.eventsPerSecond)} events/s (${Math.round(r.requestsPerSecond)} req/s) · ratio ${ratio.toFixed(3)}\n`,
      );
    }
  } finally {
    await sim.stop();
  }
  ratios.sort((a, b) => a - b);
  process.stdout.write(`median ratio goodput/raw: ${(ratios[Math.floor(ratios.length / 2)] as number).toFixed(3)} (${concurrency} streams × ${maxTokens} tokens)\n`);
}
