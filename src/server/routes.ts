// The simulator's HTTP surface: one request handler dispatching by path and method. Completion
// routes live in completion-route.ts; the small endpoints (health, models, version, tokenize,
// metrics) are here. Unknown paths get a 404 and known paths with the wrong method a 405, both
// as OpenAI error objects.

import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseCompletionRequest } from '../core/sim/completion-request.js';
import { handleCompletion, promptTokenIds } from './completion-route.js';
import { SERVER_HEADER, sendError, sendJson } from './openai-error.js';
import { renderPrometheus } from './prometheus-text.js';
import type { SimContext } from './sim-context.js';

type Handler = (ctx: SimContext, req: IncomingMessage, res: ServerResponse) => void;

const ROUTES: Record<string, { method: 'GET' | 'POST'; handle: Handler }> = {
  '/health': { method: 'GET', handle: (_ctx, _req, res) => sendEmpty(res) },
  '/v1/models': { method: 'GET', handle: (ctx, _req, res) => sendJson(res, 200, modelList(ctx)) },
  '/version': { method: 'GET', handle: (_ctx, _req, res) => sendJson(res, 200, { version: SERVER_HEADER }) },
  '/metrics': {
    method: 'GET',
    handle: (ctx, _req, res) => {
      const text = renderPrometheus(ctx.config.model, ctx.scheduler.gauges(), ctx.counters);
      res.writeHead(200, {
        'content-type': 'text/plain; version=0.0.4; charset=utf-8',
        server: SERVER_HEADER,
      });
      res.end(text);
    },
  },
  '/tokenize': { method: 'POST', handle: handleTokenize },
  '/v1/chat/completions': {
    method: 'POST',
    handle: (ctx, req, res) => handleCompletion(ctx, req, res, 'chat'),
  },
  '/v1/completions': {
    method: 'POST',
    handle: (ctx, req, res) => handleCompletion(ctx, req, res, 'completions'),
  },
};

export function handleRequest(ctx: SimContext, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q < 0 ? url : url.slice(0, q);
  const route = ROUTES[path];
  if (!route) {
    req.resume();
    sendError(res, 404, `Not Found: ${req.method} ${path}`, { type: 'not_found_error' });
    return;
  }
  if (req.method !== route.method) {
    req.resume();
    sendError(res, 405, `Method ${req.method} not allowed on ${path}; use ${route.method}`, {
      type: 'invalid_request_error',
      headers: { allow: route.method },
    });
    return;
  }
  route.handle(ctx, req, res);
}

function sendEmpty(res: ServerResponse): void {
  res.writeHead(200, { 'content-length': 0, server: SERVER_HEADER });
  res.end();
}

function modelList(ctx: SimContext) {
  const created = ctx.createdS();
  return {
    object: 'list',
    data: [
      {
        id: ctx.config.model,
        object: 'model',
        created,
        owned_by: 'goodput-sim',
        root: ctx.config.model,
        parent: null,
        max_model_len: ctx.config.profile.maxModelLen,
      },
    ],
  };
}

/** vLLM's POST /tokenize: `prompt` (text) or chat `messages` → {count, max_model_len, tokens}. */
function handleTokenize(ctx: SimContext, req: IncomingMessage, res: ServerResponse): void {
  const parts: Buffer[] = [];
  req.on('data', (c: Buffer) => parts.push(c));
  req.on('end', () => {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(parts).toString('utf8'));
    } catch (e) {
      sendError(res, 400, `the request body is not valid JSON: ${(e as Error).message}`);
      return;
    }
    const asChat = typeof body === 'object' && body !== null && 'messages' in body;
    const parsed = parseCompletionRequest(asChat ? 'chat' : 'completions', body);
    if (!parsed.ok) {
      sendError(res, 400, parsed.message, { param: parsed.param });
      return;
    }
    const tokens = promptTokenIds(ctx, parsed.request);
    sendJson(res, 200, {
      count: tokens.length,
      max_model_len: ctx.config.profile.maxModelLen,
      tokens,
      token_strs: null,
    });
  });
}
