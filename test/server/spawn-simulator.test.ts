// The child-process simulator: it listens, reports its port, writes the truth log to a file, and
// stop() ends that child only. Needs the built entry (dist/server/sim-child.js: `npm run build`,
// which `npm test` runs first).

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { spawnSimulator } from '../../src/server/spawn-simulator.js';
import { chatBody, wireRequest } from './wire-client.js';

const dir = mkdtempSync(join(tmpdir(), 'goodput-spawn-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('spawnSimulator', () => {
  it('runs in its own process on a loopback port and stop() kills only its own pid', async () => {
    const truthLogPath = join(dir, 'truth.jsonl');
    const a = await spawnSimulator({ preset: 'tiny', seed: 5, truthLogPath, faults: 'http_503@2' });
    const b = await spawnSimulator({ preset: 'instant' });
    try {
      expect(a.pid).not.toBe(process.pid);
      expect(a.pid).not.toBe(b.pid);
      expect(a.url).toBe(`http://127.0.0.1:${a.port}`);
      expect((await wireRequest(a.url, '/health')).status).toBe(200);
      const ok = await wireRequest(a.url, '/v1/chat/completions', {
        body: chatBody('hi', { max_tokens: 3, ignore_eos: true }),
      });
      expect(ok.status).toBe(200);
      expect(
        (await wireRequest(a.url, '/v1/chat/completions', { body: chatBody('hi', { max_tokens: 3 }) }))
          .status,
      ).toBe(503);

      await a.stop();
      expect(alive(a.pid)).toBe(false);
      expect(alive(b.pid)).toBe(true);
      expect((await wireRequest(b.url, '/health')).status).toBe(200);
      expect((await wireRequest(a.url, '/health')).error).toBe('ECONNREFUSED');
      await a.stop(); // idempotent

      // the child flushed its truth log on SIGTERM
      const lines = readFileSync(truthLogPath, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines.map((l) => [l.request, l.status, l.faults])).toEqual([
        [1, 200, []],
        [2, 503, ['http_503']],
      ]);
      expect(lines[0].token_epoch_ms).toHaveLength(3);
      // epoch clock: within a few seconds of this process's wall clock
      expect(Math.abs(lines[0].arrival_epoch_ms - Date.now())).toBeLessThan(30_000);
    } finally {
      await a.stop();
      await b.stop();
    }
    expect(alive(b.pid)).toBe(false);
  });

  it('a child that cannot start fails with its own error message', async () => {
    let error: unknown;
    try {
      await spawnSimulator({ faults: 'no_such_fault@1' });
    } catch (e) {
      error = e;
    }
    expect(isGoodputError(error, 'SERVER_UNREACHABLE')).toBe(true);
    expect((error as Error).message).toContain('unknown fault "no_such_fault"');
  });
});
