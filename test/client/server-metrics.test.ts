import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parsePrometheusText,
  prefixCacheCounters,
  scrapeServerMetrics,
  sumMetric,
} from '../../src/client/server-metrics.js';
import { buildDataset, prepareDataset } from '../../src/core/dataset/build-dataset.js';
import { findCapacityCliff } from '../../src/core/dataset/capacity-cliff.js';
import type { DatasetPrompt } from '../../src/core/dataset/dataset-prompt.js';
import { hitRatioFromScrapes, hitRatioFromUsage } from '../../src/core/dataset/prefix-cache-hits.js';
import { type SimulatorHandle, startSimulator } from '../../src/server/start-simulator.js';
import { defaultTokenizer } from '../../src/tokenizer/default.js';

describe('Prometheus text parsing', () => {
  const text = [
    '# HELP vllm:prefix_cache_hits_total Prefix cache hits, in terms of number of cached tokens.',
    '# TYPE vllm:prefix_cache_hits_total counter',
    'vllm:prefix_cache_hits_total{engine="0",model_name="m"} 1200.0',
    'vllm:prefix_cache_hits_total{engine="1",model_name="m"} 300',
    'vllm:prefix_cache_queries_total{engine="0",model_name="m"} 4000 1712345678000',
    'vllm:prefix_cache_queries_total{engine="1",model_name="m"} 1000',
    'odd_labels{path="C:\\\\dir",quote="say \\"hi\\"",nl="a\\nb"} 1',
    'no_labels 2.5e3',
    'gauge_nan NaN',
    'gauge_inf{le="+Inf"} +Inf',
    'broken{unterminated="x 1',
    'novalue{a="b"}',
    '',
  ].join('\n');

  it('reads samples with labels (escapes included), special values and timestamps; counts malformed lines', () => {
    const { samples, malformedLines } = parsePrometheusText(text);
    expect(malformedLines).toBe(2);
    expect(samples.find((s) => s.name === 'odd_labels')?.labels).toEqual({
      path: 'C:\\dir',
      quote: 'say "hi"',
      nl: 'a\nb',
    });
    expect(sumMetric(samples, 'no_labels')).toBe(2500);
    expect(Number.isNaN(sumMetric(samples, 'gauge_nan'))).toBe(true);
    expect(sumMetric(samples, 'gauge_inf')).toBe(Number.POSITIVE_INFINITY);
    expect(sumMetric(samples, 'absent')).toBeUndefined();
  });

  it('finds vLLM prefix-cache counters summed over engines', () => {
    expect(prefixCacheCounters(parsePrometheusText(text).samples)).toEqual({
      hits: 1500,
      queries: 5000,
      source: 'vllm',
      hitsMetric: 'vllm:prefix_cache_hits_total',
      queriesMetric: 'vllm:prefix_cache_queries_total',
    });
  });

  it.each([
    [
      'vllm:gpu_prefix_cache_hits_total 5\nvllm:gpu_prefix_cache_queries_total 9\n',
      { hits: 5, queries: 9, source: 'vllm-v0' },
    ],
    [
      'myengine_prefix_cache_hits 7\nmyengine_prefix_cache_queries 70\n',
      {
        hits: 7,
        queries: 70,
        source: 'generic',
        hitsMetric: 'myengine_prefix_cache_hits',
        queriesMetric: 'myengine_prefix_cache_queries',
      },
    ],
  ])('other names: %j', (body, expected) => {
    expect(prefixCacheCounters(parsePrometheusText(body).samples)).toMatchObject(expected);
  });

  it('no counters, or hits without queries → undefined', () => {
    expect(prefixCacheCounters(parsePrometheusText('x_prefix_cache_hits_total 3\n').samples)).toBeUndefined();
  });
});

describe('scraping /metrics over HTTP', () => {
  it('a server without /metrics, or no server at all, is a result with the reason, not a throw', async () => {
    const server = createServer((_req, res) => res.writeHead(404).end('not found'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    expect(await scrapeServerMetrics(`${url}/`)).toEqual({
      ok: false,
      url: `${url}/metrics`,
      reason: `GET ${url}/metrics answered HTTP 404`,
    });
    await new Promise<void>((resolve) => server.close(() => resolve()));
    const refused = await scrapeServerMetrics(url);
    expect(refused.ok).toBe(false);
    expect(refused.ok ? '' : refused.reason).toContain(`GET ${url}/metrics failed`);
  });
});

describe('shared-prefix prompts against the simulator: hit ratio from usage and /metrics, and the capacity cliff', () => {
  let sim: SimulatorHandle;
  const tokenizer = defaultTokenizer();
  // 40 blocks of 16 tokens. Each request brings a 64-token prefix (4 blocks) + a unique 16-token
  // suffix (1 block), so round-robin over G groups stays cached while 5·G ≤ 40 and thrashes beyond.
  beforeAll(async () => {
    sim = await startSimulator({ preset: 'instant', profile: { prefixCacheBlocks: 40 } });
  });
  afterAll(async () => {
    await sim.close();
  });

  async function send(p: DatasetPrompt): Promise<{ promptTokens: number; cachedTokens: number }> {
    const res = await request(`${sim.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'goodput-sim',
        messages: [{ role: 'user', content: p.prompt }],
        max_tokens: 1,
        stream: false,
      }),
    });
    const body = (await res.body.json()) as {
      usage: { prompt_tokens: number; prompt_tokens_details: { cached_tokens: number } };
    };
    expect(res.statusCode).toBe(200);
    return {
      promptTokens: body.usage.prompt_tokens,
      cachedTokens: body.usage.prompt_tokens_details.cached_tokens,
    };
  }

  async function runCell(groups: number) {
    const prepared = prepareDataset({
      kind: 'shared-prefix',
      prefixLen: 64,
      suffixLen: 16,
      groups,
      warmPrefix: false,
      outputLen: 1,
      lengthTolerance: 0,
    });
    const built = await buildDataset(prepared, {
      tokenizer,
      seed: 11,
      cellKey: `groups=${groups}`,
      repeat: 1,
      numPrompts: groups * 4,
      warmupPrompts: 0,
    });
    const before = await scrapeServerMetrics(sim.url);
    const usage = [];
    for (const p of built.measured) usage.push({ ...(await send(p)), prompt: p });
    const after = await scrapeServerMetrics(sim.url);
    if (!before.ok || !after.ok || !before.prefixCache || !after.prefixCache)
      throw new Error('the simulator has /metrics');
    return { usage, scraped: hitRatioFromScrapes(before.prefixCache, after.prefixCache) };
  }

  it('the server sees exactly the prompt lengths built, misses exactly the first request of each group, and both ratios agree', async () => {
    const { usage, scraped } = await runCell(4);
    for (const u of usage) {
      expect(u.promptTokens).toBe(u.prompt.inputTokens);
      expect(u.promptTokens).toBe(80);
      expect(u.cachedTokens).toBe(u.prompt.isPrefixFirst ? 0 : 64);
    }
    const fromUsage = hitRatioFromUsage(usage);
    expect(fromUsage.ratio).toBeCloseTo((12 * 64) / (16 * 80), 12);
    expect(scraped.reset).toBe(false);
    expect(scraped.hitTokens).toBe(fromUsage.hitTokens);
    expect(scraped.queryTokens).toBe(fromUsage.queryTokens);
  });

  it('a working-set sweep finds the cliff where 5·G blocks outgrow the 40-block cache', async () => {
    const points = [];
    for (const groups of [2, 6, 8, 10, 14]) {
      const { scraped } = await runCell(groups);
      points.push({ workingSetTokens: groups * 64, hitRatio: scraped.ratio });
    }
    const got = findCapacityCliff(points);
    expect(got.plateauHitRatio).toBeCloseTo(0.6, 12); // 3 warm rounds of 4, 64 of 80 tokens each
    expect(got.cliff?.lastGood.workingSetTokens).toBe(8 * 64);
    expect(got.cliff?.firstBad).toEqual({ workingSetTokens: 10 * 64, hitRatio: 0 });
  });
});
