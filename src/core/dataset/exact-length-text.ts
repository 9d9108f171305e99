// Text of an EXACT token length, made of random vocabulary tokens (ferrum §8.6, improved): ids are
// drawn from the whole base vocabulary above the byte range, decoded, re-encoded and adjusted until
// the count is exact. One search, two drivers: the local tokenizer measures (sync), or a server's
// /tokenize measures (async) while the local tokenizer still edits the text.
//
// The search, in rounds (each round measures the current text once):
//   1. draw `target` ids, decode.
//   2. measure → c. Exact: done.
//   3. too long: drop k of the text's own re-encoded ids from the end; too short: append k fresh
//      random ids. k = |c − target| scaled by local/measured tokens (1:1 with the local tokenizer).
//   4. after `rounds` rounds, fine steps: drop the last character while too long, append a short
//      piece (" x", ".", …) that adds 1 token while too short.
// The result always says how many tokens it has; callers decide what a miss means (never silent).

import { GoodputError } from '../errors.js';
import type { RandomSource } from '../random/random-source.js';
import type { Tokenizer } from '../tokenizer.js';
import { uniformBelow } from './dataset-sampling.js';

export interface ExactText {
  text: string;
  /** the measured token count of `text` */
  tokens: number;
  requested: number;
}

/** One measurement request: the text, and its re-encoding by the local tokenizer. */
export interface Probe {
  text: string;
  localIds: readonly number[];
}

export interface ExactTextOptions {
  /** adjustment rounds before the fine steps (default 24) */
  rounds?: number;
  /** fine steps, one measurement each (default 160) */
  fineSteps?: number;
}

/** The ids random text is drawn from: [min(256, V − 1), V − 1] minus added/special ids (ferrum §8.6). */
export interface TokenIdPool {
  lo: number;
  /** exclusive */
  hi: number;
  excluded: ReadonlySet<number>;
}

export function tokenIdPool(tokenizer: Tokenizer): TokenIdPool {
  const v = tokenizer.vocabSize;
  if (!Number.isInteger(v) || v < 2) {
    throw new GoodputError('TOKENIZER', `tokenizer ${tokenizer.name} reports a vocabulary of ${v} tokens`, {
      hint: 'random prompts need a tokenizer with at least 2 base tokens',
    });
  }
  const lo = Math.min(256, v - 1);
  const excluded = new Set((tokenizer.specialIds ?? []).filter((id) => id >= lo && id < v));
  if (excluded.size >= v - lo) {
    throw new GoodputError('TOKENIZER', `tokenizer ${tokenizer.name} has no ordinary token ids above ${lo}`);
  }
  return { lo, hi: v, excluded };
}

function drawIds(rng: RandomSource, pool: TokenIdPool, count: number, into: number[]): void {
  const span = pool.hi - pool.lo;
  for (let i = 0; i < count; i++) {
    let id: number;
    do id = pool.lo + uniformBelow(rng, span);
    while (pool.excluded.has(id));
    into.push(id);
  }
}

/** Short pieces that usually add exactly one token, tried in order by the fine steps. */
const ONE_TOKEN_PIECES = [' x', ' y', ' z', ' a', '.', ',', '\n', ' the', ' and', '!'];

function* searchExactText(
  tokenizer: Tokenizer,
  rng: RandomSource,
  target: number,
  options: ExactTextOptions,
): Generator<Probe, ExactText, number> {
  const pool = tokenIdPool(tokenizer);
  const rounds = options.rounds ?? 24;
  const fineSteps = options.fineSteps ?? 160;
  const probe = (text: string): Probe => ({ text, localIds: tokenizer.encode(text) });

  let ids: number[] = [];
  drawIds(rng, pool, target, ids);
  let current = probe(tokenizer.decode(ids));
  let best: ExactText = { text: current.text, tokens: Number.POSITIVE_INFINITY, requested: target };
  const consider = (p: Probe, tokens: number): boolean => {
    if (Math.abs(tokens - target) < Math.abs(best.tokens - target))
      best = { text: p.text, tokens, requested: target };
    return tokens === target;
  };

  for (let round = 0; round < rounds; round++) {
    const c = yield current;
    if (consider(current, c)) return best;
    const local = current.localIds.length;
    const k = Math.max(1, Math.round((Math.abs(c - target) * Math.max(local, 1)) / Math.max(c, 1)));
    if (c > target) {
      ids = current.localIds.slice(0, Math.max(0, local - k));
    } else {
      ids = current.localIds.slice();
      drawIds(rng, pool, k, ids);
    }
    current = probe(tokenizer.decode(ids));
  }

  // Fine steps from the best candidate so far.
  let text = best.text;
  let c = best.tokens;
  for (let step = 0; step < fineSteps && c !== target; ) {
    if (c > target) {
      const chars = Array.from(text);
      chars.pop();
      text = chars.join('');
      const p = probe(text);
      c = yield p;
      step++;
      if (consider(p, c)) return best;
    } else {
      let advanced = false;
      for (const piece of ONE_TOKEN_PIECES) {
        if (step >= fineSteps) break;
        const p = probe(text + piece);
        const next = yield p;
        step++;
        if (consider(p, next)) return best;
        if (next > c && next <= target) {
          text = p.text;
          c = next;
          advanced = true;
          break;
        }
      }
      if (!advanced) {
        // No short piece fits after this text: append a random token and come back down.
        const extra: number[] = [];
        drawIds(rng, pool, 1, extra);
        text += tokenizer.decode(extra);
        const p = probe(text);
        c = yield p;
        step++;
        if (consider(p, c)) return best;
      }
    }
  }
  return best;
}

/** Measures with the local tokenizer unless `measure` says otherwise (e.g. a count in context). */
export function exactTextSync(
  tokenizer: Tokenizer,
  rng: RandomSource,
  target: number,
  options: ExactTextOptions & { measure?: (probe: Probe) => number } = {},
): ExactText {
  if (target === 0) return { text: '', tokens: 0, requested: 0 };
  const measure = options.measure ?? ((p: Probe) => p.localIds.length);
  const search = searchExactText(tokenizer, rng, target, options);
  let step = search.next();
  while (!step.done) step = search.next(measure(step.value));
  return step.value;
}

/** The same search measured by an async counter (a server's /tokenize). */
export async function exactTextAsync(
  tokenizer: Tokenizer,
  rng: RandomSource,
  target: number,
  measure: (text: string) => Promise<number>,
  options: ExactTextOptions = {},
): Promise<ExactText> {
  if (target === 0) return { text: '', tokens: 0, requested: 0 };
  const search = searchExactText(tokenizer, rng, target, options);
  let step = search.next();
  while (!step.done) step = search.next(await measure(step.value.text));
  return step.value;
}
