// Pre-serialised SSE events of one simulated response, shaped like vLLM's (fixtures/ferrum/sse/
// vllm_chat.sse): a role-only first chunk (chat), one token per content chunk, a final chunk with
// finish_reason, a usage chunk with `choices: []`, then `data: [DONE]`. A token event is built by
// splicing the pre-escaped word's UTF-8 bytes between a fixed prefix and suffix, also kept as
// bytes: no JSON.stringify and no string encoding per token.

import type { CompletionEndpoint } from '../core/sim/completion-request.js';
import { jsonStringBody, VOCABULARY, type VocabularyWord } from '../core/sim/vocabulary.js';
import type { ChunkAccumulator } from './chunk-accumulator.js';

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

const CHAT_TOKEN_SUFFIX = Buffer.from('"},"logprobs":null,"finish_reason":null}]}\n\n');
const COMPLETION_TOKEN_SUFFIX = Buffer.from(
  '","logprobs":null,"finish_reason":null,"stop_reason":null}]}\n\n',
);

/** Every vocabulary word's JSON bytes + the token event's suffix + the chunk's closing CRLF. */
function closedTails(suffix: Uint8Array): readonly Uint8Array[] {
  return VOCABULARY.map((w) => {
    const tail = Buffer.allocUnsafeSlow(w.jsonUtf8.length + suffix.length + 2);
    tail.set(w.jsonUtf8, 0);
    tail.set(suffix, w.jsonUtf8.length);
    tail[tail.length - 2] = 0x0d;
    tail[tail.length - 1] = 0x0a;
    return tail;
  });
}

const CHAT_TAILS = closedTails(CHAT_TOKEN_SUFFIX);
const COMPLETION_TAILS = closedTails(COMPLETION_TOKEN_SUFFIX);

export class SseChunks {
  /** chat: the role-only first event; completions: empty */
  readonly role: Uint8Array;
  private readonly tokenPrefix: string;
  private readonly tokenPrefixUtf8: Uint8Array;
  private readonly tokenSuffixUtf8: Uint8Array;
  private readonly wordTails: readonly Uint8Array[];
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
      this.role = Buffer.from(
        `${this.head}[{"index":0,"delta":{"role":"assistant","content":""},"logprobs":null,"finish_reason":null}]}\n\n`,
      );
      this.tokenPrefix = `${this.head}[{"index":0,"delta":{"content":"`;
      this.tokenSuffixUtf8 = CHAT_TOKEN_SUFFIX;
      this.wordTails = CHAT_TAILS;
    } else {
      this.role = new Uint8Array(0);
      this.tokenPrefix = `${this.head}[{"index":0,"text":"`;
      this.tokenSuffixUtf8 = COMPLETION_TOKEN_SUFFIX;
      this.wordTails = COMPLETION_TAILS;
    }
    this.tokenPrefixUtf8 = Buffer.from(this.tokenPrefix);
  }

  /** Appends one output event carrying a vocabulary word (its bytes are pre-built). */
  appendWord(out: ChunkAccumulator, word: VocabularyWord): void {
    out.appendChunkOf2Closed(this.tokenPrefixUtf8, this.wordTails[word.index] as Uint8Array);
  }

  /** Appends one output event carrying `escapedUtf8` (a JSON string's inside, as UTF-8). */
  appendToken(out: ChunkAccumulator, escapedUtf8: Uint8Array): void {
    out.appendChunkOf3(this.tokenPrefixUtf8, escapedUtf8, this.tokenSuffixUtf8);
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
