import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runClosedLoop } from '../../src/client/closed-loop.js';
import type { MakeRequest } from '../../src/client/loop-request.js';
import { runOpenLoop } from '../../src/client/open-loop.js';
import { runRepeat } from '../../src/client/repeat-runner.js';
import { GenerationClient } from '../../src/client/request-executor.js';
import { RunControl } from '../../src/client/run-control.js';
import { buildSchedule } from '../../src/core/schedule/build-schedule.js';
import type { RequestRecord } from '../../src/core/schema/request-record.js';

const servers: Server[] = [];
const clients: GenerationClient[] = [];
afterEach(async () => {
  for (const c of clients.splice(0)) await c.close();
  for (const s of servers.splice(0)) {
    s.closeAllConnections();
    await new Promise((r) => s.close(r));
  }
});

/** A server streaming `tokens` deltas `gapMs` apart; tracks the peak number of concurrent streams. */
async function tokenServer(tokens: number, gapMs: number) {
  let active = 0;
  let peak = 0;
  let requests = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', async () => {
      if (req.method === 'GET') return void res.end('ok');
      requests++;
      active++;
      peak = Math.max(peak, active);
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < tokens; i++) {
        res.write(`data: {"choices":[{"delta":{"content":"t${i}"}}]}\n\n`);
        await new Promise((r) => setTimeout(r, gapMs));
      }
      res.end(`data: {"choices":[],"usage":{"completion_tokens":${tokens}}}\n\ndata: [DONE]\n\n`);
      active--;
    });
  });
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { origin, peak: () => peak, requests: () => requests };
}

function client(origin: string, connections: number | null) {
  const c = new GenerationClient({
    origin,
    path: '/v1/chat/completions',
    headers: ['content-type', 'application/json'],
    body: { endpoint: 'chat', model: 'm' },
    timeoutMs: 10_000,
    connections,
  });
  clients.push(c);
  return c;
}

const make =
  (warmup = false): MakeRequest =>
  (index, scheduledMs) => ({
    plan: {
      id: `0.1.${warmup ? 'w' : ''}${index}`,
      cell: 'c',
      repeat: 1,
      index,
      warmup,
      inputTokens: 3,
      maxTokens: 4,
      ...(scheduledMs === undefined ? {} : { scheduledMs }),
    },
    prompt: `prompt ${index}`,
  });

describe('closed loop', () => {
  it('keeps exactly K requests in flight and yields one record per request', async () => {
    const s = await tokenServer(3, 2);
    const records: RequestRecord[] = [];
    const r = await runClosedLoop(
      client(s.origin, 4),
      { concurrency: 4, count: 20 },
      make(),
      (x) => records.push(x),
      new RunControl(),
    );
    expect(r.sent).toBe(20);
    expect(r.unsent).toBe(0);
    expect(s.peak()).toBe(4);
    expect(records.map((x) => x.index).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 20 }, (_, i) => i),
    );
    expect(records.every((x) => x.flags.length === 0 && x.event_ms.length === 3)).toBe(true);
    expect(r.endMs).toBeGreaterThanOrEqual(Math.max(...records.map((x) => x.end_ms)));
  });

  it('a duration bound stops starting requests at the deadline', async () => {
    const s = await tokenServer(2, 5);
    const records: RequestRecord[] = [];
    const r = await runClosedLoop(
      client(s.origin, 2),
      { concurrency: 2, durationMs: 120 },
      make(),
      (x) => records.push(x),
      new RunControl(),
    );
    expect(records.length).toBe(r.sent);
    expect(r.sent).toBeGreaterThan(4);
    // a request is started when the loop checks the clock before the deadline; its send_ms is
    // stamped a few µs later (the body is built in between), so allow that gap, far below a
    // request's ≥ 5 ms life: a request begun after the deadline would stand out
    expect(Math.max(...records.map((x) => x.send_ms))).toBeLessThan(r.startMs + 120 + 2);
  });

  it('a stop mid-run finishes in-flight requests and records the unsent ones as aborted', async () => {
    const s = await tokenServer(3, 10);
    const control = new RunControl();
    const records: RequestRecord[] = [];
    setTimeout(() => control.stop('test'), 50);
    const r = await runClosedLoop(
      client(s.origin, 2),
      { concurrency: 2, count: 50 },
      make(),
      (x) => records.push(x),
      control,
    );
    expect(records).toHaveLength(50);
    expect(new Set(records.map((x) => x.id)).size).toBe(50);
    expect(r.sent + r.unsent).toBe(50);
    const aborted = records.filter((x) => x.flags.includes('aborted'));
    expect(aborted).toHaveLength(r.unsent);
    expect(aborted.every((x) => x.status === undefined && x.event_ms.length === 0)).toBe(true);
    expect(records.filter((x) => x.flags.length === 0)).toHaveLength(r.sent);
  });
});

describe('open loop', () => {
  it('sends at the scheduled offsets (dispatch lag recorded) and the same seed gives the same offsets', async () => {
    const s = await tokenServer(2, 1);
    const profile = { kind: 'poisson', rateRps: 200 } as const;
    const a = buildSchedule(profile, { seed: 7, cell: 'c', repeat: 1 }, { count: 40 });
    const b = buildSchedule(profile, { seed: 7, cell: 'c', repeat: 1 }, { count: 40 });
    expect(b.offsets_ms).toEqual(a.offsets_ms);
    const runs: RequestRecord[][] = [];
    for (const schedule of [a, b]) {
      const records: RequestRecord[] = [];
      const originMs = performance.now() + 5;
      await runOpenLoop(
        client(s.origin, null),
        { offsetsMs: schedule.offsets_ms, originMs },
        make(),
        (x) => records.push(x),
        new RunControl(),
      );
      records.sort((x, y) => x.index - y.index);
      // the scheduled times are exactly origin + offset; the lag is small and never negative
      records.forEach((x, i) => {
        expect(x.scheduled_ms).toBeCloseTo(originMs + (schedule.offsets_ms[i] as number), 9);
      });
      const lags = records.map((x) => x.send_ms - (x.scheduled_ms as number));
      expect(Math.min(...lags)).toBeGreaterThanOrEqual(0);
      // loose on purpose: a loaded 2-core box delays timers; the exact bound belongs to npm run bench
      expect(lags.sort((x, y) => x - y)[Math.floor(lags.length / 2)]).toBeLessThan(50);
      runs.push(records);
    }
    // both runs sent at the same offsets from their own origin
    const rel = (rs: RequestRecord[]) =>
      rs.map((x) => (x.scheduled_ms as number) - (rs[0]?.scheduled_ms as number));
    const [r0, r1] = [rel(runs[0] as RequestRecord[]), rel(runs[1] as RequestRecord[])];
    r1.forEach((v, i) => {
      expect(v).toBeCloseTo(r0[i] as number, 6);
    });
  });

  it('a max-concurrency cap queues arrivals: never more in flight, and queue time shows as lag', async () => {
    const s = await tokenServer(3, 10);
    const records: RequestRecord[] = [];
    // 12 arrivals at once, cap 3: later ones wait for a slot
    await runOpenLoop(
      client(s.origin, 3),
      { offsetsMs: new Array(12).fill(0), maxConcurrency: 3 },
      make(),
      (x) => records.push(x),
      new RunControl(),
    );
    expect(records).toHaveLength(12);
    expect(s.peak()).toBe(3);
    const lags = records.map((x) => x.send_ms - (x.scheduled_ms as number)).sort((x, y) => x - y);
    expect(lags[11]).toBeGreaterThan(60);
  });

  it('a stop yields an aborted record for every arrival not yet sent', async () => {
    const s = await tokenServer(1, 1);
    const control = new RunControl();
    const records: RequestRecord[] = [];
    const offsets = Array.from({ length: 30 }, (_, i) => i * 10);
    setTimeout(() => control.stop('test'), 75);
    const t0 = performance.now();
    const r = await runOpenLoop(
      client(s.origin, null),
      { offsetsMs: offsets },
      make(),
      (x) => records.push(x),
      control,
    );
    expect(performance.now() - t0).toBeLessThan(200);
    expect(records).toHaveLength(30);
    expect(r.sent).toBeGreaterThan(3);
    expect(r.unsent).toBe(30 - r.sent);
    const aborted = records.filter((x) => x.flags.includes('aborted'));
    expect(aborted).toHaveLength(r.unsent);
    expect(aborted.every((x) => x.scheduled_ms !== undefined)).toBe(true);
  });
});

describe('runRepeat', () => {
  it('pre-opens K connections, runs warmup then the measured window, and reports it', async () => {
    const s = await tokenServer(2, 2);
    const records: RequestRecord[] = [];
    const prompts = Array.from({ length: 10 }, (_, i) => ({ prompt: `p${i}`, inputTokens: 2, maxTokens: 2 }));
    const out = await runRepeat(
      client(s.origin, 4),
      {
        cellIndex: 0,
        cellKey: 'c',
        repeat: 2,
        load: { kind: 'closed', concurrency: 4, count: 10 },
        measured: prompts,
        warmup: prompts.slice(0, 3),
        preconnect: { count: 4, path: '/health' },
        graceMs: 1000,
      },
      (x) => records.push(x),
      new RunControl(),
    );
    expect(out.preconnected).toBe(4);
    expect(out.window).toMatchObject({ repeat: 2, expected_requests: 10, warmup_expected: 3 });
    expect(records.filter((x) => x.warmup)).toHaveLength(3);
    expect(records.filter((x) => !x.warmup)).toHaveLength(10);
    const measured = records.filter((x) => !x.warmup);
    expect(Math.min(...measured.map((x) => x.send_ms))).toBeGreaterThanOrEqual(out.window.start_ms);
    expect(Math.max(...records.filter((x) => x.warmup).map((x) => x.end_ms))).toBeLessThanOrEqual(
      out.window.start_ms,
    );
    expect(measured.every((x) => x.id.startsWith('0.2.') && x.connected_ms === undefined)).toBe(true);
  });

  it('after a stop, in-flight requests get the grace period and are then aborted', async () => {
    const s = await tokenServer(100, 20); // 2 s per request
    const control = new RunControl();
    const records: RequestRecord[] = [];
    setTimeout(() => control.stop('test'), 100);
    const t0 = performance.now();
    await runRepeat(
      client(s.origin, 2),
      {
        cellIndex: 1,
        cellKey: 'c',
        repeat: 1,
        load: { kind: 'closed', concurrency: 2, count: 6 },
        measured: [{ prompt: 'x', inputTokens: 1, maxTokens: 100 }],
        warmup: [],
        preconnect: { count: 2, path: '/health' },
        graceMs: 150,
      },
      (x) => records.push(x),
      control,
    );
    expect(performance.now() - t0).toBeLessThan(1_000);
    expect(records).toHaveLength(6);
    expect(records.every((x) => x.flags.includes('aborted'))).toBe(true);
    expect(records.filter((x) => x.event_ms.length > 0)).toHaveLength(2);
  });

  it('a second stop request (hurry) cuts the grace period short', async () => {
    const s = await tokenServer(200, 20); // 4 s per request
    const control = new RunControl();
    const records: RequestRecord[] = [];
    setTimeout(() => control.stop('test'), 100);
    setTimeout(() => control.hurry(), 200);
    const t0 = performance.now();
    await runRepeat(
      client(s.origin, 2),
      {
        cellIndex: 0,
        cellKey: 'c',
        repeat: 1,
        load: { kind: 'closed', concurrency: 2, count: 2 },
        measured: [{ prompt: 'x', inputTokens: 1, maxTokens: 200 }],
        warmup: [],
        preconnect: { count: 2, path: '/health' },
        graceMs: 60_000,
      },
      (x) => records.push(x),
      control,
    );
    expect(performance.now() - t0).toBeLessThan(2_000);
    expect(records.map((x) => x.flags)).toEqual([['aborted'], ['aborted']]);
  });

  it('a worker thread’s share sends the global requests w, w + W, … with their own prompts and ids', async () => {
    const s = await tokenServer(1, 1);
    const records: RequestRecord[] = [];
    const prompts = Array.from({ length: 10 }, (_, i) => ({
      prompt: `p${i}`,
      inputTokens: i + 1,
      maxTokens: 1,
    }));
    const out = await runRepeat(
      client(s.origin, 2),
      {
        cellIndex: 0,
        cellKey: 'c',
        repeat: 1,
        load: { kind: 'closed', concurrency: 2, count: 5 },
        measured: prompts,
        warmup: prompts.slice(0, 3),
        preconnect: { count: 1, path: '/health' },
        graceMs: 1000,
        share: { thread: 1, threads: 2 },
      },
      (x) => records.push(x),
      new RunControl(),
    );
    const measured = records.filter((x) => !x.warmup).sort((a, b) => a.index - b.index);
    expect(measured.map((x) => x.index)).toEqual([1, 3, 5, 7, 9]);
    expect(measured.map((x) => x.id)).toEqual(['0.1.1', '0.1.3', '0.1.5', '0.1.7', '0.1.9']);
    expect(measured.map((x) => x.input_tokens)).toEqual([2, 4, 6, 8, 10]);
    // thread 1 of 2 warms up with warmup prompt 1 only
    expect(records.filter((x) => x.warmup).map((x) => x.id)).toEqual(['0.1.w1']);
    expect(out.window.expected_requests).toBe(5);
  });
});
