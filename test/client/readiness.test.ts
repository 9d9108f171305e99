import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { modelIds, probeServer, versionText } from '../../src/client/readiness.js';
import { parseBaseUrl } from '../../src/client/target.js';
import { isGoodputError } from '../../src/core/errors.js';

const servers: Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

async function serve(handler: RequestListener): Promise<string> {
  const server = createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('probeServer', () => {
  it('ready on /health; identity from /v1/models, the server header and /version', async () => {
    const url = await serve((req, res) => {
      res.setHeader('server', 'uvicorn');
      if (req.url === '/health') return void res.end();
      if (req.url === '/v1/models')
        return void res.end(JSON.stringify({ data: [{ id: 'llama' }, { id: 'qwen' }] }));
      if (req.url === '/version') return void res.end(JSON.stringify({ version: '0.6.3' }));
      res.writeHead(404).end();
    });
    const probe = await probeServer(parseBaseUrl(`${url}/v1`), { timeoutMs: 2000, headers: {} });
    expect(probe).toEqual({
      readyPath: '/health',
      models: ['llama', 'qwen'],
      serverHeader: 'uvicorn',
      version: '0.6.3',
    });
  });

  it('falls back to /v1/models when /health is missing, and waits for a server that is starting', async () => {
    let calls = 0;
    const url = await serve((req, res) => {
      calls++;
      if (calls <= 4) return void res.writeHead(503).end('loading');
      if (req.url === '/v1/models') return void res.end(JSON.stringify({ data: [{ id: 'm' }] }));
      res.writeHead(404).end();
    });
    const waiting: string[] = [];
    const probe = await probeServer(parseBaseUrl(url), {
      timeoutMs: 5000,
      headers: {},
      retryMs: 20,
      onWaiting: (tried) => waiting.push(tried),
    });
    expect(probe.readyPath).toBe('/v1/models');
    expect(probe.models).toEqual(['m']);
    // told once that it waits, with what each route answered in the first round
    expect(waiting).toEqual([`GET ${url}/health → HTTP 503; GET ${url}/v1/models → HTTP 503`]);
  });

  it('does not call onWaiting for a server that is ready at once', async () => {
    const url = await serve((_req, res) => res.end());
    const waiting: string[] = [];
    await probeServer(parseBaseUrl(url), { timeoutMs: 2000, headers: {}, onWaiting: (t) => waiting.push(t) });
    expect(waiting).toEqual([]);
  });

  it('times out with an error naming the URL and every route tried', async () => {
    const url = await serve((_req, res) => res.writeHead(500).end());
    const t0 = performance.now();
    try {
      await probeServer(parseBaseUrl(url), { timeoutMs: 300, headers: {}, retryMs: 50 });
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'SERVER_UNREACHABLE')).toBe(true);
      expect((e as Error).message).toContain(`GET ${url}/health → HTTP 500`);
      expect((e as Error).message).toContain(`GET ${url}/v1/models → HTTP 500`);
    }
    expect(performance.now() - t0).toBeLessThan(3000);
  });

  it('an unreachable server names the connection error', async () => {
    const url = await serve((_q, res) => res.end());
    servers[0]?.close();
    servers.splice(0);
    await expect(
      probeServer(parseBaseUrl(url), { timeoutMs: 200, headers: {}, retryMs: 50 }),
    ).rejects.toThrow(/ECONNREFUSED/);
  });

  it('401 stops at once and asks for credentials', async () => {
    const url = await serve((_q, res) => res.writeHead(401).end());
    await expect(probeServer(parseBaseUrl(url), { timeoutMs: 5000, headers: {} })).rejects.toThrow(
      /wants credentials/,
    );
  });
});

describe('identity parsing', () => {
  it('modelIds reads OpenAI lists and ignores anything else', () => {
    expect(modelIds('{"data":[{"id":"a"},{"x":1},{"id":"b"}]}')).toEqual(['a', 'b']);
    expect(modelIds('<html>')).toEqual([]);
  });
  it('versionText reads {"version"} or a short plain text', () => {
    expect(versionText('{"version":"1.2"}')).toBe('1.2');
    expect(versionText('v3\n')).toBe('v3');
    expect(versionText('<html>not found</html>')).toBeUndefined();
  });
});
