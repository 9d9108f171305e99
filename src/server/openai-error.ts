// JSON responses of the simulator, and errors in the OpenAI shape every client understands:
// {"error":{"message","type","param","code"}}.

import type { ServerResponse } from 'node:http';

export const SERVER_HEADER = 'goodput-sim';

export interface OpenAiErrorBody {
  message: string;
  type: string;
  param: string | null;
  code: string | number | null;
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
    server: SERVER_HEADER,
    ...headers,
  });
  res.end(text);
}

/** An OpenAI error object with `status`; type defaults by status class. */
export function sendError(
  res: ServerResponse,
  status: number,
  message: string,
  options: {
    param?: string | null;
    code?: string | number | null;
    type?: string;
    headers?: Record<string, string>;
  } = {},
): void {
  const type = options.type ?? (status >= 500 ? 'internal_server_error' : 'invalid_request_error');
  const error: OpenAiErrorBody = { message, type, param: options.param ?? null, code: options.code ?? null };
  sendJson(res, status, { error }, options.headers);
}
