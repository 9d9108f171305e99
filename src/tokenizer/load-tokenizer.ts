// `--tokenizer default | PATH | server` → the tokenizer a run builds and counts prompts with. The
// result is a PromptMeasure, so it goes straight into buildDataset: with `server`, lengths are
// measured by the target's /tokenize while the offline default edits the text.

import type { PromptMeasure } from '../core/dataset/prompt-measure.js';
import { GoodputError } from '../core/errors.js';
import type { Tokenizer } from '../core/tokenizer.js';
import { defaultTokenizer } from './default.js';
import { loadHfTokenizer } from './hf-tokenizer.js';
import { createServerTokenizer, type ServerTokenizer } from './server-tokenizer.js';

export interface LoadedTokenizer extends PromptMeasure {
  tokenizer: Tokenizer;
  /** --tokenizer server: the target's tokenizer (its count is `countTokens`) */
  server?: ServerTokenizer;
  /** the name recorded in reports and the dataset identity */
  name: string;
}

export interface TokenizerTarget {
  baseUrl?: string;
  model?: string;
  headers?: Record<string, string>;
}

/**
 * Loads `spec`: "default" (gpt-tokenizer o200k_base, offline), "server" (needs `target.baseUrl`;
 * probed once so a server without /tokenize fails before any request), or a path to a
 * tokenizer.json or a directory holding one.
 */
export async function loadTokenizer(spec: string, target: TokenizerTarget = {}): Promise<LoadedTokenizer> {
  if (spec === '' || spec === 'default') {
    const tokenizer = defaultTokenizer();
    return { tokenizer, name: tokenizer.name };
  }
  if (spec === 'server') {
    if (target.baseUrl === undefined) {
      throw new GoodputError('USAGE', '--tokenizer server needs the target server', {
        hint: 'give --base-url, or use --tokenizer default / PATH',
      });
    }
    const server = createServerTokenizer({
      baseUrl: target.baseUrl,
      model: target.model,
      headers: target.headers,
    });
    await server.count('hello world');
    return { tokenizer: defaultTokenizer(), server, countTokens: server.count, name: server.name };
  }
  const tokenizer = await loadHfTokenizer(spec);
  return { tokenizer, name: tokenizer.name };
}
