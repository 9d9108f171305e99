import { describe, expect, it } from 'vitest';
import { isGoodputError } from '../../../src/core/errors.js';
import { builtinVocab, TOKEN_TYPE, vocabFromTokenizerJson } from '../../../src/engine/gguf/tiny-vocab.js';
import { gpt2TokenizerJson } from './gpt2-tokenizer-json.js';

describe('builtinVocab', () => {
  it('has unk/bos/eos, all 256 byte tokens and unique pieces', () => {
    const v = builtinVocab();
    expect(v.model).toBe('llama');
    expect(v.tokens.slice(0, 3)).toEqual(['<unk>', '<s>', '</s>']);
    expect(v.tokenTypes.filter((t) => t === TOKEN_TYPE.byte)).toHaveLength(256);
    expect(v.tokens[3 + 0x41]).toBe('<0x41>');
    expect(new Set(v.tokens).size).toBe(v.tokens.length);
    expect(v.specialIds).toEqual([0, 1, 2]);
    expect(v.tokens).toContain('\u2581relativity');
    expect(v.tokens).toHaveLength(v.scores.length);
  });
});

describe('vocabFromTokenizerJson', () => {
  it('converts byte-level BPE to gpt2 with merges and the eos from added_tokens', () => {
    const v = vocabFromTokenizerJson(gpt2TokenizerJson(), 't.json');
    expect(v.model).toBe('gpt2');
    expect(v.tokens).toHaveLength(263);
    expect(v.merges).toEqual(['h e', 'l l', 'he ll', 'hell o', 'Ġ w', 'Ġw o']);
    expect(v.eosId).toBe(262);
    expect(v.bosId).toBe(262);
    expect(v.tokenTypes[262]).toBe(TOKEN_TYPE.control);
    expect(v.specialIds).toEqual([262]);
  });

  it('converts BPE with byte fallback to llama (SentencePiece) with byte tokens and merge-rank scores', () => {
    const vocab: Record<string, number> = { '<unk>': 0, '<s>': 1, '</s>': 2, '<0x41>': 3, a: 4, b: 5, ab: 6 };
    const v = vocabFromTokenizerJson(
      JSON.stringify({
        model: { type: 'BPE', byte_fallback: true, vocab, merges: [['a', 'b']], unk_token: '<unk>' },
        added_tokens: [
          { id: 0, content: '<unk>', special: true },
          { id: 1, content: '<s>', special: true },
          { id: 2, content: '</s>', special: true },
        ],
      }),
      't.json',
    );
    expect(v.model).toBe('llama');
    expect(v.tokenTypes).toEqual([
      TOKEN_TYPE.unknown,
      TOKEN_TYPE.control,
      TOKEN_TYPE.control,
      TOKEN_TYPE.byte,
      1,
      1,
      1,
    ]);
    expect([v.bosId, v.eosId, v.unkId]).toEqual([1, 2, 0]);
    expect(v.merges).toEqual([]);
  });

  it('converts Unigram with its scores', () => {
    const v = vocabFromTokenizerJson(
      JSON.stringify({
        model: {
          type: 'Unigram',
          vocab: [
            ['<unk>', 0],
            ['</s>', 0],
            ['▁a', -1.5],
          ],
        },
        added_tokens: [{ id: 1, content: '</s>', special: true }],
      }),
      't.json',
    );
    expect(v.scores).toEqual([0, 0, -1.5]);
    expect(v.eosId).toBe(1);
  });

  it.each([
    ['not json', 'not JSON'],
    ['{"model":{"type":"WordPiece"}}', 'model.type "WordPiece" is not supported'],
    [
      '{"model":{"type":"BPE","vocab":{"a":0,"c":3},"merges":[]},"added_tokens":[{"id":1,"content":"</s>"}]}',
      'id 2 is missing',
    ],
    ['{"model":{"type":"BPE","vocab":{"a":0},"merges":[]}}', 'no end-of-sequence token'],
  ])('%s → a TOKENIZER error naming the file', (text, fragment) => {
    try {
      vocabFromTokenizerJson(text, 'bad/tokenizer.json');
      expect.unreachable();
    } catch (e) {
      expect(isGoodputError(e, 'TOKENIZER')).toBe(true);
      expect((e as Error).message).toContain('bad/tokenizer.json');
      expect((e as Error).message).toContain(fragment);
    }
  });
});
