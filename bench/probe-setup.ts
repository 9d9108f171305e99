// What every client probe of the suite shares: goodput's client aimed at the simulator's chat
// endpoint, and the `--name value` arguments a probe process is started with by bench/run.ts.

import { GenerationClient } from '../dist/client/request-executor.js';

/** goodput's request executor against the simulator at `url`, `connections` pooled (null: unbounded). */
export function simulatorClient(url: string, connections: number | null): GenerationClient {
  return new GenerationClient({
    origin: url,
    path: '/v1/chat/completions',
    headers: ['content-type', 'application/json'],
    body: { endpoint: 'chat', model: 'goodput-sim', ignoreEos: true },
    timeoutMs: 60_000,
    connections,
  });
}

/** The value after `name` on this process's command line, or `fallback`. */
export function probeArg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? (process.argv[i + 1] ?? fallback) : fallback;
}
