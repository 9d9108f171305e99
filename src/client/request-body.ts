// The JSON body of one streaming generation request: ferrum's keys in ferrum's order
// (ferrum-behaviour §8.7) for the chat endpoint, the same for completions, then `--extra-body`
// merged over them (SPEC §3.1). stream_options is dropped once the server has rejected it.

import type { Endpoint } from './target.js';

export interface ChatMessage {
  readonly role: string;
  readonly content: string;
}

/** A prompt: plain text (sent as one user message on the chat endpoint) or ready-made messages. */
export type Prompt = string | readonly ChatMessage[];

export interface BodyOptions {
  readonly endpoint: Endpoint;
  readonly model: string;
  /** `--enable-thinking true|false`; omitted when not given */
  readonly enableThinking?: boolean;
  readonly ignoreEos?: boolean;
  /** `--extra-body` object, merged last so the user can override any key */
  readonly extraBody?: Readonly<Record<string, unknown>>;
}

/** Serialises one request body. `includeUsage` adds `stream_options: {include_usage: true}`. */
export function buildRequestBody(
  options: BodyOptions,
  prompt: Prompt,
  maxTokens: number,
  includeUsage: boolean,
): string {
  const body: Record<string, unknown> = { model: options.model };
  if (options.endpoint === 'chat') {
    body.messages = typeof prompt === 'string' ? [{ role: 'user', content: prompt }] : prompt;
  } else {
    body.prompt = typeof prompt === 'string' ? prompt : prompt.map((m) => m.content).join('\n');
  }
  body.max_tokens = maxTokens;
  body.stream = true;
  if (includeUsage) body.stream_options = { include_usage: true };
  body.temperature = 0;
  if (options.enableThinking !== undefined && options.endpoint === 'chat') {
    body.chat_template_kwargs = { enable_thinking: options.enableThinking };
  }
  if (options.ignoreEos === true) body.ignore_eos = true;
  if (options.extraBody !== undefined) {
    for (const [key, value] of Object.entries(options.extraBody)) body[key] = value;
  }
  return JSON.stringify(body);
}
