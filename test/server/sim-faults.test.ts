// Every fault of the simulator, observed on the wire with a plain node:http client, exactly at
// the request numbers asked for, and recorded in the ground truth.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultsForRequest, parseFaultSpec } from '../../src/core/sim/fault-plan.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import { chatBody, contentOf, ssePayloads, type WireResponse, wireRequest } from './wire-client.js';

const SPEC =
  'http_500@2,http_429=3@3,http_503@4,reset@5,stall=300@6,malformed_json@7,missing_done@8,duplicate_done@9,' +
  'bad_output@10,mojibake@11,error_event@12,no_usage@13,zero_tokens@14,coalesced=4@15,slow_headers=300@16';
const TOKENS = 8;

let sim: SimulatorHandle;
const wire: WireResponse[] = [];

beforeAll(async () => {
  sim = await startSimulator({
    profile: { stepBaseMs: 3, jitterFraction: 0 },
    faults: SPEC,
    recordTruth: true,
  });
  for (let n = 1; n <= 17; n++) {
    wire[n] = await wireRequest(sim.url, '/v1/chat/completions', {
      body: chatBody(`request ${n}`, { max_tokens: TOKENS, ignore_eos: true }),
    });
  }
});
afterAll(() => sim.close());

const contents = (r: WireResponse) =>
  ssePayloads(r.body)
    .map(contentOf)
    .filter((c) => c !== undefined);
const doneCount = (r: WireResponse) => ssePayloads(r.body).filter((p) => p === '[DONE]').length;
const usageOf = (r: WireResponse) => ssePayloads(r.body).find((p) => p.includes('"usage"'));
const isClean = (r: WireResponse) =>
  r.status === 200 &&
  r.error === undefined &&
  contents(r).length === TOKENS &&
  doneCount(r) === 1 &&
  usageOf(r) !== undefined;

describe('fault injection on the wire', () => {
  it('requests without a fault are clean', () => {
    expect(isClean(wire[1]!)).toBe(true);
    expect(isClean(wire[17]!)).toBe(true);
  });

  it('http_500, http_429 (Retry-After), http_503 answer with OpenAI error objects', () => {
    expect(wire[2]!.status).toBe(500);
    expect(JSON.parse(wire[2]!.body).error.message).toContain('http_500');
    expect(wire[3]!.status).toBe(429);
    expect(wire[3]!.headers['retry-after']).toBe('3');
    expect(wire[4]!.status).toBe(503);
    expect(JSON.parse(wire[4]!.body).error.type).toBe('service_unavailable');
  });

  it('reset: the connection is reset mid-stream after half the tokens', () => {
    const r = wire[5]!;
    expect(r.status).toBe(200);
    expect(r.error).toBeDefined();
    expect(contents(r)).toHaveLength(TOKENS / 2);
    expect(doneCount(r)).toBe(0);
  });

  it('stall: a pause of the asked length mid-stream, then the rest', () => {
    const r = wire[6]!;
    expect(isClean(r)).toBe(true);
    const gaps = r.reads.slice(1).map((read, i) => read.epochMs - r.reads[i]!.epochMs);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(290);
  });

  it('malformed_json: exactly one payload is not JSON', () => {
    const bad = ssePayloads(wire[7]!.body).filter((p) => {
      if (p === '[DONE]') return false;
      try {
        JSON.parse(p);
        return false;
      } catch {
        return true;
      }
    });
    expect(bad).toHaveLength(1);
  });

  it('missing_done and duplicate_done', () => {
    expect(doneCount(wire[8]!)).toBe(0);
    expect(wire[8]!.error).toBeUndefined();
    expect(doneCount(wire[9]!)).toBe(2);
  });

  it('bad_output puts <unk> in a delta, mojibake puts Ã© in one', () => {
    expect(contents(wire[10]!)).toContain('<unk>');
    expect(contents(wire[11]!).some((c) => /Ã[\u0080-\uffff]/.test(c))).toBe(true);
    expect(contents(wire[1]!).some((c) => c.includes('<unk>') || /Ã[\u0080-\uffff]/.test(c))).toBe(false);
  });

  it('error_event: an {"error":…} payload mid-stream, then [DONE]', () => {
    const payloads = ssePayloads(wire[12]!.body);
    const at = payloads.findIndex((p) => p.startsWith('{"error"'));
    expect(at).toBeGreaterThan(0);
    expect(JSON.parse(payloads[at]!).error.message).toContain('error_event');
    expect(payloads.slice(at + 1)).toEqual(['[DONE]']);
    expect(contents(wire[12]!)).toHaveLength(TOKENS / 2);
  });

  it('no_usage drops the usage chunk; zero_tokens streams no token and reports 0', () => {
    expect(usageOf(wire[13]!)).toBeUndefined();
    expect(contents(wire[13]!)).toHaveLength(TOKENS);
    expect(contents(wire[14]!)).toHaveLength(0);
    expect(JSON.parse(usageOf(wire[14]!)!).usage.completion_tokens).toBe(0);
    expect(doneCount(wire[14]!)).toBe(1);
  });

  it('coalesced: several token events arrive in one network read', () => {
    const perRead = wire[15]!.reads.map(
      (r) =>
        ssePayloads(r.text)
          .map(contentOf)
          .filter((c) => c !== undefined).length,
    );
    expect(Math.max(...perRead)).toBeGreaterThanOrEqual(2);
    expect(isClean(wire[15]!)).toBe(true);
    const truth = sim.truth!.records().find((t) => t.request === 15)!;
    expect(new Set(truth.token_epoch_ms).size).toBeLessThan(TOKENS);
  });

  it('slow_headers delays the status line', () => {
    const r = wire[16]!;
    expect(r.headersEpochMs - r.sentEpochMs).toBeGreaterThanOrEqual(290);
    expect(isClean(r)).toBe(true);
  });

  it('the ground truth records which fault hit which request, and only those', () => {
    const expected: Record<number, string[]> = {
      2: ['http_500'],
      3: ['http_429'],
      4: ['http_503'],
      5: ['reset'],
      6: ['stall'],
      7: ['malformed_json'],
      8: ['missing_done'],
      9: ['duplicate_done'],
      10: ['bad_output'],
      11: ['mojibake'],
      12: ['error_event'],
      13: ['no_usage'],
      14: ['zero_tokens'],
      15: ['coalesced'],
      16: ['slow_headers'],
    };
    const truth = [...sim.truth!.records()].sort((a, b) => a.request - b.request);
    expect(truth.map((t) => t.request)).toEqual(Array.from({ length: 17 }, (_, i) => i + 1));
    for (const t of truth) expect([t.request, t.faults]).toEqual([t.request, expected[t.request] ?? []]);
    expect(truth.find((t) => t.request === 5)!.outcome).toBe('reset');
    expect(truth.find((t) => t.request === 2)!.status).toBe(500);
  });
});

describe('fault modes', () => {
  it('reject_stream_options: 400 whenever stream_options is sent, fine without', async () => {
    const s = await startSimulator({ profile: { stepBaseMs: 0.2 }, faults: 'reject_stream_options' });
    try {
      for (let i = 0; i < 2; i++) {
        const rejected = await wireRequest(s.url, '/v1/chat/completions', {
          body: chatBody('x', { max_tokens: 2 }),
        });
        expect(rejected.status).toBe(400);
        expect(JSON.parse(rejected.body).error.param).toBe('stream_options');
      }
      const ok = await wireRequest(s.url, '/v1/chat/completions', {
        body: { messages: [{ role: 'user', content: 'x' }], max_tokens: 2, stream: true },
      });
      expect(ok.status).toBe(200);
    } finally {
      await s.close();
    }
  });

  it('rate-based faults hit the seeded requests, the same on every run', async () => {
    const spec = 'http_500:0.3';
    const statuses = async () => {
      const s = await startSimulator({ profile: { stepBaseMs: 0.1 }, faults: spec, seed: 11 });
      try {
        const out: number[] = [];
        for (let n = 1; n <= 20; n++) {
          out.push(
            (await wireRequest(s.url, '/v1/completions', { body: { prompt: 'x', max_tokens: 1 } })).status,
          );
        }
        return out;
      } finally {
        await s.close();
      }
    };
    const first = await statuses();
    const predicted = Array.from({ length: 20 }, (_, i) =>
      faultsForRequest(parseFaultSpec(spec), 11, i + 1).length > 0 ? 500 : 200,
    );
    expect(first).toEqual(predicted);
    expect(first.filter((s) => s === 500).length).toBeGreaterThan(0);
    expect(await statuses()).toEqual(first);
  });

  it('non-streaming requests: http faults, stall and malformed_json act on the JSON body', async () => {
    const s = await startSimulator({
      profile: { stepBaseMs: 0.2 },
      faults: 'http_503@1,malformed_json@2,stall=200@3,missing_done@4',
    });
    try {
      const ask = () =>
        wireRequest(s.url, '/v1/completions', { body: { prompt: 'x', max_tokens: 3, ignore_eos: true } });
      expect((await ask()).status).toBe(503);
      const malformed = (await ask()).body;
      expect(() => JSON.parse(malformed)).toThrow();
      const stalled = await ask();
      expect(stalled.headersEpochMs - stalled.sentEpochMs).toBeGreaterThanOrEqual(190);
      expect(JSON.parse(stalled.body).usage.completion_tokens).toBe(3);
      const noStream = await ask(); // missing_done cannot act on a JSON body: a clean answer
      expect(JSON.parse(noStream.body).choices[0].finish_reason).toBe('length');
    } finally {
      await s.close();
    }
  });
});
