import { describe, expect, it } from 'vitest';
import { parseCompletionRequest } from '../../../src/core/sim/completion-request.js';

const chat = (extra: Record<string, unknown>) => ({ messages: [{ role: 'user', content: 'hi' }], ...extra });

describe('completion request validation', () => {
  it('reads a chat request', () => {
    const out = parseCompletionRequest(
      'chat',
      chat({
        model: 'm',
        stream: true,
        stream_options: { include_usage: true },
        max_tokens: 7,
        min_tokens: 2,
        ignore_eos: true,
      }),
    );
    expect(out).toEqual({
      ok: true,
      request: {
        endpoint: 'chat',
        model: 'm',
        prompt: { kind: 'texts', texts: ['hi'] },
        stream: true,
        hasStreamOptions: true,
        includeUsage: true,
        maxTokens: 7,
        minTokens: 2,
        ignoreEos: true,
      },
    });
  });

  it('max_completion_tokens wins over max_tokens; text parts and null content are read', () => {
    const out = parseCompletionRequest('chat', {
      messages: [
        { role: 'system', content: null },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'a' },
            { type: 'text', text: 'b' },
          ],
        },
      ],
      max_tokens: 5,
      max_completion_tokens: 9,
    });
    expect(out.ok && out.request.maxTokens).toBe(9);
    expect(out.ok && out.request.prompt).toEqual({ kind: 'texts', texts: ['a', 'b'] });
  });

  it('reads completions prompts: text, one-element list, token ids', () => {
    const prompt = (p: unknown) => {
      const out = parseCompletionRequest('completions', { prompt: p });
      return out.ok ? out.request.prompt : out.message;
    };
    expect(prompt('abc')).toEqual({ kind: 'texts', texts: ['abc'] });
    expect(prompt(['abc'])).toEqual({ kind: 'texts', texts: ['abc'] });
    expect(prompt([1, 2, 3])).toEqual({ kind: 'token_ids', ids: [1, 2, 3] });
    expect(prompt([[4, 5]])).toEqual({ kind: 'token_ids', ids: [4, 5] });
    expect(prompt(['a', 'b'])).toContain('not a batch');
  });

  it.each([
    ['chat', [1], null, 'must be a JSON object'],
    ['chat', {}, 'messages', 'messages: required'],
    ['chat', { messages: 'hi' }, 'messages', 'expected an array, got string'],
    ['chat', { messages: [] }, 'messages', 'at least one'],
    ['chat', { messages: [{ content: 'x' }] }, 'messages[0].role', 'expected a string'],
    ['chat', { messages: [{ role: 'user', content: 5 }] }, 'messages[0].content', 'got number'],
    [
      'chat',
      { messages: [{ role: 'user', content: [{ type: 'image_url' }] }] },
      'messages[0].content[0]',
      'text',
    ],
    ['chat', chat({ max_tokens: 0 }), 'max_tokens', 'at least 1'],
    ['chat', chat({ max_tokens: 2.5 }), 'max_tokens', 'expected an integer'],
    ['chat', chat({ max_tokens: '5' }), 'max_tokens', 'got string'],
    ['chat', chat({ stream: 'yes' }), 'stream', 'expected a boolean'],
    [
      'chat',
      chat({ stream_options: { include_usage: true } }),
      'stream_options',
      'only allowed when stream is true',
    ],
    ['chat', chat({ stream: true, stream_options: 3 }), 'stream_options', 'expected an object'],
    ['chat', chat({ max_tokens: 3, min_tokens: 4 }), 'min_tokens', 'more than the token budget'],
    ['chat', chat({ n: 2 }), 'n', 'exactly one choice'],
    ['chat', chat({ model: 7 }), 'model', 'expected a string'],
    ['chat', chat({ ignore_eos: 1 }), 'ignore_eos', 'expected a boolean'],
    ['completions', {}, 'prompt', 'prompt: required'],
    ['completions', { prompt: 3 }, 'prompt', 'got number'],
  ] as const)('%s %j → 400 on %s', (endpoint, body, param, message) => {
    const out = parseCompletionRequest(endpoint, body);
    expect(out.ok).toBe(false);
    if (!out.ok) {
      expect(out.param).toBe(param);
      expect(out.message).toContain(message);
    }
  });
});
