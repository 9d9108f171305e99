import { describe, expect, it } from 'vitest';
import {
  endpointPath,
  parseBaseUrl,
  parseHeaders,
  readApiKey,
  redactHeaderArg,
  requestHeaders,
  rootPath,
} from '../../src/client/target.js';
import { type GoodputError, isGoodputError } from '../../src/core/errors.js';

/** The USAGE error parseBaseUrl throws for `raw` (fails the test when it throws none, or another). */
function usageErrorOf(raw: string): GoodputError {
  try {
    parseBaseUrl(raw);
  } catch (e) {
    if (isGoodputError(e, 'USAGE')) return e;
    throw e;
  }
  throw new Error(`parseBaseUrl(${JSON.stringify(raw)}) accepted it`);
}

describe('parseBaseUrl: one server however the URL is written (ferrum concatenated verbatim)', () => {
  it.each([
    ['http://127.0.0.1:8000', 'http://127.0.0.1:8000', ''],
    ['http://127.0.0.1:8000/', 'http://127.0.0.1:8000', ''],
    ['http://127.0.0.1:8000/v1', 'http://127.0.0.1:8000', ''],
    ['http://127.0.0.1:8000/v1/', 'http://127.0.0.1:8000', ''],
    ['https://gw.example/proxy/v1', 'https://gw.example', '/proxy'],
    ['http://h:9/a/b//', 'http://h:9', '/a/b'],
  ])('%s → origin %s, prefix %j', (raw, origin, prefix) => {
    const a = parseBaseUrl(raw);
    expect([a.origin, a.prefix]).toEqual([origin, prefix]);
    expect(endpointPath(a, 'chat')).toBe(`${prefix}/v1/chat/completions`);
    expect(endpointPath(a, 'completions')).toBe(`${prefix}/v1/completions`);
    expect(rootPath(a, '/health')).toBe(`${prefix}/health`);
  });

  it.each([
    ['not a url', /is not a URL/],
    ['ftp://h/x', /"ftp:\/\/h\/x" must start with http/],
    ['http://user:pw@h:1', /credentials/],
    ['http://h:1/?a=1', /query or fragment/],
  ])('rejects %s with a USAGE error naming the flag', (raw, message) => {
    const e = usageErrorOf(raw);
    expect(e.message).toMatch(/--base-url/);
    expect(e.message).toMatch(message);
  });

  it.each([
    ['localhost:8000', 'write --base-url http://localhost:8000'],
    ['127.0.0.1:8000', 'write --base-url http://127.0.0.1:8000'],
  ])('a URL pasted without its scheme (%s) is refused with the line to write instead', (raw, hint) => {
    const e = usageErrorOf(raw);
    expect(e.message).toContain(JSON.stringify(raw));
    expect(e.hint).toBe(hint);
  });
});

describe('headers and the API key', () => {
  it('parses `K: V`, lower-cases names and reports every bad one', () => {
    const { headers, problems } = parseHeaders(['X-Team: a: b', 'bad', 'Host: x', ': v']);
    expect(headers).toEqual({ 'x-team': 'a: b' });
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/--header "bad"/);
    expect(problems.join('\n')).toMatch(/Host: goodput sets this header itself/);
  });

  it('redacts values of secret-looking headers only', () => {
    expect(redactHeaderArg('Authorization: Bearer sk-1')).toBe('Authorization: <redacted>');
    expect(redactHeaderArg('X-Api-Key: k')).toBe('X-Api-Key: <redacted>');
    expect(redactHeaderArg('X-Team: blue')).toBe('X-Team: blue');
  });

  it('sends the key as a bearer token; a user Authorization header wins', () => {
    expect(requestHeaders({}, 'k1')).toEqual([
      'content-type',
      'application/json',
      'accept',
      'text/event-stream',
      'authorization',
      'Bearer k1',
    ]);
    expect(requestHeaders({ authorization: 'Basic x', 'x-a': 'b' }, 'k1')).toEqual([
      'content-type',
      'application/json',
      'accept',
      'text/event-stream',
      'authorization',
      'Basic x',
      'x-a',
      'b',
    ]);
  });

  it('reads the key from the named variable; the error names the variable, never a value', () => {
    expect(readApiKey({ K: 'secret' }, 'K')).toBe('secret');
    expect(readApiKey({}, undefined)).toBeUndefined();
    expect(() => readApiKey({ K: '' }, 'K')).toThrow(
      /--api-key-env K: the environment variable K is not set/,
    );
  });
});
