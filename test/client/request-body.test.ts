import { describe, expect, it } from 'vitest';
import { buildRequestBody } from '../../src/client/request-body.js';

describe('buildRequestBody (ferrum §8.7 order, then --extra-body)', () => {
  it('chat: model, messages, max_tokens, stream, stream_options, temperature, chat_template_kwargs, ignore_eos', () => {
    const body = JSON.parse(
      buildRequestBody(
        { endpoint: 'chat', model: 'm', enableThinking: false, ignoreEos: true },
        'hi',
        8,
        true,
      ),
    );
    expect(Object.keys(body)).toEqual([
      'model',
      'messages',
      'max_tokens',
      'stream',
      'stream_options',
      'temperature',
      'chat_template_kwargs',
      'ignore_eos',
    ]);
    expect(body.messages).toEqual([{ role: 'user', content: 'hi' }]);
    expect(body.chat_template_kwargs).toEqual({ enable_thinking: false });
    expect(body.stream_options).toEqual({ include_usage: true });
    expect(body.temperature).toBe(0);
  });

  it('without usage: no stream_options; ready-made messages are sent as they are', () => {
    const messages = [
      { role: 'system', content: 's' },
      { role: 'user', content: 'u' },
    ];
    const body = JSON.parse(buildRequestBody({ endpoint: 'chat', model: 'm' }, messages, 4, false));
    expect(body.stream_options).toBeUndefined();
    expect(body.messages).toEqual(messages);
    expect(body.ignore_eos).toBeUndefined();
  });

  it('completions: a prompt; --extra-body merged last overrides', () => {
    const body = JSON.parse(
      buildRequestBody(
        { endpoint: 'completions', model: 'm', extraBody: { temperature: 0.5, top_p: 0.9, min_tokens: 4 } },
        'p',
        4,
        true,
      ),
    );
    expect(body).toEqual({
      model: 'm',
      prompt: 'p',
      max_tokens: 4,
      stream: true,
      stream_options: { include_usage: true },
      temperature: 0.5,
      top_p: 0.9,
      min_tokens: 4,
    });
  });
});
