// `--tokenizer server`: counts tokens with the target's own POST /tokenize (vLLM's shape:
// {"model","prompt","add_special_tokens":false} → {"tokens":[…],"count":N}), so prompt lengths are
// exact for the served model. Counts are cached by the text's SHA-256 (datasets re-measure the same
// texts); every failure names the URL.

import { createHash } from 'node:crypto';
import { request } from 'undici';
import { GoodputError } from '../core/errors.js';

export interface ServerTokenizer {
  /** recorded in reports: `server:<url>` */
  readonly name: string;
  readonly url: string;
  /** token ids of `text` without special tokens */
  encode(text: string): Promise<number[]>;
  /** number of tokens of `text` (cached by content hash) */
  count(text: string): Promise<number>;
  /** HTTP requests made and cache hits so far (for audits and tests) */
  readonly stats: { requests: number; cacheHits: number };
}

export interface ServerTokenizerOptions {
  /** the target's base URL, as given to --base-url (a trailing slash is dropped) */
  baseUrl: string;
  model?: string;
  /** extra headers (e.g. the API key header) */
  headers?: Record<string, string>;
  /** per request, default 30 000 ms */
  timeoutMs?: number;
  /** counts kept, default 100 000 (oldest dropped first) */
  cacheSize?: number;
}

export function createServerTokenizer(options: ServerTokenizerOptions): ServerTokenizer {
  const url = `${options.baseUrl.replace(/\/+$/, '')}/tokenize`;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const cacheSize = options.cacheSize ?? 100_000;
  const counts = new Map<string, number>();
  const stats = { requests: 0, cacheHits: 0 };
  const hint = /\/v1$/.test(options.baseUrl.replace(/\/+$/, ''))
    ? 'vLLM serves /tokenize at the root: give --base-url without /v1'
    : 'use --tokenizer default or --tokenizer PATH/tokenizer.json when the server has no /tokenize';

  const keyOf = (text: string): string => createHash('sha256').update(text).digest('base64');

  async function tokenize(text: string): Promise<number[]> {
    stats.requests++;
    const body: Record<string, unknown> = { prompt: text, add_special_tokens: false };
    if (options.model !== undefined) body.model = options.model;
    let status: number;
    let payload: string;
    try {
      const res = await request(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...options.headers },
        body: JSON.stringify(body),
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
      });
      status = res.statusCode;
      payload = await res.body.text();
    } catch (e) {
      throw new GoodputError('TOKENIZER', `POST ${url} failed: ${(e as Error).message}`, { hint, cause: e });
    }
    if (status < 200 || status >= 300) {
      throw new GoodputError('TOKENIZER', `POST ${url} answered HTTP ${status}: ${payload.slice(0, 200)}`, {
        hint,
      });
    }
    let parsed: { tokens?: unknown; count?: unknown };
    try {
      parsed = JSON.parse(payload) as { tokens?: unknown; count?: unknown };
    } catch (e) {
      throw new GoodputError('TOKENIZER', `POST ${url} did not answer JSON: ${(e as Error).message}`, {
        hint,
        cause: e,
      });
    }
    const tokens = parsed?.tokens;
    if (!Array.isArray(tokens) || !tokens.every((t) => Number.isInteger(t))) {
      throw new GoodputError('TOKENIZER', `POST ${url}: the answer has no "tokens" list of integers`, {
        hint,
      });
    }
    if (parsed.count !== undefined && parsed.count !== tokens.length) {
      throw new GoodputError(
        'TOKENIZER',
        `POST ${url}: "count" ${String(parsed.count)} disagrees with ${tokens.length} "tokens"`,
      );
    }
    if (counts.size >= cacheSize) counts.delete(counts.keys().next().value as string);
    counts.set(keyOf(text), tokens.length);
    return tokens as number[];
  }

  async function count(text: string): Promise<number> {
    if (text === '') return 0;
    const hit = counts.get(keyOf(text));
    if (hit !== undefined) {
      stats.cacheHits++;
      return hit;
    }
    return (await tokenize(text)).length;
  }

  return {
    name: `server:${url}`,
    url,
    encode: tokenize,
    count,
    stats,
  };
}
