import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { commandForPort, freePort, startServerProcess, waitForReady } from '../../src/host/server-process.js';

// A minimal OpenAI-ish server: /health answers 200; a child `sleep` in the same process group
// proves that stop() ends the whole group and nothing else.
const NODE = JSON.stringify(process.execPath);
const serverScript = `require('http').createServer((q, s) => { s.setHeader('server', 'tiny'); s.end(q.url === '/v1/models' ? '{"data":[{"id":"m"}]}' : 'ok'); }).listen(Number(process.argv[1]), '127.0.0.1')`;
const serve = `sleep 300 & echo "grandchild $!"; exec ${NODE} -e ${JSON.stringify(serverScript)} {port}`;

/** Running (a zombie waiting for a reaper counts as ended: some container inits never reap). */
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'goodput-server-process-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('server process', () => {
  it('commandForPort replaces every {port} and refuses a template without one', () => {
    expect(commandForPort('srv --port {port} --url http://x:{port}', 8123)).toBe(
      'srv --port 8123 --url http://x:8123',
    );
    expect(() => commandForPort('srv --port 80', 1)).toThrow(/must contain \{port\}/);
  });

  it('freePort returns a bindable loopback port', async () => {
    const port = await freePort();
    expect(port).toBeGreaterThan(1023);
    expect(port).toBeLessThan(65536);
  });

  it('starts the command on the port, waits until ready, and stop() ends its whole process group', async () => {
    const port = await freePort();
    const log = join(dir, 'serve.log');
    const server = startServerProcess({ command: commandForPort(serve, port), port, cwd: dir, logPath: log });
    const probe = await waitForReady(server, 10_000);
    expect(probe.models).toEqual(['m']);
    expect(probe.serverHeader).toBe('tiny');
    const grandchild = Number(/grandchild (\d+)/.exec(readFileSync(log, 'utf8'))?.[1]);
    expect(alive(grandchild)).toBe(true);
    await server.stop();
    expect(server.exited()).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect(alive(grandchild)).toBe(false);
    expect(alive(server.pid)).toBe(false);
  });

  it('a command that dies before it is ready fails at once with its log tail', async () => {
    const port = await freePort();
    const server = startServerProcess({
      command: 'echo "no GPU found" >&2; exit 3',
      port,
      cwd: dir,
      logPath: join(dir, 'bad.log'),
    });
    const started = Date.now();
    try {
      await waitForReady(server, 20_000);
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'SERVER_UNREACHABLE')).toBe(true);
      expect((e as Error).message).toContain('exited before it was ready');
      expect((e as Error).message).toContain('no GPU found');
    }
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('a server that never answers times out with SERVER_UNREACHABLE naming the URL', async () => {
    const port = await freePort();
    const server = startServerProcess({
      command: 'sleep 30',
      port,
      cwd: dir,
      logPath: join(dir, 'idle.log'),
    });
    try {
      await expect(waitForReady(server, 600)).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}`));
    } finally {
      await server.stop();
    }
    expect(server.exited()).toBe(true);
  });
});
