// Where bench-serve's requests go and what they carry: the headers of the server root, the model
// to request, and the target half of a ServeBenchmarkConfig — one place for a whole run and a shard.

import type { ServerProbe } from '../client/readiness.js';
import type { ServeBenchmarkConfig } from '../client/serve-benchmark.js';
import { endpointPath, requestHeaders, type ServerAddress } from '../client/target.js';
import { GoodputError } from '../core/errors.js';
import type { BenchServeOptions } from './bench-serve-options.js';

/** Headers for the server root (readiness probe, /tokenize, /metrics): the user's, plus the API key. */
export function rootHeaders(options: BenchServeOptions): Record<string, string> {
  const headers: Record<string, string> = { ...options.headers };
  if (options.apiKey !== undefined) headers.authorization = `Bearer ${options.apiKey}`;
  return headers;
}

/** The model to request (--model, else the server's first) and the report's model (with #tag). */
export function resolveModel(
  options: BenchServeOptions,
  address: ServerAddress,
  probe: ServerProbe,
): { model: string; reportModel: string } {
  const model = options.model ?? probe.models[0];
  if (model === undefined) {
    throw new GoodputError('SERVER_INCOMPATIBLE', `${address.display} lists no model at /v1/models`, {
      hint: 'pass --model NAME',
    });
  }
  return { model, reportModel: options.tag === undefined ? model : `${model}#${options.tag}` };
}

/** The target half of a ServeBenchmarkConfig: where requests go and what they carry (one place for
 * a whole run and for a shard). */
export function targetConfig(
  options: BenchServeOptions,
  address: ServerAddress,
  model: string,
  probe: ServerProbe,
  rootHeaders: Record<string, string>,
): Pick<
  ServeBenchmarkConfig,
  'origin' | 'path' | 'headers' | 'body' | 'timeoutMs' | 'preconnectPath' | 'serverRoot' | 'rootHeaders'
> {
  return {
    origin: address.origin,
    path: endpointPath(address, options.endpoint),
    headers: requestHeaders(options.headers, options.apiKey),
    body: {
      endpoint: options.endpoint,
      model,
      ...(options.enableThinking === undefined ? {} : { enableThinking: options.enableThinking }),
      ignoreEos: options.ignoreEos,
      ...(options.extraBody === undefined ? {} : { extraBody: options.extraBody }),
    },
    timeoutMs: options.timeoutMs,
    preconnectPath: probe.readyPath,
    serverRoot: `${address.origin}${address.prefix}`,
    rootHeaders,
  };
}
