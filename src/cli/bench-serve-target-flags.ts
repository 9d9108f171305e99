// bench-serve's target flags: which server to load (--base-url, --endpoint, --model) and how each
// request is made (--api-key-env, --header, --extra-body, --ignore-eos, --enable-thinking, timeouts).

import {
  type Endpoint,
  parseBaseUrl,
  parseHeaders,
  readApiKey,
  type ServerAddress,
} from '../client/target.js';
import type { GoodputError } from '../core/errors.js';
import type { FlagValidation } from './bench-serve-flag-validation.js';
import { parseBoolFlag, parseJsonObjectFlag, parsePositiveFlag } from './bench-serve-flag-values.js';
import type { RawBenchServeOptions } from './bench-serve-raw-options.js';

export interface TargetFlags {
  /** undefined: start the built-in simulator */
  readonly address?: ServerAddress;
  /** undefined only when --endpoint was refused (its problem is recorded) */
  readonly endpoint?: Endpoint;
  readonly model?: string;
  /** the API key read from --api-key-env (a secret: never printed or recorded) */
  readonly apiKey?: string;
  readonly headers: Record<string, string>;
  readonly extraBody?: Record<string, unknown>;
  readonly ignoreEos: boolean;
  readonly enableThinking?: boolean;
  readonly timeoutMs: number;
  readonly readyTimeoutMs: number;
}

/** The target flags; `env` holds the API key variable. Problems go to `v`, each naming its flag. */
export function targetFlags(
  raw: RawBenchServeOptions,
  env: Readonly<Record<string, string | undefined>>,
  v: FlagValidation,
): TargetFlags {
  let address: ServerAddress | undefined;
  if (raw.baseUrl !== undefined) {
    try {
      address = parseBaseUrl(raw.baseUrl);
    } catch (e) {
      const error = e as GoodputError;
      // the problem list carries one hint for all; this one's own (the line to write) goes inline
      v.push(error.hint === undefined ? error.message : `${error.message}: ${error.hint}`);
    }
  }
  const endpoint = raw.endpoint === 'chat' || raw.endpoint === 'completions' ? raw.endpoint : undefined;
  if (endpoint === undefined)
    v.push(`--endpoint ${JSON.stringify(raw.endpoint)}: expected chat or completions`);
  let apiKey: string | undefined;
  try {
    apiKey = readApiKey(env, raw.apiKeyEnv);
  } catch (e) {
    v.push((e as GoodputError).message);
  }
  const { headers, problems: headerProblems } = parseHeaders(raw.header);
  v.push(...headerProblems);
  const extraBody = v.optional(raw.extraBody, (t) => parseJsonObjectFlag('--extra-body', t), {});
  if (extraBody !== undefined && 'stream' in extraBody)
    v.push('--extra-body must not set "stream": goodput always streams');
  if (extraBody !== undefined && 'model' in extraBody)
    v.push('--extra-body must not set "model": use --model');
  const enableThinking = v.optional(raw.enableThinking, (t) => parseBoolFlag('--enable-thinking', t), false);
  if (enableThinking !== undefined && endpoint === 'completions') {
    v.push('--enable-thinking applies to --endpoint chat (it sets chat_template_kwargs)');
  }
  const timeoutMs = v.take(parsePositiveFlag('--timeout', raw.timeout), 1) * 1000;
  const readyTimeoutMs = v.take(parsePositiveFlag('--ready-timeout', raw.readyTimeout), 1) * 1000;
  if (raw.model !== undefined && raw.model.trim() === '') v.push('--model: the model name is empty');
  return {
    ...(address === undefined ? {} : { address }),
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(raw.model === undefined ? {} : { model: raw.model }),
    ...(apiKey === undefined ? {} : { apiKey }),
    headers,
    ...(extraBody === undefined ? {} : { extraBody }),
    ignoreEos: raw.ignoreEos === true,
    ...(enableThinking === undefined ? {} : { enableThinking }),
    timeoutMs,
    readyTimeoutMs,
  };
}
