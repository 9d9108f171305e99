// The cheapest load a streaming HTTP server can be given: keep-alive TCP connections that send a
// pre-built chat request, count SSE events ("\n\n" in the raw bytes: chunk size lines and the
// headers end in CRLF, so only event ends match) and send the next request when the chunked
// terminator arrives. No HTTP parser at all, so it reads faster than a server writes; it is the
// load of bench/sim-throughput.ts (the simulator's own ceiling), not a client to compare against.
// Run alone: npx tsx bench/tcp-reader.ts --url http://127.0.0.1:PORT [--concurrency 64]
//            [--max-tokens 128] [--duration-ms 3000]   → one JSON line on stdout.

import { connect } from 'node:net';
import { performance } from 'node:perf_hooks';
import { probeArg } from './probe-setup.js';
import { type RawReaderOptions, type RawReaderResult, readerRequestBody } from './raw-reader.js';

const BLANK_LINE = Buffer.from('\n\n');
/** the last chunk of a chunked body, after the previous chunk's CRLF */
const TERMINATOR = Buffer.from('\r\n0\r\n\r\n');

export function runTcpReader(options: RawReaderOptions): Promise<RawReaderResult> {
  const url = new URL(options.url);
  const body = readerRequestBody(options.maxTokens);
  const request = Buffer.from(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${url.host}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  let events = 0;
  let requests = 0;
  let errors = 0;
  const start = performance.now();
  const deadline = start + options.durationMs;

  const connection = () =>
    new Promise<void>((resolve) => {
      const socket = connect(Number(url.port), url.hostname);
      socket.setNoDelay(true);
      // the last bytes of the previous read: a blank line or the terminator may span two reads
      let tail = Buffer.alloc(0);
      socket.on('connect', () => socket.write(request));
      socket.on('data', (chunk: Buffer) => {
        const view = tail.length > 0 ? Buffer.concat([tail, chunk]) : chunk;
        let at = view.indexOf(BLANK_LINE, tail.length > 0 ? Math.max(0, tail.length - 1) : 0);
        while (at >= 0) {
          events++;
          at = view.indexOf(BLANK_LINE, at + 2);
        }
        const ended = view.indexOf(TERMINATOR, Math.max(0, tail.length - TERMINATOR.length + 1)) >= 0;
        tail = Buffer.from(view.subarray(Math.max(0, view.length - TERMINATOR.length + 1)));
        if (!ended) return;
        requests++;
        tail = Buffer.alloc(0);
        if (performance.now() < deadline) socket.write(request);
        else socket.end();
      });
      socket.on('error', () => {
        errors++;
        resolve();
      });
      socket.on('close', () => resolve());
    });

  return Promise.all(Array.from({ length: options.concurrency }, connection)).then(() => {
    const elapsedMs = performance.now() - start;
    return {
      requests,
      events,
      elapsedMs,
      eventsPerSecond: (events / elapsedMs) * 1000,
      requestsPerSecond: (requests / elapsedMs) * 1000,
      errors,
    };
  });
}

if (process.argv[1]?.endsWith('tcp-reader.ts')) {
  const result = await runTcpReader({
    url: probeArg('--url', 'http://127.0.0.1:8000'),
    concurrency: Number(probeArg('--concurrency', '64')),
    maxTokens: Number(probeArg('--max-tokens', '128')),
    durationMs: Number(probeArg('--duration-ms', '3000')),
  });
  process.stdout.write(`${JSON.stringify(result)}\n`);
}
