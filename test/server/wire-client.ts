// A plain node:http client for the simulator tests: sends one request and records what came
// over the wire — status, headers, every network read with its arrival time, and how the
// connection ended — without any SSE library in between.

import { type Agent, request } from 'node:http';
import { performance } from 'node:perf_hooks';

export interface WireRead {
  /** performance.timeOrigin + performance.now() when the read arrived (the truth log's clock) */
  epochMs: number;
  text: string;
}

export interface WireResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  headersEpochMs: number;
  sentEpochMs: number;
  reads: WireRead[];
  body: string;
  /** error code when the connection failed (ECONNRESET…) */
  error?: string;
}

const epochNow = () => performance.timeOrigin + performance.now();

export function wireRequest(
  baseUrl: string,
  path: string,
  options: { method?: string; body?: unknown; rawBody?: string; agent?: Agent } = {},
): Promise<WireResponse> {
  const body = options.rawBody ?? (options.body === undefined ? undefined : JSON.stringify(options.body));
  return new Promise((resolve) => {
    const out: WireResponse = {
      status: 0,
      headers: {},
      headersEpochMs: 0,
      sentEpochMs: epochNow(),
      reads: [],
      body: '',
    };
    let settled = false;
    const settle = (error?: string) => {
      if (settled) return;
      settled = true;
      if (error !== undefined) out.error = error;
      out.body = out.reads.map((r) => r.text).join('');
      resolve(out);
    };
    const req = request(
      new URL(path, baseUrl),
      {
        method: options.method ?? (body === undefined ? 'GET' : 'POST'),
        agent: options.agent ?? false,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
      },
      (res) => {
        out.status = res.statusCode ?? 0;
        out.headers = res.headers;
        out.headersEpochMs = epochNow();
        res.setEncoding('utf8');
        res.on('data', (text: string) => out.reads.push({ epochMs: epochNow(), text }));
        res.on('end', () => settle());
        res.on('error', (e: NodeJS.ErrnoException) => settle(e.code ?? e.message));
        res.on('aborted', () => settle('aborted'));
        res.on('close', () => settle(res.complete ? undefined : 'ECONNRESET'));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => settle(e.code ?? e.message));
    req.end(body);
  });
}

/** The `data:` payloads of an SSE body, in order. */
export function ssePayloads(body: string): string[] {
  return body
    .split('\n')
    .filter((line) => line.startsWith('data: '))
    .map((line) => line.slice(6));
}

/** Output events of a parsed payload list: non-empty content / text of the first choice. */
export function contentOf(payload: string): string | undefined {
  try {
    const chunk = JSON.parse(payload) as { choices?: { delta?: { content?: string }; text?: string }[] };
    const choice = chunk.choices?.[0];
    const text = choice?.delta?.content ?? choice?.text;
    return text === undefined || text === '' ? undefined : text;
  } catch {
    return undefined;
  }
}

export const chatBody = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'goodput-sim',
  messages: [{ role: 'user', content }],
  stream: true,
  stream_options: { include_usage: true },
  ...extra,
});
