// The two load readers of `npm run bench` count exactly: every completed stream of the simulator
// carries max_tokens token events + role, finish, usage and [DONE] (4 more), so a reader that
// miscounts (a blank line split across reads, a missed chunked terminator) fails here.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRawReader } from '../../bench/raw-reader.js';
import { runTcpReader } from '../../bench/tcp-reader.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ preset: 'instant' });
});
afterAll(() => sim.close());

describe('bench readers', () => {
  for (const [name, run] of [
    ['raw node:http reader', runRawReader],
    ['raw TCP reader', runTcpReader],
  ] as const) {
    it(`${name}: events = completed streams × (max_tokens + 4), no errors`, async () => {
      const r = await run({ url: sim.url, concurrency: 4, maxTokens: 37, durationMs: 300 });
      expect(r.errors).toBe(0);
      expect(r.requests).toBeGreaterThan(4);
      expect(r.events).toBe(r.requests * (37 + 4));
      expect(r.eventsPerSecond).toBeGreaterThan(0);
    });
  }
});
