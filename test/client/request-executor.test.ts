import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { GenerationClient } from '../../src/client/request-executor.js';
import type { PlannedRequest } from '../../src/client/stream-handler.js';

type Route = (req: IncomingMessage, res: ServerResponse, body: string) => void;

const servers: Server[] = [];
const clients: GenerationClient[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A scripted OpenAI-like server on 127.0.0.1:0; counts TCP connections and keeps request bodies. */
async function serve(route: Route) {
  const bodies: string[] = [];
  const headers: IncomingMessage['headers'][] = [];
  let connections = 0;
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      if (req.method === 'POST') {
        bodies.push(body);
        headers.push(req.headers);
      }
      if (req.url === '/health') return void res.end('ok');
      route(req, res, body);
    });
  });
  server.on('connection', () => connections++);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as AddressInfo).port;
  return { origin: `http://127.0.0.1:${port}`, bodies, headers, connections: () => connections };
}

function client(origin: string, over: Partial<ConstructorParameters<typeof GenerationClient>[0]> = {}) {
  const c = new GenerationClient({
    origin,
    path: '/v1/chat/completions',
    headers: ['content-type', 'application/json'],
    body: { endpoint: 'chat', model: 'm' },
    timeoutMs: 5_000,
    connections: 4,
    ...over,
  });
  clients.push(c);
  return c;
}

let n = 0;
function plan(over: Partial<PlannedRequest> = {}): PlannedRequest {
  n++;
  return {
    id: `0.1.m${n}`,
    cell: 'c',
    repeat: 1,
    index: n,
    warmup: false,
    inputTokens: 7,
    maxTokens: 16,
    ...over,
  };
}

const chunk = (content: string) =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;
const usage = (completion: number) =>
  `data: ${JSON.stringify({ choices: [], usage: { prompt_tokens: 9, completion_tokens: completion, prompt_tokens_details: { cached_tokens: 4 } } })}\n\n`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Writes the parts with a delay between them, then ends. */
function stream(parts: string[], gapMs = 5): Route {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (const p of parts) {
      res.write(p);
      await sleep(gapMs);
    }
    res.end();
  };
}

describe('GenerationClient.send against scripted servers', () => {
  it('records every event as it arrives, usage, finish reason and no flags for a clean stream', async () => {
    const s = await serve(
      stream([
        `data: ${JSON.stringify({ choices: [{ delta: { role: 'assistant', content: '' } }] })}\n\n`,
        chunk('a'),
        chunk('b'),
        chunk('c'),
        `data: ${JSON.stringify({ choices: [{ delta: { content: '' }, finish_reason: 'length' }] })}\n\n`,
        usage(3),
        'data: [DONE]\n\n',
      ]),
    );
    const r = await client(s.origin).send(plan({ scheduledMs: 1 }), 'hello');
    expect(r.status).toBe(200);
    expect(r.flags).toEqual([]);
    expect(r.event_ms).toHaveLength(3);
    expect(r.usage_output_tokens).toBe(3);
    expect(r.server_input_tokens).toBe(9);
    expect(r.cached_tokens).toBe(4);
    expect(r.finish_reason).toBe('length');
    expect(r.first_channel).toBe('content');
    expect(r.done_count).toBe(1);
    expect(r.scheduled_ms).toBe(1);
    expect(r.input_tokens).toBe(7);
    expect(r.max_tokens).toBe(16);
    // raw timestamps in order: send ≤ headers ≤ events ≤ end; the events came in separate reads
    const [e0, e1, e2] = r.event_ms as [number, number, number];
    expect(r.headers_ms).toBeGreaterThanOrEqual(r.send_ms);
    expect(e0).toBeGreaterThanOrEqual(r.headers_ms as number);
    expect(e1 - e0).toBeGreaterThan(0);
    expect(e2 - e1).toBeGreaterThan(0);
    expect(r.end_ms).toBeGreaterThanOrEqual(e2);
    // ferrum's body keys in order, stream_options included
    expect(Object.keys(JSON.parse(s.bodies[0] as string))).toEqual([
      'model',
      'messages',
      'max_tokens',
      'stream',
      'stream_options',
      'temperature',
    ]);
  });

  const failures: Array<[string, Route, string[], RegExp]> = [
    [
      'HTTP 500 with a Rust panic body',
      (_q, res) => res.writeHead(500).end("thread 'main' panicked at src/x.rs:1"),
      ['http_500', 'panic', 'http_5xx'],
      /^http 500: thread/,
    ],
    ['HTTP 503', (_q, res) => res.writeHead(503).end('busy'), ['http_5xx'], /^http 503: busy/],
    ['HTTP 429', (_q, res) => res.writeHead(429).end('slow down'), ['http_429'], /^http 429/],
    [
      'HTTP 404',
      (_q, res) => res.writeHead(404).end('no such model'),
      ['http_4xx'],
      /^http 404: no such model/,
    ],
    ['a stream without [DONE]', stream([chunk('a'), usage(1)]), ['missing_done'], /without \[DONE\]/],
    ['two [DONE]', stream([chunk('a'), 'data: [DONE]\n\n', 'data: [DONE]\n\n']), ['duplicate_done'], /^$/],
    ['data after [DONE]', stream([chunk('a'), 'data: [DONE]\n\n', usage(1)]), ['data_after_done'], /^$/],
    [
      'malformed JSON',
      stream([chunk('a'), 'data: {"choices":[\n\n', 'data: [DONE]\n\n']),
      ['malformed_stream'],
      /malformed SSE JSON/,
    ],
    [
      'an error event mid-stream',
      stream([chunk('a'), `data: ${JSON.stringify({ error: { message: 'oom' } })}\n\n`, 'data: [DONE]\n\n']),
      ['server_error_event'],
      /server error event: .*oom/,
    ],
    ['no output at all', stream([usage(0), 'data: [DONE]\n\n']), ['zero_output_tokens'], /^$/],
    [
      'bad output',
      stream([chunk('hi <|im_end|>'), 'data: [DONE]\n\n']),
      ['bad_output'],
      /bad output "<\|im_end\|>"/,
    ],
    ['mojibake', stream([chunk('cafÃ©'), 'data: [DONE]\n\n']), ['bad_output'], /bad output/],
    [
      'usage below the events',
      stream([chunk('a'), chunk('b'), usage(1), 'data: [DONE]\n\n']),
      ['usage_mismatch'],
      /^$/,
    ],
    [
      'a connection reset mid-stream',
      async (_q, res) => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write(chunk('a'));
        await sleep(10);
        res.socket?.destroy();
      },
      ['malformed_stream', 'truncated_body'],
      /^stream: /,
    ],
    [
      'the connection dropped before any response',
      (q) => q.socket.destroy(),
      ['malformed_stream', 'connect_error'],
      /^request: /,
    ],
  ];
  it.each(failures)('%s is labelled', async (_name, route, flags, error) => {
    const s = await serve(route);
    const r = await client(s.origin).send(plan(), 'x');
    expect(r.flags).toEqual(flags);
    expect(r.error ?? '').toMatch(error);
  });

  it('events that arrive in one network read share its arrival time and count as one coalesced read', async () => {
    const s = await serve(async (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.flushHeaders();
      await sleep(5);
      // one HTTP chunk holding two events
      res.write(chunk('a') + chunk('b'));
      await sleep(10);
      // three HTTP chunks in one TCP segment: undici hands them over as three calls in one read
      res.socket?.cork();
      res.write(chunk('c'));
      res.write(chunk('d'));
      res.write(chunk('e'));
      res.socket?.uncork();
      await sleep(10);
      res.end('data: [DONE]\n\n');
    });
    const r = await client(s.origin).send(plan(), 'x');
    const [a, b, c, d, e] = r.event_ms as [number, number, number, number, number];
    expect(r.event_ms).toHaveLength(5);
    expect(b).toBe(a);
    expect(d).toBe(c);
    expect(e).toBe(c);
    expect(c - b).toBeGreaterThan(5);
    expect(r.coalesced_reads).toBe(2);
    expect(r.flags).toEqual([]);
  });

  it('a refused connection is a connect_error record, not an exception', async () => {
    const s = await serve(stream([]));
    const origin = s.origin;
    servers[0]?.close();
    servers.splice(0);
    const r = await client(origin).send(plan(), 'x');
    expect(r.flags).toEqual(['malformed_stream', 'connect_error']);
    expect(r.status).toBeUndefined();
    expect(r.event_ms).toEqual([]);
    expect(r.error).toMatch(/ECONNREFUSED/);
  });

  it('the per-request timeout covers a stalled stream', async () => {
    const s = await serve(async (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('a'));
    });
    const t0 = performance.now();
    const r = await client(s.origin, { timeoutMs: 150 }).send(plan(), 'x');
    expect(r.flags).toEqual(['malformed_stream', 'timeout']);
    expect(r.event_ms).toHaveLength(1);
    expect(r.end_ms - r.send_ms).toBeGreaterThanOrEqual(149);
    expect(performance.now() - t0).toBeLessThan(2_000);
  });

  it('retries once without stream_options when the server rejects it, and remembers', async () => {
    const s = await serve((_q, res, body) => {
      if (JSON.parse(body).stream_options !== undefined)
        return void res.writeHead(400).end('unknown field stream_options');
      stream([chunk('a'), chunk('b'), 'data: [DONE]\n\n'], 1)(_q, res, body);
    });
    const c = client(s.origin);
    const r1 = await c.send(plan(), 'x');
    expect(r1.flags).toEqual([]);
    expect(r1.event_ms).toHaveLength(2);
    expect(r1.usage_output_tokens).toBeUndefined();
    expect(c.streamOptionsRejected).toBe(true);
    await c.send(plan(), 'x');
    // first request twice (with, then without), the second one only without
    expect(s.bodies.map((b) => 'stream_options' in JSON.parse(b))).toEqual([true, false, false]);
  });

  it('does not drop stream_options when the retry fails too', async () => {
    const s = await serve((_q, res) => res.writeHead(400).end('bad model'));
    const c = client(s.origin);
    const r = await c.send(plan(), 'x');
    expect(r.flags).toEqual(['http_4xx']);
    expect(c.streamOptionsRejected).toBe(false);
    expect(c.includeUsage).toBe(true);
    expect(s.bodies).toHaveLength(2);
  });

  it('abortAll settles in-flight requests as aborted at once', async () => {
    const s = await serve(async (_q, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(chunk('a'));
    });
    const c = client(s.origin);
    const pending = [c.send(plan(), 'x'), c.send(plan(), 'x')];
    await sleep(50);
    expect(c.inFlightCount).toBe(2);
    expect(c.abortAll('aborted')).toBe(2);
    const records = await Promise.all(pending);
    for (const r of records) {
      expect(r.flags).toEqual(['aborted']);
      expect(r.event_ms).toHaveLength(1);
    }
    expect(c.inFlightCount).toBe(0);
  });

  it('sends the API key as a bearer token, user headers, --extra-body and the completions prompt', async () => {
    const s = await serve(
      stream([`data: ${JSON.stringify({ choices: [{ text: 'x' }] })}\n\n`, 'data: [DONE]\n\n'], 1),
    );
    const c = client(s.origin, {
      path: '/v1/completions',
      headers: ['content-type', 'application/json', 'authorization', 'Bearer sk-123', 'x-team', 'a'],
      body: {
        endpoint: 'completions',
        model: 'm',
        ignoreEos: true,
        extraBody: { top_p: 0.5, temperature: 0.7 },
      },
    });
    const r = await c.send(plan(), 'prompt text');
    expect(r.first_channel).toBe('text');
    expect(r.event_ms).toHaveLength(1);
    expect(s.headers[0]?.authorization).toBe('Bearer sk-123');
    expect(s.headers[0]?.['x-team']).toBe('a');
    const body = JSON.parse(s.bodies[0] as string);
    expect(body).toEqual({
      model: 'm',
      prompt: 'prompt text',
      max_tokens: 16,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.7,
      ignore_eos: true,
      top_p: 0.5,
    });
  });

  it('warm() opens K connections before measuring; measured requests reuse them (no connected_ms)', async () => {
    const s = await serve(stream([chunk('a'), 'data: [DONE]\n\n'], 1));
    const c = client(s.origin, { connections: 6 });
    expect(await c.warm(6, '/health')).toBe(6);
    expect(s.connections()).toBe(6);
    const records = await Promise.all(Array.from({ length: 6 }, () => c.send(plan(), 'x')));
    expect(s.connections()).toBe(6);
    for (const r of records) {
      expect(r.connected_ms).toBeUndefined();
      expect(r.conn).toBeTypeOf('number');
    }
    expect(new Set(records.map((r) => r.conn)).size).toBe(6);
  });

  it('a request that had to open its connection records when it connected', async () => {
    const s = await serve(stream([chunk('a'), 'data: [DONE]\n\n'], 1));
    const r = await client(s.origin).send(plan(), 'x');
    expect(r.connected_ms).toBeGreaterThanOrEqual(r.send_ms);
    expect(r.connected_ms).toBeLessThanOrEqual(r.headers_ms as number);
  });
});
