// The server under test as the client addresses it: the base URL joined robustly (trailing slash,
// a `/v1` suffix, a path prefix), the endpoint paths, and the request headers (user headers, the
// API key from an environment variable). Secrets stay in here; nothing in this file prints.

import { GoodputError } from '../core/errors.js';

export type Endpoint = 'chat' | 'completions';

export interface ServerAddress {
  /** protocol://host:port, what the connection pool connects to */
  readonly origin: string;
  /** path prefix before `/v1` (empty, or e.g. `/proxy`), no trailing slash */
  readonly prefix: string;
  /** the base URL as given (for messages and the report) */
  readonly display: string;
}

/**
 * Parses `--base-url`. `http://h:8000`, `http://h:8000/`, `http://h:8000/v1` and `http://h:8000/v1/`
 * all address the same server (ferrum concatenated verbatim and produced `//v1` or `/v1/v1`).
 */
export function parseBaseUrl(raw: string, flag = '--base-url'): ServerAddress {
  // `localhost:8000` or `127.0.0.1:8000` pasted without a scheme: say what to write instead
  const hint = raw.includes('://')
    ? `give the server root, e.g. ${flag} http://127.0.0.1:8000`
    : `write ${flag} http://${raw}`;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new GoodputError('USAGE', `${flag} ${JSON.stringify(raw)} is not a URL`, { hint });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new GoodputError('USAGE', `${flag} ${JSON.stringify(raw)} must start with http:// or https://`, {
      hint,
    });
  }
  if (url.username !== '' || url.password !== '') {
    throw new GoodputError('USAGE', `${flag} must not carry credentials`, {
      hint: 'put the key in an environment variable and pass --api-key-env NAME',
    });
  }
  if (url.search !== '' || url.hash !== '') {
    throw new GoodputError('USAGE', `${flag} must not have a query or fragment (got ${JSON.stringify(raw)})`);
  }
  let prefix = url.pathname.replace(/\/+$/, '');
  if (prefix.endsWith('/v1')) prefix = prefix.slice(0, -3);
  return { origin: url.origin, prefix, display: raw };
}

/** Path of the streaming generation endpoint. */
export function endpointPath(address: ServerAddress, endpoint: Endpoint): string {
  return `${address.prefix}/v1/${endpoint === 'chat' ? 'chat/completions' : 'completions'}`;
}

/** Path of any other route under the server root (`/health`, `/v1/models`, `/version`, `/metrics`). */
export function rootPath(address: ServerAddress, route: string): string {
  return `${address.prefix}${route}`;
}

/** Parses repeated `--header 'K: V'` values; every problem is named. */
export function parseHeaders(values: readonly string[]): {
  headers: Record<string, string>;
  problems: string[];
} {
  const headers: Record<string, string> = {};
  const problems: string[] = [];
  for (const value of values) {
    const colon = value.indexOf(':');
    const name = colon === -1 ? '' : value.slice(0, colon).trim();
    if (colon === -1 || name === '' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      problems.push(`--header ${JSON.stringify(redactHeaderArg(value))}: expected 'Name: value'`);
      continue;
    }
    const lower = name.toLowerCase();
    if (
      lower === 'content-length' ||
      lower === 'host' ||
      lower === 'transfer-encoding' ||
      lower === 'connection'
    ) {
      problems.push(`--header ${name}: goodput sets this header itself`);
      continue;
    }
    headers[lower] = value.slice(colon + 1).trim();
  }
  return { headers, problems };
}

const SECRET_HEADER = /auth|key|token|secret|cookie|password|credential/i;

/** A `--header` argument as it may be recorded: the value of a secret-looking header is replaced. */
export function redactHeaderArg(value: string): string {
  const colon = value.indexOf(':');
  if (colon === -1) return SECRET_HEADER.test(value) ? '<redacted>' : value;
  const name = value.slice(0, colon);
  return SECRET_HEADER.test(name) ? `${name}: <redacted>` : value;
}

/**
 * The headers of every generation request as undici's flat array. The API key, when given, is read
 * from the environment variable NAME and sent as a bearer token; it is never returned elsewhere.
 */
export function requestHeaders(
  userHeaders: Readonly<Record<string, string>>,
  apiKey: string | undefined,
): string[] {
  const flat = ['content-type', 'application/json', 'accept', 'text/event-stream'];
  if (apiKey !== undefined) flat.push('authorization', `Bearer ${apiKey}`);
  for (const [name, value] of Object.entries(userHeaders)) {
    if (name === 'content-type' || name === 'accept' || (name === 'authorization' && apiKey !== undefined)) {
      const at = flat.indexOf(name);
      flat[at + 1] = value;
    } else flat.push(name, value);
  }
  return flat;
}

/** Reads the API key from `--api-key-env NAME`; the message names the variable, never a value. */
export function readApiKey(
  env: Readonly<Record<string, string | undefined>>,
  name: string | undefined,
): string | undefined {
  if (name === undefined) return undefined;
  const key = env[name];
  if (key === undefined || key === '') {
    throw new GoodputError(
      'USAGE',
      `--api-key-env ${name}: the environment variable ${name} is not set or empty`,
      {
        hint: `export ${name}=... before running, or drop --api-key-env`,
      },
    );
  }
  return key;
}
