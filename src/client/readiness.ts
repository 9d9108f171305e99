// The readiness probe before measuring (SPEC §3.1, ferrum had none): GET /health, then
// /v1/models, retried until a bounded deadline; then the server's identity as far as it tells it
// (/v1/models ids, the `server` response header, /version). A clear error names the URL and
// every route tried with what it answered.

import { request } from 'undici';
import { GoodputError } from '../core/errors.js';
import type { ServerAddress } from './target.js';
import { rootPath } from './target.js';

export interface ServerProbe {
  /** the cheap route that answered 2xx (used to pre-open connections) */
  readonly readyPath: string;
  /** model ids from /v1/models, in the server's order (empty when it has no such route) */
  readonly models: string[];
  /** the `server` response header, when sent */
  readonly serverHeader?: string;
  /** /version's `version` field (vLLM) or its text, when the route exists */
  readonly version?: string;
}

export interface ProbeOptions {
  /** give up after this long (ms) */
  readonly timeoutMs: number;
  /** headers of every request (the API key when given) */
  readonly headers: Readonly<Record<string, string>>;
  /** pause between attempts (ms, default 250) */
  readonly retryMs?: number;
  /** stop waiting early (e.g. Ctrl-C) */
  readonly signal?: AbortSignal;
  /**
   * Called once, when the first round of routes found the server not ready and the probe goes on
   * waiting, with what each route answered (so a long --ready-timeout is not a silent one).
   */
  readonly onWaiting?: (tried: string) => void;
}

interface Answer {
  readonly status: number;
  readonly body: string;
  readonly serverHeader: string | undefined;
}

async function get(
  url: string,
  headers: Readonly<Record<string, string>>,
  timeoutMs: number,
): Promise<Answer> {
  const res = await request(url, {
    method: 'GET',
    headers: { ...headers },
    headersTimeout: timeoutMs,
    bodyTimeout: timeoutMs,
  });
  const body = await res.body.text();
  const server = res.headers.server;
  return { status: res.statusCode, body, serverHeader: Array.isArray(server) ? server[0] : server };
}

function describeFailure(e: unknown): string {
  const err = e as { code?: string; message?: string; cause?: { code?: string } };
  return err.code ?? err.cause?.code ?? err.message ?? String(e);
}

/** Waits until the server answers, then reads its identity. Throws SERVER_UNREACHABLE on timeout. */
export async function probeServer(address: ServerAddress, options: ProbeOptions): Promise<ServerProbe> {
  const deadline = performance.now() + options.timeoutMs;
  const routes = ['/health', '/v1/models'];
  const last = new Map<string, string>();
  const tried = () =>
    routes
      .map((r) => `GET ${address.origin}${rootPath(address, r)} → ${last.get(r) ?? 'no answer'}`)
      .join('; ');
  for (let round = 0; ; round++) {
    for (const route of routes) {
      const url = `${address.origin}${rootPath(address, route)}`;
      try {
        const answer = await get(
          url,
          options.headers,
          Math.max(1, Math.min(5_000, deadline - performance.now())),
        );
        if (answer.status >= 200 && answer.status < 300)
          return identify(address, rootPath(address, route), answer, options);
        last.set(route, `HTTP ${answer.status}`);
        if (answer.status === 401 || answer.status === 403) {
          throw new GoodputError(
            'SERVER_UNREACHABLE',
            `${url} answered HTTP ${answer.status}: the server wants credentials`,
            {
              hint: 'pass the key with --api-key-env NAME (or a header with --header)',
            },
          );
        }
      } catch (e) {
        if (e instanceof GoodputError) throw e;
        last.set(route, describeFailure(e));
      }
    }
    if (options.signal?.aborted === true)
      throw new GoodputError('INTERRUPTED', `interrupted while waiting for ${address.display}`);
    if (performance.now() >= deadline) break;
    if (round === 0) options.onWaiting?.(tried());
    await new Promise((r) => setTimeout(r, options.retryMs ?? 250));
  }
  throw new GoodputError(
    'SERVER_UNREACHABLE',
    `the server at ${address.display} was not ready within ${Math.round(options.timeoutMs / 1000)} s (tried ${tried()})`,
    { hint: 'check that the server is up and --base-url is right; wait longer with --ready-timeout SECONDS' },
  );
}

async function identify(
  address: ServerAddress,
  readyPath: string,
  first: Answer,
  options: ProbeOptions,
): Promise<ServerProbe> {
  const fetchOptional = async (route: string): Promise<Answer | undefined> => {
    try {
      const a = await get(`${address.origin}${rootPath(address, route)}`, options.headers, 5_000);
      return a.status >= 200 && a.status < 300 ? a : undefined;
    } catch {
      return undefined;
    }
  };
  const modelsAnswer = readyPath.endsWith('/v1/models') ? first : await fetchOptional('/v1/models');
  const versionAnswer = await fetchOptional('/version');
  const serverHeader = first.serverHeader ?? modelsAnswer?.serverHeader;
  const probe: { -readonly [K in keyof ServerProbe]: ServerProbe[K] } = {
    readyPath,
    models: modelsAnswer === undefined ? [] : modelIds(modelsAnswer.body),
  };
  if (serverHeader !== undefined) probe.serverHeader = serverHeader;
  const version = versionAnswer === undefined ? undefined : versionText(versionAnswer.body);
  if (version !== undefined) probe.version = version;
  return probe;
}

/** Model ids of an OpenAI `/v1/models` body (`{"data":[{"id":…}]}`); [] when it is not one. */
export function modelIds(body: string): string[] {
  try {
    const parsed = JSON.parse(body) as { data?: unknown };
    if (!Array.isArray(parsed.data)) return [];
    return parsed.data
      .map((m) => (typeof m === 'object' && m !== null ? (m as { id?: unknown }).id : undefined))
      .filter((id): id is string => typeof id === 'string');
  } catch {
    return [];
  }
}

/** `{"version":"0.6.3"}` → "0.6.3"; a short plain-text body as is; otherwise undefined. */
export function versionText(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as unknown;
    if (typeof parsed === 'object' && parsed !== null) {
      const v = (parsed as { version?: unknown }).version;
      return typeof v === 'string' ? v : undefined;
    }
    return typeof parsed === 'string' ? parsed : undefined;
  } catch {
    const text = body.trim();
    return text !== '' && text.length <= 100 && !text.includes('<') ? text : undefined;
  }
}
