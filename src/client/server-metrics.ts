// Scrapes the target's Prometheus GET /metrics around a cell, for the prefix-cache hit counters
// (vLLM's `vllm:prefix_cache_hits_total` / `vllm:prefix_cache_queries_total`, which the simulator
// also serves; older vLLM's `vllm:gpu_prefix_cache_*`; any other `*prefix_cache_hits*` /
// `*prefix_cache_queries*` pair). The text parser is generic; a missing or failing /metrics is a
// result (`ok: false`), not an error, because the hit ratio is optional.

import { request } from 'undici';
import type { PrefixCacheCounters } from '../core/dataset/prefix-cache-hits.js';

export interface PromSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

function parseValue(text: string): number | undefined {
  if (text === '+Inf' || text === 'Inf') return Number.POSITIVE_INFINITY;
  if (text === '-Inf') return Number.NEGATIVE_INFINITY;
  if (text === 'NaN') return Number.NaN;
  const v = Number(text);
  return text !== '' && !Number.isNaN(v) ? v : undefined;
}

/** Parses `{a="x",b="y\"z"}` starting at `i` (the "{"); returns the labels and the index after "}". */
function parseLabels(
  line: string,
  start: number,
): { labels: Record<string, string>; end: number } | undefined {
  const labels: Record<string, string> = {};
  let i = start + 1;
  for (;;) {
    while (line[i] === ' ' || line[i] === ',') i++;
    if (line[i] === '}') return { labels, end: i + 1 };
    const eq = line.indexOf('=', i);
    if (eq < 0 || line[eq + 1] !== '"') return undefined;
    const key = line.slice(i, eq).trim();
    let value = '';
    let j = eq + 2;
    for (; j < line.length && line[j] !== '"'; j++) {
      if (line[j] === '\\') {
        j++;
        const c = line[j];
        value += c === 'n' ? '\n' : (c ?? '');
      } else value += line[j];
    }
    if (j >= line.length) return undefined;
    labels[key] = value;
    i = j + 1;
  }
}

/**
 * Prometheus text exposition format 0.0.4: `# HELP`/`# TYPE`/comments skipped, samples
 * `name{labels} value [timestamp]`. Malformed lines are skipped and counted, never fatal.
 */
export function parsePrometheusText(text: string): { samples: PromSample[]; malformedLines: number } {
  const samples: PromSample[] = [];
  let malformedLines = 0;
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const nameEnd = line.search(/[{\s]/);
    if (nameEnd <= 0) {
      malformedLines++;
      continue;
    }
    const name = line.slice(0, nameEnd);
    let labels: Record<string, string> = {};
    let rest = nameEnd;
    if (line[nameEnd] === '{') {
      const parsed = parseLabels(line, nameEnd);
      if (!parsed) {
        malformedLines++;
        continue;
      }
      labels = parsed.labels;
      rest = parsed.end;
    }
    const value = parseValue(line.slice(rest).trim().split(/\s+/)[0] ?? '');
    if (value === undefined) {
      malformedLines++;
      continue;
    }
    samples.push({ name, labels, value });
  }
  return { samples, malformedLines };
}

/** The sum over all label sets of metric `name`, or undefined when it is absent. */
export function sumMetric(samples: readonly PromSample[], name: string): number | undefined {
  let found = false;
  let sum = 0;
  for (const s of samples) {
    if (s.name !== name) continue;
    found = true;
    sum += s.value;
  }
  return found ? sum : undefined;
}

/** Known counter pairs, most specific first. */
export const PREFIX_CACHE_METRICS = [
  { hits: 'vllm:prefix_cache_hits_total', queries: 'vllm:prefix_cache_queries_total', source: 'vllm' },
  {
    hits: 'vllm:gpu_prefix_cache_hits_total',
    queries: 'vllm:gpu_prefix_cache_queries_total',
    source: 'vllm-v0',
  },
] as const;

/**
 * The prefix-cache counters of one scrape (summed over label sets), from a known pair, else from
 * any `X…prefix_cache_hits[_total]` with its matching `X…prefix_cache_queries[_total]`.
 */
export function prefixCacheCounters(
  samples: readonly PromSample[],
): (PrefixCacheCounters & { source: string; hitsMetric: string; queriesMetric: string }) | undefined {
  for (const pair of PREFIX_CACHE_METRICS) {
    const hits = sumMetric(samples, pair.hits);
    const queries = sumMetric(samples, pair.queries);
    if (hits !== undefined && queries !== undefined) {
      return { hits, queries, source: pair.source, hitsMetric: pair.hits, queriesMetric: pair.queries };
    }
  }
  const names = new Set(samples.map((s) => s.name));
  for (const name of [...names].sort()) {
    const m = /^(.*)prefix_cache_hits(_total)?$/.exec(name);
    if (!m) continue;
    const queriesMetric = `${m[1]}prefix_cache_queries${m[2] ?? ''}`;
    if (!names.has(queriesMetric)) continue;
    return {
      hits: sumMetric(samples, name) as number,
      queries: sumMetric(samples, queriesMetric) as number,
      source: 'generic',
      hitsMetric: name,
      queriesMetric,
    };
  }
  return undefined;
}

export type ServerMetricsScrape =
  | {
      ok: true;
      url: string;
      samples: PromSample[];
      malformedLines: number;
      /** absent when the server exposes no prefix-cache counters */
      prefixCache?: PrefixCacheCounters & { source: string; hitsMetric: string; queriesMetric: string };
    }
  | { ok: false; url: string; reason: string };

/** GET {baseUrl}/metrics (a trailing slash on baseUrl is dropped). */
export async function scrapeServerMetrics(
  baseUrl: string,
  options: { headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<ServerMetricsScrape> {
  const url = `${baseUrl.replace(/\/+$/, '')}/metrics`;
  const timeoutMs = options.timeoutMs ?? 10_000;
  let status: number;
  let text: string;
  try {
    const res = await request(url, {
      method: 'GET',
      headers: { accept: 'text/plain', ...options.headers },
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    status = res.statusCode;
    text = await res.body.text();
  } catch (e) {
    return { ok: false, url, reason: `GET ${url} failed: ${(e as Error).message}` };
  }
  if (status < 200 || status >= 300) return { ok: false, url, reason: `GET ${url} answered HTTP ${status}` };
  const { samples, malformedLines } = parsePrometheusText(text);
  const prefixCache = prefixCacheCounters(samples);
  return prefixCache
    ? { ok: true, url, samples, malformedLines, prefixCache }
    : { ok: true, url, samples, malformedLines };
}
