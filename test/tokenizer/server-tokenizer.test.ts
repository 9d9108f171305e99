import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import { defaultTokenizer } from '../../src/tokenizer/default.js';
import { loadTokenizer } from '../../src/tokenizer/load-tokenizer.js';
import { createServerTokenizer } from '../../src/tokenizer/server-tokenizer.js';

let sim: SimulatorHandle;

/** A scripted /tokenize for the failure modes the simulator does not have. */
function scripted(
  handler: (body: string, res: ServerResponse) => void,
): Promise<{ url: string; server: Server }> {
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.on('data', (c: Buffer) => {
      body += c.toString('utf8');
    });
    req.on('end', () => handler(body, res));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, server });
    });
  });
}

beforeAll(async () => {
  sim = await startSimulator({ preset: 'instant' });
});

afterAll(async () => {
  await sim.close();
});

describe('--tokenizer server against the simulator over real HTTP', () => {
  it('counts exactly what the server tokenizer counts, and caches repeated texts', async () => {
    const server = createServerTokenizer({ baseUrl: `${sim.url}/`, model: 'goodput-sim' });
    const local = defaultTokenizer();
    const texts = [
      'Hello world',
      'A longer sentence, with punctuation; and 12345 numbers.',
      '日本語 mixed with English',
    ];
    for (const t of texts) {
      expect(await server.count(t)).toBe(local.count(t));
      expect(await server.encode(t)).toEqual(local.encode(t));
    }
    const before = server.stats.requests;
    expect(await server.count(texts[0] as string)).toBe(2);
    expect(server.stats.requests).toBe(before);
    expect(server.stats.cacheHits).toBeGreaterThan(0);
    expect(await server.count('')).toBe(0);
    expect(server.name).toBe(`server:${sim.url}/tokenize`);
  });

  it('loadTokenizer("server") probes /tokenize and measures with it', async () => {
    const loaded = await loadTokenizer('server', { baseUrl: sim.url, model: 'goodput-sim' });
    expect(loaded.name).toBe(`server:${sim.url}/tokenize`);
    expect(loaded.countTokens).toBeDefined();
    expect(await loaded.countTokens?.('Hello world')).toBe(2);
    expect(loaded.server?.stats.requests).toBeGreaterThanOrEqual(1);
  });
});

describe('server tokenizer failures name the URL', () => {
  it('a server without /tokenize (HTTP 404)', async () => {
    const { url, server } = await scripted((_b, res) => {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"detail":"Not Found"}');
    });
    try {
      const err = await loadTokenizer('server', { baseUrl: url }).catch((e: unknown) => e);
      expect(isGoodputError(err, 'TOKENIZER')).toBe(true);
      expect((err as Error).message).toContain(`POST ${url}/tokenize answered HTTP 404`);
    } finally {
      server.close();
    }
  });

  it('a base URL ending in /v1 gets a hint to drop it', async () => {
    const { url, server } = await scripted((_b, res) => {
      res.writeHead(404).end();
    });
    try {
      const err = await createServerTokenizer({ baseUrl: `${url}/v1` })
        .count('x')
        .catch((e: unknown) => e);
      expect((err as { hint?: string }).hint).toContain('without /v1');
    } finally {
      server.close();
    }
  });

  it('an answer without a token list, and a count that disagrees with it', async () => {
    let reply = '{"count": 3}';
    const { url, server } = await scripted((body, res) => {
      expect(JSON.parse(body)).toMatchObject({ prompt: expect.any(String), add_special_tokens: false });
      res.writeHead(200, { 'content-type': 'application/json' }).end(reply);
    });
    try {
      const tok = createServerTokenizer({ baseUrl: url });
      const noTokens = await tok.count('a').catch((e: unknown) => e);
      expect((noTokens as Error).message).toContain('no "tokens" list');
      reply = '{"count": 3, "tokens": [1, 2]}';
      const disagree = await tok.count('b').catch((e: unknown) => e);
      expect((disagree as Error).message).toContain('"count" 3 disagrees with 2 "tokens"');
    } finally {
      server.close();
    }
  });

  it('a connection refused', async () => {
    const { url, server } = await scripted((_b, res) => res.end());
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const err = await createServerTokenizer({ baseUrl: url })
      .count('x')
      .catch((e: unknown) => e);
    expect(isGoodputError(err, 'TOKENIZER')).toBe(true);
    expect((err as Error).message).toContain(`POST ${url}/tokenize failed`);
  });
});
