// Pre-serialised SSE events of one simulated response, shaped like vLLM's (fixtures/ferrum/sse/
// vllm_chat.sse): a role-only first chunk (chat), one token per content chunk, a final chunk with
// finish_reason, a usage chunk with `choices: []`, then `data: [DONE]`. A token event is built by
// splicing the pre-escaped word between a fixed prefix and suffix: no JSON.stringify per token.

import type { CompletionEndpoint } from '../core/sim/completion-request.js';
import { jsonStringBody } from '../core/sim/vocabulary.js';

export interface UsageCounts {
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
}

export const DONE_EVENT = 'data: [DONE]\n\n';

/** vLLM's usage object, in its field order. */
export function usageJson(u: UsageCounts): string {
  return `{"prompt_tokens":${u.promptTokens},"total_tokens":${u.promptTokens + u.completionTokens},"completion_tokens":${u.completionTokens},"prompt_tokens_details":{"cached_tokens":${u.cachedTokens}}}`;
}

export class SseChunks {
  /** chat: the role-only first event; completions: empty */
  readonly role: string;
  readonly tokenPrefix: string;
  readonly tokenSuffix: string;
  private readonly head: string;

  constructor(
    readonly endpoint: CompletionEndpoint,
    id: string,
    createdS: number,
    model: string,
  ) {
    const object = endpoint === 'chat' ? 'chat.completion.chunk' : 'text_completion';
    this.head = `data: {"id":"${jsonStringBody(id)}","object":"${object}","created":${createdS},"model":"${jsonStringBody(model)}","choices":`;
    if (endpoint === 'chat') {
      this.role = `${this.head}[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`;
      this.tokenPrefix = `${this.head}[{"index":0,"delta":{"content":"`;
      this.tokenSuffix = '"},"logprobs":null,"finish_reason":null}]}\n\n';
    } else {
      this.role = '';
      this.tokenPrefix = `${this.head}[{"index":0,"text":"`;
      this.tokenSuffix = '","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n';
    }
  }

  /** One output event carrying `escapedText` (already escaped for a JSON string). */
  token(escapedText: string): string {
    return this.tokenPrefix + escapedText + this.tokenSuffix;
  }

  /** A token event cut short: its JSON never closes (the malformed_json fault). */
  malformedToken(escapedText: string): string {
    return `${this.tokenPrefix}${escapedText}","logprobs":nu\n\n`;
  }

  finish(reason: string): string {
    const choice =
      this.endpoint === 'chat'
        ? `{"index":0,"delta":{"content":""},"logprobs":null,"finish_reason":"${reason}","stop_reason":null}`
        : `{"index":0,"text":"","logprobs":null,"finish_reason":"${reason}","stop_reason":null}`;
    return `${this.head}[${choice}]}\n\n`;
  }

  usage(u: UsageCounts): string {
    return `${this.head}[],"usage":${usageJson(u)}}\n\n`;
  }
}

/** The mid-stream error payload of the error_event fault (vLLM's shape for engine errors). */
export const ERROR_EVENT =
  'data: {"error":{"message":"simulated engine failure mid-stream (fault error_event)","type":"InternalServerError","param":null,"code":500}}\n\n';
