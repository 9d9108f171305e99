// The simulator's HTTP surface over real HTTP on 127.0.0.1: response shapes (vLLM's, as in
// fixtures/ferrum/sse/vllm_chat.sse), non-streaming bodies, OpenAI errors, routing.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import { chatBody, contentOf, ssePayloads, wireRequest } from './wire-client.js';

const FIXTURE = new URL('../../../shared/fixtures/ferrum/sse/vllm_chat.sse', import.meta.url);

let sim: SimulatorHandle;
beforeAll(async () => {
  sim = await startSimulator({
    preset: 'tiny',
    profile: { stepBaseMs: 0.2, jitterFraction: 0 },
    model: 'sim-model',
  });
});
afterAll(() => sim.close());

const keysOf = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(keysOf)
    : typeof v === 'object' && v !== null
      ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, keysOf(x)]))
      : typeof v;

describe('simulator HTTP', () => {
  it('binds 127.0.0.1 on a free port by default', () => {
    expect(sim.host).toBe('127.0.0.1');
    expect(sim.port).toBeGreaterThan(0);
    expect(sim.url).toBe(`http://127.0.0.1:${sim.port}`);
  });

  it('streams chat like vLLM: role chunk, one token per chunk, finish chunk, usage, [DONE]', async () => {
    const res = await wireRequest(sim.url, '/v1/chat/completions', {
      body: chatBody('Hello there, simulator.', { max_tokens: 6, ignore_eos: true }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    const payloads = ssePayloads(res.body);
    expect(payloads).toHaveLength(1 + 6 + 1 + 1 + 1);
    expect(payloads.at(-1)).toBe('[DONE]');
    const chunks = payloads.slice(0, -1).map((p) => JSON.parse(p));
    // same structure as the real vLLM capture, chunk for chunk (role, content, finish, usage)
    const fixture = ssePayloads(readFileSync(FIXTURE, 'utf8'))
      .filter((p) => p !== '[DONE]')
      .map((p) => JSON.parse(p));
    expect(keysOf(chunks[0])).toEqual(keysOf(fixture[0]));
    expect(keysOf(chunks[1])).toEqual(keysOf(fixture[1]));
    expect(keysOf(chunks[7])).toEqual(keysOf(fixture[3]));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(
      chunks
        .slice(1, 7)
        .every((c) => typeof c.choices[0].delta.content === 'string' && c.choices[0].delta.content !== ''),
    ).toBe(true);
    expect(chunks[7].choices[0].finish_reason).toBe('length');
    expect(chunks[8].choices).toEqual([]);
    const { defaultTokenizer } = await import('../../src/tokenizer/default.js');
    const promptTokens = defaultTokenizer().count('Hello there, simulator.');
    expect(chunks[8].usage).toEqual({
      prompt_tokens: promptTokens,
      total_tokens: promptTokens + 6,
      completion_tokens: 6,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(chunks[0].model).toBe('goodput-sim'); // the requested name is echoed (any name is accepted)
  });

  it('without stream_options.include_usage there is no usage chunk', async () => {
    const res = await wireRequest(sim.url, '/v1/chat/completions', {
      body: { messages: [{ role: 'user', content: 'x' }], max_tokens: 3, stream: true, ignore_eos: true },
    });
    const payloads = ssePayloads(res.body);
    expect(payloads.some((p) => p.includes('"usage"'))).toBe(false);
    expect(payloads.filter((p) => contentOf(p) !== undefined)).toHaveLength(3);
  });

  it('streams completions with text chunks and no role chunk', async () => {
    const res = await wireRequest(sim.url, '/v1/completions', {
      body: {
        prompt: 'Once upon a time',
        max_tokens: 4,
        ignore_eos: true,
        stream: true,
        stream_options: { include_usage: true },
      },
    });
    const chunks = ssePayloads(res.body)
      .slice(0, -1)
      .map((p) => JSON.parse(p));
    expect(chunks).toHaveLength(4 + 2);
    expect(chunks[0].object).toBe('text_completion');
    expect(typeof chunks[0].choices[0].text).toBe('string');
    expect(chunks[4].choices[0].finish_reason).toBe('length');
    expect(chunks[5].usage.completion_tokens).toBe(4);
  });

  it('answers a non-streaming chat request with one well-formed completion', async () => {
    const res = await wireRequest(sim.url, '/v1/chat/completions', {
      body: {
        messages: [{ role: 'user', content: 'Say something.' }],
        max_completion_tokens: 5,
        ignore_eos: true,
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/json');
    const body = JSON.parse(res.body);
    expect(body.object).toBe('chat.completion');
    expect(body.choices).toHaveLength(1);
    expect(body.choices[0].message.role).toBe('assistant');
    expect(body.choices[0].message.content.length).toBeGreaterThan(0);
    expect(body.choices[0].finish_reason).toBe('length');
    expect(body.usage).toEqual({
      prompt_tokens: 3,
      total_tokens: 8,
      completion_tokens: 5,
      prompt_tokens_details: { cached_tokens: 0 },
    });
  });

  it('the same request number gives the same words (seeded)', async () => {
    const other = await startSimulator({ preset: 'tiny', profile: { stepBaseMs: 0.2 } });
    try {
      const ask = (url: string) =>
        wireRequest(url, '/v1/completions', {
          body: { prompt: 'seeded', max_tokens: 12, ignore_eos: true },
        }).then((r) => JSON.parse(r.body).choices[0].text as string);
      const a = await ask(other.url);
      const again = await startSimulator({ preset: 'tiny', profile: { stepBaseMs: 0.2 } });
      try {
        expect(await ask(again.url)).toBe(a);
      } finally {
        await again.close();
      }
    } finally {
      await other.close();
    }
  });

  it('without ignore_eos, min_tokens holds and the model may stop early with "stop"', async () => {
    const eos = await startSimulator({
      preset: 'tiny',
      profile: { stepBaseMs: 0.1, eosProbabilityPerToken: 0.5 },
    });
    try {
      const reasons = new Set<string>();
      for (let i = 0; i < 6; i++) {
        const res = await wireRequest(eos.url, '/v1/completions', {
          body: { prompt: 'x', max_tokens: 40, min_tokens: 3 },
        });
        const body = JSON.parse(res.body);
        reasons.add(body.choices[0].finish_reason);
        expect(body.usage.completion_tokens).toBeGreaterThanOrEqual(3);
        expect(body.usage.completion_tokens).toBeLessThan(40);
      }
      expect([...reasons]).toEqual(['stop']);
    } finally {
      await eos.close();
    }
  });

  it.each([
    ['not JSON', '/v1/chat/completions', '{"messages": [', null, 'not valid JSON'],
    ['missing messages', '/v1/chat/completions', '{"model":"m"}', 'messages', 'messages: required'],
    [
      'wrong type',
      '/v1/chat/completions',
      '{"messages":[{"role":"user","content":"x"}],"max_tokens":"9"}',
      'max_tokens',
      'expected an integer',
    ],
    ['missing prompt', '/v1/completions', '{"max_tokens":3}', 'prompt', 'prompt: required'],
    [
      'context too long',
      '/v1/completions',
      '{"prompt":"x","max_tokens":9000}',
      'max_tokens',
      'maximum context length is 8192',
    ],
  ])('400 with an OpenAI error object: %s', async (_name, path, rawBody, param, message) => {
    const res = await wireRequest(sim.url, path, { rawBody });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.body);
    expect(Object.keys(body)).toEqual(['error']);
    expect(Object.keys(body.error)).toEqual(['message', 'type', 'param', 'code']);
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.param).toBe(param);
    expect(body.error.message).toContain(message);
  });

  it('unknown path → 404 JSON; wrong method → 405 with Allow', async () => {
    const missing = await wireRequest(sim.url, '/v2/nothing');
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body).error.message).toContain('/v2/nothing');
    const wrong = await wireRequest(sim.url, '/v1/chat/completions');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.allow).toBe('POST');
    expect(JSON.parse(wrong.body).error.type).toBe('invalid_request_error');
  });

  it('GET /health, /v1/models and /version', async () => {
    const health = await wireRequest(sim.url, '/health');
    expect(health.status).toBe(200);
    const models = JSON.parse((await wireRequest(sim.url, '/v1/models')).body);
    expect(models.object).toBe('list');
    expect(models.data[0]).toMatchObject({ id: 'sim-model', object: 'model', max_model_len: 8192 });
    expect(JSON.parse((await wireRequest(sim.url, '/version')).body).version).toBe('goodput-sim');
  });

  it('POST /tokenize answers like vLLM with the default tokenizer', async () => {
    const { defaultTokenizer } = await import('../../src/tokenizer/default.js');
    const text = 'The quick brown fox jumps over the lazy dog.';
    const res = JSON.parse(
      (await wireRequest(sim.url, '/tokenize', { body: { model: 'sim-model', prompt: text } })).body,
    );
    expect(res.tokens).toEqual(defaultTokenizer().encode(text));
    expect(res.count).toBe(res.tokens.length);
    expect(res.max_model_len).toBe(8192);
    const chat = JSON.parse(
      (await wireRequest(sim.url, '/tokenize', { body: { messages: [{ role: 'user', content: text }] } }))
        .body,
    );
    expect(chat.count).toBe(res.count);
    expect((await wireRequest(sim.url, '/tokenize', { body: { nothing: 1 } })).status).toBe(400);
  });

  it('GET /metrics is Prometheus text with vLLM names', async () => {
    const text = (await wireRequest(sim.url, '/metrics')).body;
    for (const name of [
      'vllm:num_requests_running',
      'vllm:num_requests_waiting',
      'vllm:kv_cache_usage_perc',
      'vllm:prefix_cache_queries_total',
      'vllm:prefix_cache_hits_total',
      'vllm:prompt_tokens_total',
      'vllm:generation_tokens_total',
      'goodput_sim:requests_total',
    ]) {
      expect(text).toMatch(new RegExp(`^# TYPE ${name} (gauge|counter)$`, 'm'));
      expect(text).toMatch(new RegExp(`^${name}\\{model_name="sim-model"\\} [0-9.e+-]+$`, 'm'));
    }
    const requests = Number(/^goodput_sim:requests_total\{[^}]*\} (\d+)$/m.exec(text)![1]);
    expect(requests).toBe(sim.counters.requests);
    expect(requests).toBeGreaterThan(5);
  });
});
