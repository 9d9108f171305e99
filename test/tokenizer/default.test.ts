import bpeRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../src/core/errors.js';
import { defaultTokenizer } from '../../src/tokenizer/default.js';

const tok = defaultTokenizer();

/** The id of the o200k token that is the single byte `b`. */
function byteToken(b: number): number {
  const id = bpeRanks.findIndex((e) => (Array.isArray(e) ? e.length === 1 && e[0] === b : false));
  if (id < 0) throw new Error(`no single-byte token ${b}`);
  return id;
}

describe('the default tokenizer (o200k_base)', () => {
  it.each(['Hello world', 'naïve café — 日本語 🎉', '  spaces\n\ttabs\r\n', '<|endoftext|> stays text'])(
    'round-trips %j',
    (text) => {
      expect(tok.decode(tok.encode(text))).toBe(text);
      expect(tok.count(text)).toBe(tok.encode(text).length);
    },
  );

  it('decodes each call on its own: a call ending inside a UTF-8 character does not leak into the next', () => {
    const lead = byteToken(0xe6); // first byte of a 3-byte character, alone
    const a = tok.encode('a')[0] as number;
    expect(tok.decode([a, lead])).toBe('a\ufffd');
    expect(tok.decode([a])).toBe('a');
    expect(tok.decode([lead, a])).toBe('\ufffda');
    // And split characters still join inside one call.
    const ids = tok.encode('日本語');
    expect(tok.decode(ids)).toBe('日本語');
  });

  it('decodes special tokens by name and rejects ids outside the vocabulary', () => {
    expect(tok.decode([199_999])).toBe('<|endoftext|>');
    expect(tok.decode([])).toBe('');
    try {
      tok.decode([300_000]);
    } catch (e) {
      expect(isGoodputError(e, 'TOKENIZER')).toBe(true);
      expect((e as Error).message).toContain('300000');
      return;
    }
    throw new Error('expected a TOKENIZER error');
  });

  it('draws random prompts below 199 998 (the special tokens start above)', () => {
    expect(tok.vocabSize).toBe(199_998);
    expect(bpeRanks).toHaveLength(199_998);
  });
});
