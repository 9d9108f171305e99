// What a dataset hands to the client: the ordered prompts of one (cell, repeat), warmup apart,
// each with its token count by the run's tokenizer and its max_tokens. First stage of the flow
// dataset -> schedule -> client.

/** One chat message as sent in `messages` (text content only). */
export interface ChatMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
}

export interface DatasetPrompt {
  /** the prompt text (chat endpoints wrap it in one user message); absent when `messages` is set */
  prompt?: string;
  /** a full chat conversation (jsonl datasets); absent when `prompt` is set */
  messages?: ChatMessage[];
  /** tokens of the prompt (or Σ of the message contents) by the run's tokenizer, no chat template */
  inputTokens: number;
  /** the length the dataset asked for (random, shared-prefix); `inputTokens` is what it got */
  requestedInputTokens?: number;
  /** max_tokens to send with this request */
  maxTokens: number;
  /** replay datasets: the request's offset from the first one, in ms */
  timestampMs?: number;
  /** shared-prefix: the prefix group (0-based) */
  group?: number;
  /** shared-prefix: the first request of its group whose prefix nobody sent before (a cache miss) */
  isPrefixFirst?: boolean;
  /** where the prompt came from, for error messages and audits: `data.jsonl:12`, `sharegpt.json#40` */
  sourceRef?: string;
}

/** The prompts of one (cell, repeat). */
export interface BuiltDataset {
  /** measured prompts, in submission order */
  measured: DatasetPrompt[];
  /** warmup prompts, in submission order (never the measured prompts, unless a warning says so) */
  warmup: DatasetPrompt[];
  /** things the user should know (sampling with replacement, lengths within tolerance, …) */
  warnings: string[];
}
