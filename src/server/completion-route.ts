// POST /v1/chat/completions and /v1/completions: numbers the request (arrival order, the fault
// plan's numbering), reads and validates the body, counts the prompt with the default tokenizer,
// applies the faults that act before any token (slow_headers, http_500/429/503,
// reject_stream_options), plans the output and hands the request to a CompletionResponse.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { promptBlockHashes } from '../core/sim/block-hash.js';
import {
  type CompletionEndpoint,
  type CompletionRequest,
  parseCompletionRequest,
} from '../core/sim/completion-request.js';
import { type FaultName, faultsForRequest } from '../core/sim/fault-plan.js';
import { planOutput, WordStream } from '../core/sim/output-plan.js';
import { CompletionResponse } from './completion-response.js';
import { sendError } from './openai-error.js';
import type { SimContext } from './sim-context.js';
import type { TruthRecord } from './truth-log.js';

/** Largest request body accepted, bytes. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Faults that cannot act on a non-streaming response. */
const STREAM_ONLY: readonly FaultName[] = ['missing_done', 'duplicate_done', 'coalesced'];

export function handleCompletion(
  ctx: SimContext,
  req: IncomingMessage,
  res: ServerResponse,
  endpoint: CompletionEndpoint,
): void {
  const requestNumber = ++ctx.counters.requests;
  const arrivalMs = ctx.now();
  const truth: TruthRecord | undefined = ctx.truth
    ? {
        request: requestNumber,
        endpoint,
        stream: false,
        status: 0,
        outcome: 'rejected',
        faults: [],
        arrival_epoch_ms: ctx.epochMs(arrivalMs),
        token_epoch_ms: [],
        token_due_epoch_ms: [],
      }
    : undefined;
  const planned = new Map(
    faultsForRequest(ctx.config.faults, ctx.config.seed, requestNumber).map((f) => [f.name, f.param]),
  );

  const reject = (status: number, message: string, options: Parameters<typeof sendError>[3] = {}) => {
    ctx.counters.rejected++;
    sendError(res, status, message, options);
    if (truth) {
      truth.status = status;
      truth.headers_epoch_ms = truth.end_epoch_ms = ctx.epochMs(ctx.now());
      ctx.truth?.write(truth);
    }
  };
  const applied = (fault: FaultName) => {
    ctx.counters.faults.set(fault, (ctx.counters.faults.get(fault) ?? 0) + 1);
    truth?.faults.push(fault);
  };

  readBody(req).then(
    async (raw) => {
      if (raw === undefined) {
        reject(413, `the request body is larger than ${MAX_BODY_BYTES} bytes`);
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch (e) {
        reject(400, `the request body is not valid JSON: ${(e as Error).message}`);
        return;
      }
      const parsed = parseCompletionRequest(endpoint, body);
      if (!parsed.ok) {
        reject(400, parsed.message, { param: parsed.param });
        return;
      }
      const request = parsed.request;
      if (truth) truth.stream = request.stream;
      if (ctx.config.faults.rejectStreamOptions && request.hasStreamOptions) {
        applied('reject_stream_options');
        reject(
          400,
          'stream_options: not supported by this server (simulated by fault reject_stream_options)',
          {
            param: 'stream_options',
          },
        );
        return;
      }
      const ids = promptTokenIds(ctx, request);
      const limit = ctx.config.profile.maxModelLen;
      const promptParam = endpoint === 'chat' ? 'messages' : 'prompt';
      if (ids.length === 0) {
        reject(400, `${promptParam}: the prompt has no tokens`, { param: promptParam });
        return;
      }
      const budget = request.maxTokens ?? limit - ids.length;
      if (ids.length + budget > limit || budget < 1) {
        const asked = request.maxTokens === undefined ? '' : `, ${budget} in the completion`;
        reject(
          400,
          `This model's maximum context length is ${limit} tokens. However, you requested ${ids.length + Math.max(budget, 0)} tokens (${ids.length} in the ${promptParam}${asked}). Please reduce the length of the ${promptParam} or completion.`,
          {
            param: request.maxTokens === undefined ? promptParam : 'max_tokens',
            code: 'context_length_exceeded',
          },
        );
        return;
      }

      if (planned.has('slow_headers')) {
        applied('slow_headers');
        await delay(planned.get('slow_headers')!);
        if (req.socket.destroyed) return;
      }
      const httpFault = (['http_500', 'http_429', 'http_503'] as const).find((f) => planned.has(f));
      if (httpFault) {
        applied(httpFault);
        if (httpFault === 'http_500') reject(500, 'simulated internal server error (fault http_500)');
        else if (httpFault === 'http_503') {
          reject(503, 'simulated overload: service unavailable (fault http_503)', {
            type: 'service_unavailable',
          });
        } else {
          const retryAfterS = planned.get('http_429')!;
          reject(429, 'simulated rate limit (fault http_429)', {
            type: 'rate_limit_exceeded',
            headers: { 'retry-after': String(retryAfterS) },
          });
        }
        return;
      }

      const plan = planOutput({
        seed: ctx.config.seed,
        requestNumber,
        maxTokens: budget,
        minTokens: Math.min(request.minTokens, budget),
        ignoreEos: request.ignoreEos,
        eosProbabilityPerToken: ctx.config.profile.eosProbabilityPerToken,
      });
      const zeroTokens = planned.has('zero_tokens');
      const faults = new Map([...planned].filter(([name]) => request.stream || !STREAM_ONLY.includes(name)));
      if (truth) truth.prompt_tokens = ids.length;
      const response = new CompletionResponse(
        ctx,
        res,
        {
          requestNumber,
          request,
          model: request.model ?? ctx.config.model,
          promptTokens: ids.length,
          outputTokens: zeroTokens ? 0 : plan.outputTokens,
          finishReason: zeroTokens ? 'stop' : plan.finishReason,
          faults,
          words: new WordStream(ctx.config.seed, requestNumber),
        },
        truth,
      );
      response.begin(promptBlockHashes(ids, ctx.config.profile.blockSize), ids.length + budget);
    },
    () => {
      // the client went away while sending the body: nothing to answer
    },
  );
}

/** Token ids of the prompt: chat message texts in order, or the completion prompt. */
export function promptTokenIds(ctx: SimContext, request: Pick<CompletionRequest, 'prompt'>): number[] {
  const prompt = request.prompt;
  if (prompt.kind === 'token_ids') return prompt.ids;
  const ids: number[] = [];
  for (const text of prompt.texts) for (const id of ctx.tokenizer.encode(text)) ids.push(id);
  return ids;
}

/** The body as text, or undefined when it exceeds MAX_BODY_BYTES. */
function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      else parts.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(parts).toString('utf8')));
    req.on('error', reject);
  });
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
