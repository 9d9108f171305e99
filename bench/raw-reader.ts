// A minimal raw node:http SSE reader: closed-loop streams that only count events (each SSE event
// ends with a blank line, "\n\n"), nothing parsed, nothing timed per event. It is the reference
// ceiling the client benchmark compares against (SPEC §10) and the load of bench/sim-throughput.ts.
// Run alone: npx tsx bench/raw-reader.ts --url http://127.0.0.1:PORT [--concurrency 64]
//            [--max-tokens 128] [--duration-ms 3000]   → one JSON line on stdout.

import { Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface RawReaderOptions {
  url: string;
  concurrency: number;
  maxTokens: number;
  durationMs: number;
}

export interface RawReaderResult {
  requests: number;
  events: number;
  elapsedMs: number;
  eventsPerSecond: number;
  requestsPerSecond: number;
  errors: number;
}

const BLANK_LINE = Buffer.from('\n\n');

/** The streaming chat request every reader sends: exactly `maxTokens` tokens (ignore_eos), with usage. */
export function readerRequestBody(maxTokens: number): string {
  return JSON.stringify({
    model: 'goodput-sim',
    messages: [{ role: 'user', content: 'Count the events of this stream.' }],
    max_tokens: maxTokens,
    ignore_eos: true,
    stream: true,
    stream_options: { include_usage: true },
  });
}

export async function runRawReader(options: RawReaderOptions): Promise<RawReaderResult> {
  const target = new URL('/v1/chat/completions', options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const body = readerRequestBody(options.maxTokens);
  let events = 0;
  let requests = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;

  const one = () =>
    new Promise<void>((resolve) => {
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res) => {
          let pendingNewline = false;
          res.on('data', (chunk: Buffer) => {
            // count "\n\n", including one split across two reads
            if (pendingNewline && chunk[0] === 0x0a) events++;
            let at = chunk.indexOf(BLANK_LINE);
            while (at >= 0) {
              events++;
              at = chunk.indexOf(BLANK_LINE, at + 2);
            }
            pendingNewline = chunk[chunk.length - 1] === 0x0a && chunk[chunk.length - 2] !== 0x0a;
          });
          res.on('end', () => {
            requests++;
            resolve();
          });
          res.on('error', () => {
            errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });

  const worker = async () => {
    while (performance.now() < deadline) await one();
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  const elapsedMs = performance.now() - start;
  agent.destroy();
  return {
    requests,
    events,
    elapsedMs,
    eventsPerSecond: (events / elapsedMs) * 1000,
    requestsPerSecond: (requests / elapsedMs) * 1000,
    errors,
  };
}

function flag(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

if (process.argv[1]?.endsWith('raw-reader.ts')) {
  const args = process.argv.slice(2);
  const result = await runRawReader({
    url: flag(args, '--url', 'http://127.0.0.1:8000'),
    concurrency: Number(flag(args, '--concurrency', '64')),
    maxTokens: Number(flag(args, '--max-tokens', '128')),
    durationMs: Number(flag(args, '--duration-ms', '3000')),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
