// bench-serve --workers through main(), against the simulator on 127.0.0.1: the same seed with
// 1 and with 2 worker threads sends the same requests (ids, prompts as the server counted them,
// max_tokens), reports the same counts, and an open loop keeps the one schedule's offsets.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoryIo } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { RequestRecord } from '../../src/core/schema/request-record.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import { readRunDirectory } from '../integration/run-directory-reader.js';

const tmp = mkdtempSync(join(tmpdir(), 'goodput-workers-'));
let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({ preset: 'tiny', recordTruth: true });
});
afterAll(async () => {
  await sim.close();
  rmSync(tmp, { recursive: true, force: true });
});

const common = ['--seed', '11', '--num-prompts', '16', '--n-repeats', '2', '--warmup-requests', '3'];
const small = [
  '--random-input-len',
  '24',
  '--random-output-len',
  '6',
  '--random-range-ratio',
  '0.5',
  '--ignore-eos',
  '--no-db',
];

async function run(workers: string, load: string[], name: string) {
  const truthBefore = sim.truth?.records().length ?? 0;
  const io = memoryIo({ cwd: tmp });
  const code = await main(
    [
      'bench-serve',
      '--base-url',
      sim.url,
      '--workers',
      workers,
      ...load,
      ...common,
      ...small,
      '--out-dir',
      join(tmp, name),
    ],
    io,
  );
  expect(code, io.err()).toBe(0);
  const truth = (sim.truth?.records() ?? []).slice(truthBefore).filter((t) => t.endpoint === 'chat');
  return { ...readRunDirectory(join(tmp, name)), truth };
}

const identity = (records: readonly RequestRecord[]) =>
  records.map((r) => `${r.id} in=${r.input_tokens} max=${r.max_tokens} ok=${r.flags.length === 0}`).sort();

describe('bench-serve --workers', () => {
  it('closed loop: 1 and 2 threads send the same requests and report the same counts', async () => {
    const one = await run('1', ['--concurrency', '4'], 'closed-1');
    const two = await run('2', ['--concurrency', '4'], 'closed-2');
    expect(identity(two.requests)).toEqual(identity(one.requests));
    expect(two.requests).toHaveLength(2 * (16 + 3));
    // the server received the same prompts (its own token counts) and was asked for the same lengths
    const seen = (t: typeof one.truth) => t.map((x) => `${x.prompt_tokens}/${x.output_tokens}`).sort();
    expect(seen(two.truth)).toEqual(seen(one.truth));
    const [a, b] = [one.envelope.cells[0], two.envelope.cells[0]];
    expect(b?.n_requests_per_run).toEqual(a?.n_requests_per_run);
    expect(b?.completed_per_run).toEqual([16, 16]);
    expect(b?.completed_per_run).toEqual(a?.completed_per_run);
    expect(b?.output_tokens_per_request).toEqual(a?.output_tokens_per_request);
    expect(b?.goodput?.client?.threads).toBe(2);
    expect(a?.goodput?.client?.threads).toBe(1);
    expect(two.schemaProblems).toEqual([]);
  });

  it('open loop: 2 threads follow the one seeded schedule at its offsets', async () => {
    const load = ['--request-rate', '80'];
    const one = await run('1', load, 'open-1');
    const two = await run('2', load, 'open-2');
    expect(identity(two.requests)).toEqual(identity(one.requests));
    // per repeat, request i was scheduled at the same offset from that repeat's first arrival
    const offsets = (records: readonly RequestRecord[], repeat: number) => {
      const rs = records.filter((r) => !r.warmup && r.repeat === repeat).sort((x, y) => x.index - y.index);
      const t0 = rs[0]?.scheduled_ms as number;
      return rs.map((r) => (r.scheduled_ms as number) - t0);
    };
    for (const repeat of [1, 2]) {
      const o1 = offsets(one.requests, repeat);
      const o2 = offsets(two.requests, repeat);
      expect(o2).toHaveLength(16);
      // both threads plan from one common start: the offsets are the schedule's
      const skew = o2.map((v, i) => Math.abs(v - (o1[i] as number)));
      expect(Math.max(...skew)).toBeLessThan(1e-6);
    }
    // timing: the sends follow the schedule on the main clock (lag small, never negative)
    const lags = two.requests.filter((r) => !r.warmup).map((r) => r.send_ms - (r.scheduled_ms as number));
    expect(Math.min(...lags)).toBeGreaterThanOrEqual(-1e-6);
    expect(lags.sort((x, y) => x - y)[Math.floor(lags.length / 2)]).toBeLessThan(50);
    expect(two.envelope.cells[0]?.completed_per_run).toEqual(one.envelope.cells[0]?.completed_per_run);
    expect(two.envelope.cells[0]?.goodput?.client?.dispatch_lag_ms?.p50).toBeGreaterThanOrEqual(0);
  });
});
