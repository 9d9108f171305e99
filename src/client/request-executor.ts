// Sends generation requests to one server: one undici Pool sized to the load (keep-alive,
// pipelining 1), connections opened before the measured window, raw dispatch per request, the
// stream_options fallback of SPEC §3.1, and cancellation of everything in flight.

import { Pool } from 'undici';
import type { RequestRecord } from '../core/schema/request-record.js';
import { installConnectionTracking } from './connection-tracker.js';
import type { BodyOptions, Prompt } from './request-body.js';
import { buildRequestBody } from './request-body.js';
import type { AbortKind, PlannedRequest, StreamOutcome } from './stream-handler.js';
import { StreamHandler } from './stream-handler.js';

export interface GenerationClientOptions {
  /** protocol://host:port */
  readonly origin: string;
  /** path of the generation endpoint, e.g. /v1/chat/completions */
  readonly path: string;
  /** flat [name, value, …] request headers (may carry the API key: never logged) */
  readonly headers: readonly string[];
  readonly body: BodyOptions;
  /** per request, connect to end of body; Infinity for none */
  readonly timeoutMs: number;
  /** pool size: the concurrency (or the open-loop cap); null lets the pool grow as needed */
  readonly connections: number | null;
  /** send stream_options (false when an earlier client of the run saw the server reject it) */
  readonly includeUsage?: boolean;
}

export class GenerationClient {
  readonly pool: Pool;
  /** false once the server rejected stream_options; kept for the rest of the run */
  includeUsage = true;
  /** the server rejected stream_options and a retry without it succeeded (recorded in the report) */
  streamOptionsRejected = false;
  private readonly options: GenerationClientOptions;
  private readonly inFlight = new Set<StreamHandler>();

  constructor(options: GenerationClientOptions) {
    installConnectionTracking();
    this.options = options;
    this.includeUsage = options.includeUsage ?? true;
    this.pool = new Pool(options.origin, {
      connections: options.connections,
      pipelining: 1,
      // idle connections stay open between repeats unless the server says otherwise
      keepAliveTimeout: 60_000,
      keepAliveMaxTimeout: 600_000,
      // our own per-request timer covers connect to end of body
      headersTimeout: 0,
      bodyTimeout: 0,
      connect: { timeout: 30_000 },
    });
  }

  /** Requests currently in flight. */
  get inFlightCount(): number {
    return this.inFlight.size;
  }

  /**
   * Opens `count` connections before measuring: `count` concurrent GETs of `path` (a cheap route
   * such as /health), each on its own connection. Returns how many succeeded.
   */
  async warm(count: number, path: string): Promise<number> {
    const results = await Promise.allSettled(
      Array.from({ length: count }, async () => {
        const res = await this.pool.request({
          method: 'GET',
          path,
          headers: this.options.headers as string[],
        });
        await res.body.dump();
        if (res.statusCode >= 400) throw new Error(`HTTP ${res.statusCode}`);
      }),
    );
    return results.filter((r) => r.status === 'fulfilled').length;
  }

  /**
   * Sends one request and resolves with its record; never rejects (a failure is a record). When the
   * server answers 400/422 to a body with stream_options, it is retried once without; if that
   * works, stream_options is dropped for the rest of the run.
   */
  async send(plan: PlannedRequest, prompt: Prompt): Promise<RequestRecord> {
    const includeUsage = this.includeUsage;
    const first = await this.attempt(plan, prompt, includeUsage);
    if (!first.rejectedStreamOptions) return first.record;
    const retry = await this.attempt(plan, prompt, false);
    const status = retry.record.status;
    if (status !== undefined && status >= 200 && status < 300 && this.includeUsage) {
      this.includeUsage = false;
      this.streamOptionsRejected = true;
    }
    return retry.record;
  }

  /** Cuts every in-flight request short (their records settle at once). */
  abortAll(kind: AbortKind): number {
    const handlers = [...this.inFlight];
    for (const h of handlers) h.abort(kind);
    return handlers.length;
  }

  async close(): Promise<void> {
    this.abortAll('aborted');
    await this.pool.destroy();
  }

  private attempt(plan: PlannedRequest, prompt: Prompt, includeUsage: boolean): Promise<StreamOutcome> {
    const body = buildRequestBody(this.options.body, prompt, plan.maxTokens, includeUsage);
    return new Promise<StreamOutcome>((resolve) => {
      // TTFT and E2E start here: after the body is built, before it is handed to the pool (ferrum §8.9)
      const sendMs = performance.now();
      const handler = new StreamHandler(plan, sendMs, includeUsage, this.options.timeoutMs, (outcome) => {
        this.inFlight.delete(handler);
        resolve(outcome);
      });
      this.inFlight.add(handler);
      try {
        this.pool.dispatch(
          {
            origin: this.options.origin,
            path: this.options.path,
            method: 'POST',
            headers: this.options.headers as string[],
            body,
            headersTimeout: 0,
            bodyTimeout: 0,
          },
          handler,
        );
      } catch (e) {
        // a pool that was closed under us: the request never left
        handler.fail(e as Error);
      }
    });
  }
}
