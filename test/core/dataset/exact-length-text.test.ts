import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exactTextAsync, exactTextSync, tokenIdPool } from '../../../src/core/dataset/exact-length-text.js';
import { isGoodputError } from '../../../src/core/errors.js';
import { deriveStream } from '../../../src/core/random/streams.js';
import type { Tokenizer } from '../../../src/core/tokenizer.js';
import { defaultTokenizer } from '../../../src/tokenizer/default.js';
import { loadHfTokenizer } from '../../../src/tokenizer/hf-tokenizer.js';
import { writeGpt2TokenizerJson } from '../../tokenizer/gpt2-tokenizer-json.js';

const here = dirname(fileURLToPath(import.meta.url));
let dir: string;
let gpt2: Tokenizer;
let tinyLlama: Tokenizer;
const o200k = defaultTokenizer();

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'goodput-exact-'));
  gpt2 = await loadHfTokenizer(await writeGpt2TokenizerJson(dir));
  tinyLlama = await loadHfTokenizer(join(here, '..', '..', 'tokenizer', 'fixtures', 'tiny-llama'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const TARGETS = [1, 2, 3, 5, 8, 17, 64, 128, 500, 1024];

describe('exact-length random text', () => {
  it.each(TARGETS)('hits %i tokens exactly with the default tokenizer (o200k), for 20 seeds', (target) => {
    for (let seed = 0; seed < 20; seed++) {
      const rng = deriveStream({ seed, purpose: 'test-exact', repeat: target });
      const got = exactTextSync(o200k, rng, target);
      expect(got.tokens).toBe(target);
      expect(o200k.count(got.text)).toBe(target);
    }
  });

  it.each(TARGETS)('hits %i tokens exactly with the Hugging Face GPT-2 tokenizer.json', (target) => {
    for (let seed = 0; seed < 8; seed++) {
      const got = exactTextSync(
        gpt2,
        deriveStream({ seed, purpose: 'test-exact-hf', repeat: target }),
        target,
      );
      expect(gpt2.count(got.text)).toBe(target);
      expect(got.text).not.toContain('<|endoftext|>');
    }
  });

  it('hits exact lengths with a byte-fallback SentencePiece tokenizer whose draws include raw byte tokens', () => {
    for (const target of [1, 4, 9, 33, 100]) {
      for (let seed = 0; seed < 10; seed++) {
        const got = exactTextSync(
          tinyLlama,
          deriveStream({ seed, purpose: 'test-exact-llama', repeat: target }),
          target,
        );
        expect(tinyLlama.count(got.text)).toBe(target);
      }
    }
  });

  it('is deterministic: the same stream gives the same text, another stream another text', () => {
    const a = exactTextSync(o200k, deriveStream({ seed: 7, purpose: 'p', cell: 'c', repeat: 1 }), 256);
    const b = exactTextSync(o200k, deriveStream({ seed: 7, purpose: 'p', cell: 'c', repeat: 1 }), 256);
    const c = exactTextSync(o200k, deriveStream({ seed: 7, purpose: 'p', cell: 'c', repeat: 2 }), 256);
    expect(a.text).toBe(b.text);
    expect(c.text).not.toBe(a.text);
  });

  it('target 0 is the empty string, with no draw', () => {
    expect(exactTextSync(o200k, deriveStream({ seed: 1, purpose: 'p' }), 0)).toEqual({
      text: '',
      tokens: 0,
      requested: 0,
    });
  });

  it('measured by another (async) tokenizer, edits with the local one until the OTHER count is exact', async () => {
    // The server's tokenizer here is GPT-2 while the client edits with o200k: the counts differ,
    // and the search must converge on the server's count.
    for (const target of [7, 100, 333]) {
      const got = await exactTextAsync(
        o200k,
        deriveStream({ seed: 3, purpose: 'test-async', repeat: target }),
        target,
        async (text) => gpt2.count(text),
      );
      expect(got.tokens).toBe(target);
      expect(gpt2.count(got.text)).toBe(target);
    }
  });

  it('reports an honest miss when the measure can never be satisfied', () => {
    // A measure that only ever returns even numbers cannot reach 5.
    const got = exactTextSync(o200k, deriveStream({ seed: 1, purpose: 'p' }), 5, {
      measure: (p) => 2 * Math.ceil(p.localIds.length / 2),
      fineSteps: 20,
    });
    expect(got.requested).toBe(5);
    expect(got.tokens % 2).toBe(0);
    expect(Math.abs(got.tokens - 5)).toBe(1);
  });
});

describe('the token id pool (ferrum §8.6: [min(256, V − 1), V − 1] minus special ids)', () => {
  it.each([
    [{ vocabSize: 199_998 }, 256, 199_998, []],
    [{ vocabSize: 100 }, 99, 100, []],
    [{ vocabSize: 50_257, specialIds: [50_256, 3] }, 256, 50_257, [50_256]],
  ])('%j → [%i, %i) without %j', (tok, lo, hi, excluded) => {
    const pool = tokenIdPool({ ...o200k, name: 't', ...tok });
    expect(pool.lo).toBe(lo);
    expect(pool.hi).toBe(hi);
    expect([...pool.excluded]).toEqual(excluded);
  });

  it('rejects a vocabulary too small to draw from', () => {
    expect(() => tokenIdPool({ ...o200k, name: 'one', vocabSize: 1 })).toThrow(/vocabulary of 1 tokens/);
    try {
      tokenIdPool({ ...o200k, name: 'specials', vocabSize: 3, specialIds: [2] });
    } catch (e) {
      expect(isGoodputError(e, 'TOKENIZER')).toBe(true);
      return;
    }
    throw new Error('expected a TOKENIZER error');
  });
});
