// Validation of the JSON body of POST /v1/chat/completions and /v1/completions into what the
// simulator needs. Pure: a bad body yields the message and the JSON path (`param`) of the first
// problem, which the server turns into a 400 OpenAI error object. Unknown keys are ignored, as
// vLLM does (temperature, top_p, seed… do not change the simulation).

export type CompletionEndpoint = 'chat' | 'completions';

export type PromptInput = { kind: 'texts'; texts: string[] } | { kind: 'token_ids'; ids: number[] };

export interface CompletionRequest {
  endpoint: CompletionEndpoint;
  model: string | undefined;
  prompt: PromptInput;
  stream: boolean;
  /** stream_options was present (and not null) in the body */
  hasStreamOptions: boolean;
  includeUsage: boolean;
  /** max_completion_tokens, else max_tokens; undefined when neither was given */
  maxTokens: number | undefined;
  minTokens: number;
  ignoreEos: boolean;
}

export type ParseOutcome =
  | { ok: true; request: CompletionRequest }
  | { ok: false; message: string; param: string | null };

const fail = (message: string, param: string | null): ParseOutcome => ({ ok: false, message, param });

function typeName(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses an already-decoded JSON value as a completion request for `endpoint`. */
export function parseCompletionRequest(endpoint: CompletionEndpoint, body: unknown): ParseOutcome {
  if (!isObject(body)) return fail(`the request body must be a JSON object, got ${typeName(body)}`, null);

  let prompt: PromptInput;
  if (endpoint === 'chat') {
    const messages = body.messages;
    if (messages === undefined) return fail('messages: required', 'messages');
    if (!Array.isArray(messages))
      return fail(`messages: expected an array, got ${typeName(messages)}`, 'messages');
    if (messages.length === 0) return fail('messages: must contain at least one message', 'messages');
    const texts: string[] = [];
    for (let i = 0; i < messages.length; i++) {
      const at = `messages[${i}]`;
      const message: unknown = messages[i];
      if (!isObject(message)) return fail(`${at}: expected an object, got ${typeName(message)}`, at);
      if (typeof message.role !== 'string') {
        return fail(`${at}.role: expected a string, got ${typeName(message.role)}`, `${at}.role`);
      }
      const content = message.content;
      if (typeof content === 'string') texts.push(content);
      else if (Array.isArray(content)) {
        for (let j = 0; j < content.length; j++) {
          const partAt = `${at}.content[${j}]`;
          const part: unknown = content[j];
          if (!isObject(part) || part.type !== 'text' || typeof part.text !== 'string') {
            return fail(`${partAt}: only {"type":"text","text":"…"} parts are supported`, partAt);
          }
          texts.push(part.text);
        }
      } else if (content !== null && content !== undefined) {
        return fail(
          `${at}.content: expected a string or an array of text parts, got ${typeName(content)}`,
          `${at}.content`,
        );
      }
    }
    prompt = { kind: 'texts', texts };
  } else {
    const parsed = parsePrompt(body.prompt);
    if (!parsed.ok) return parsed;
    prompt = parsed.prompt;
  }

  if (body.model !== undefined && body.model !== null && typeof body.model !== 'string') {
    return fail(`model: expected a string, got ${typeName(body.model)}`, 'model');
  }
  const stream = optionalBoolean(body, 'stream');
  if (typeof stream === 'object') return stream;
  const ignoreEos = optionalBoolean(body, 'ignore_eos');
  if (typeof ignoreEos === 'object') return ignoreEos;

  const streamOptions = body.stream_options;
  const hasStreamOptions = streamOptions !== undefined && streamOptions !== null;
  let includeUsage = false;
  if (hasStreamOptions) {
    if (!isObject(streamOptions)) {
      return fail(`stream_options: expected an object, got ${typeName(streamOptions)}`, 'stream_options');
    }
    if (stream !== true) return fail('stream_options: only allowed when stream is true', 'stream_options');
    const usage = streamOptions.include_usage;
    if (usage !== undefined && usage !== null && typeof usage !== 'boolean') {
      return fail(
        `stream_options.include_usage: expected a boolean, got ${typeName(usage)}`,
        'stream_options.include_usage',
      );
    }
    includeUsage = usage === true;
  }

  const maxCompletion = optionalInt(body, 'max_completion_tokens', 1);
  if (typeof maxCompletion === 'object') return maxCompletion;
  const max = optionalInt(body, 'max_tokens', 1);
  if (typeof max === 'object') return max;
  const minTokens = optionalInt(body, 'min_tokens', 0);
  if (typeof minTokens === 'object') return minTokens;
  const maxTokens = maxCompletion ?? max;
  if (maxTokens !== undefined && minTokens !== undefined && minTokens > maxTokens) {
    return fail(`min_tokens: ${minTokens} is more than the token budget ${maxTokens}`, 'min_tokens');
  }
  const n = optionalInt(body, 'n', 1);
  if (typeof n === 'object') return n;
  if (n !== undefined && n !== 1) return fail('n: the simulator generates exactly one choice', 'n');

  return {
    ok: true,
    request: {
      endpoint,
      model: typeof body.model === 'string' ? body.model : undefined,
      prompt,
      stream: stream === true,
      hasStreamOptions,
      includeUsage,
      maxTokens,
      minTokens: minTokens ?? 0,
      ignoreEos: ignoreEos === true,
    },
  };
}

function parsePrompt(
  value: unknown,
): { ok: true; prompt: PromptInput } | { ok: false; message: string; param: string } {
  if (value === undefined || value === null)
    return { ok: false, message: 'prompt: required', param: 'prompt' };
  if (typeof value === 'string') return { ok: true, prompt: { kind: 'texts', texts: [value] } };
  if (Array.isArray(value)) {
    if (value.length === 1 && (typeof value[0] === 'string' || Array.isArray(value[0])))
      return parsePrompt(value[0]);
    if (value.length > 0 && value.every((v) => Number.isInteger(v) && (v as number) >= 0)) {
      return { ok: true, prompt: { kind: 'token_ids', ids: value as number[] } };
    }
    if (value.some((v) => typeof v === 'string' || Array.isArray(v))) {
      return {
        ok: false,
        message: 'prompt: the simulator takes one prompt per request, not a batch',
        param: 'prompt',
      };
    }
    return {
      ok: false,
      message: 'prompt: expected a string or a non-empty array of token ids',
      param: 'prompt',
    };
  }
  return {
    ok: false,
    message: `prompt: expected a string or an array of token ids, got ${typeName(value)}`,
    param: 'prompt',
  };
}

function optionalBoolean(body: Record<string, unknown>, key: string): boolean | undefined | ParseOutcome {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'boolean') return fail(`${key}: expected a boolean, got ${typeName(v)}`, key);
  return v;
}

function optionalInt(
  body: Record<string, unknown>,
  key: string,
  min: number,
): number | undefined | ParseOutcome {
  const v = body[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v))
    return fail(`${key}: expected an integer, got ${typeName(v)}`, key);
  if (v < min) return fail(`${key}: must be at least ${min}, got ${v}`, key);
  return v;
}
