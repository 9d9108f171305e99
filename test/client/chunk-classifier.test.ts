import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ChunkClassifier } from '../../src/client/chunk-classifier.js';
import { SseParser } from '../../src/client/sse-parser.js';

const delta = (content: unknown, extra: Record<string, unknown> = {}) =>
  JSON.stringify({
    id: 'c1',
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta: { content }, ...extra }],
  });

/** Each payload as one SSE event in its own read, through the parser with the raw fast path on. */
function classify(payloads: readonly string[]): ChunkClassifier {
  const c = new ChunkClassifier();
  const parser = new SseParser(
    (data) => c.payload(data),
    (bytes, start, end) => c.rawPayload(bytes, start, end),
  );
  payloads.forEach((p, i) => {
    c.beginRead(i);
    parser.push(Buffer.from(`data: ${p}\n\n`, 'utf8'));
    c.endRead();
  });
  parser.end();
  return c;
}

describe('ChunkClassifier: ferrum §8.8–8.10 triggers and goodput’s taxonomy', () => {
  const cases: Array<
    [string, string[], { events: number; flags: string[]; done?: number; channel?: string }]
  > = [
    [
      'a role-only chunk is not an event',
      [JSON.stringify({ choices: [{ delta: { role: 'assistant', content: '' } }] })],
      { events: 0, flags: [] },
    ],
    ['content deltas are events', [delta('a'), delta('b')], { events: 2, flags: [], channel: 'content' }],
    [
      'reasoning counts as output; the first non-empty text wins',
      [JSON.stringify({ choices: [{ delta: { content: '', reasoning_content: 'think' } }] })],
      { events: 1, flags: [], channel: 'reasoning_content' },
    ],
    [
      'completions `text` is an event',
      [JSON.stringify({ choices: [{ text: 'x' }] })],
      { events: 1, flags: [], channel: 'text' },
    ],
    [
      'only the first choice is read',
      [JSON.stringify({ choices: [{ delta: {} }, { delta: { content: 'x' } }] })],
      { events: 0, flags: [] },
    ],
    [
      'null fields are absent',
      [JSON.stringify({ choices: [{ delta: { content: null } }], usage: null })],
      { events: 0, flags: [] },
    ],
    ['[DONE] is counted', [delta('a'), '[DONE]'], { events: 1, flags: [], done: 1 }],
    [
      'a second [DONE] is duplicate_done',
      [delta('a'), '[DONE]', ' [DONE] '],
      { events: 1, flags: ['duplicate_done'], done: 2 },
    ],
    [
      'data after [DONE] is processed and labelled',
      [delta('a'), '[DONE]', delta('b')],
      { events: 2, flags: ['data_after_done'], done: 1 },
    ],
    ['invalid JSON is malformed_stream', ['{"choices":['], { events: 0, flags: ['malformed_stream'] }],
    ['a wrong type is malformed_stream', [delta(5)], { events: 0, flags: ['malformed_stream'] }],
    [
      'choices not an array is malformed_stream',
      [JSON.stringify({ choices: {} })],
      { events: 0, flags: ['malformed_stream'] },
    ],
    ['a non-object payload is malformed_stream', ['[1,2]'], { events: 0, flags: ['malformed_stream'] }],
    [
      'a negative token count is malformed_stream',
      [JSON.stringify({ usage: { completion_tokens: -1 } })],
      { events: 0, flags: ['malformed_stream'] },
    ],
    [
      'an {"error":…} payload is server_error_event',
      [JSON.stringify({ error: { message: 'boom' } })],
      { events: 0, flags: ['server_error_event'] },
    ],
    ['<|im_end|> is bad_output', [delta('ok <|im_end|>')], { events: 1, flags: ['bad_output'] }],
    ['U+FFFD is bad_output', [delta('a\uFFFD')], { events: 1, flags: ['bad_output'] }],
    ['Ã followed by non-ASCII is mojibake', [delta('Ã©t')], { events: 1, flags: ['bad_output'] }],
    ['â€ is mojibake', [delta('â€™')], { events: 1, flags: ['bad_output'] }],
    [
      'a marker split across deltas is missed (ferrum checks per delta)',
      [delta('<|im_'), delta('end|>')],
      { events: 2, flags: [] },
    ],
    [
      'a Rust panic in the text is panic',
      [delta("thread 'main' panicked at src/lib.rs:3")],
      { events: 1, flags: ['panic'] },
    ],
    ['an empty data payload is ignored', [''], { events: 0, flags: [] }],
  ];
  it.each(cases)('%s', (_name, payloads, want) => {
    const c = classify(payloads);
    expect(c.eventMs.length).toBe(want.events);
    expect(c.flags.toArray()).toEqual(want.flags);
    if (want.done !== undefined) expect(c.doneCount).toBe(want.done);
    if (want.channel !== undefined) expect(c.firstChannel).toBe(want.channel);
  });

  it('usage: completion, prompt and cached tokens; the last usage wins; finish reason kept', () => {
    const c = classify([
      JSON.stringify({ choices: [], usage: { prompt_tokens: 3, completion_tokens: 1 } }),
      JSON.stringify({ choices: [{ delta: { content: '' }, finish_reason: 'length' }] }),
      JSON.stringify({
        choices: [],
        usage: { prompt_tokens: 9, completion_tokens: 7, prompt_tokens_details: { cached_tokens: 8 } },
      }),
    ]);
    expect([c.usageOutputTokens, c.serverInputTokens, c.cachedTokens, c.finishReason]).toEqual([
      7,
      9,
      8,
      'length',
    ]);
  });

  it('error text is truncated by characters, never inside a character', () => {
    const c = classify([`{"error":"${'é'.repeat(2000)}"}`]);
    expect(Array.from(c.error as string).length).toBeLessThanOrEqual(501);
    expect(c.error).not.toContain('\uFFFD');
  });

  it('the fast path serves repeated content chunks without JSON.parse, and stops after [DONE]', () => {
    const c = new ChunkClassifier();
    c.payload(delta('a'));
    const b = Buffer.from(delta('hello'), 'utf8');
    expect(c.rawPayload(b, 0, b.length)).toBe(true);
    const other = Buffer.from(delta('x', { finish_reason: 'stop' }), 'utf8');
    expect(c.rawPayload(other, 0, other.length)).toBe(false);
    const escaped = Buffer.from(delta('say "hi"'), 'utf8');
    expect(c.rawPayload(escaped, 0, escaped.length)).toBe(false);
    expect(c.eventMs.length).toBe(2);
    c.payload('[DONE]');
    expect(c.rawPayload(b, 0, b.length)).toBe(false);
  });

  it('events of one read share its time; a read with two events counts as coalesced', () => {
    const c = new ChunkClassifier();
    c.beginRead(5);
    c.payload(delta('a'));
    c.payload(delta('b'));
    c.endRead();
    c.beginRead(9);
    c.payload(delta('c'));
    c.endRead();
    expect(c.eventMs).toEqual([5, 5, 9]);
    expect(c.coalescedReads).toBe(1);
  });
});

describe('ChunkClassifier: the template fast path equals a full parse', () => {
  const content = fc.string({ unit: 'binary', minLength: 0, maxLength: 12 });
  const shape = fc.record({
    finish: fc.constantFrom(undefined, null, 'stop'),
    reasoning: fc.constantFrom(undefined, '', 'r'),
    created: fc.constantFrom(1, 2),
  });

  it('a stream of chunks gives the same events, texts, flags and channel as parsing each alone', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(content, shape), { minLength: 1, maxLength: 12 }), (chunks) => {
        const payloads = chunks.map(([text, s]) =>
          JSON.stringify({
            id: 'x',
            created: s.created,
            choices: [
              {
                index: 0,
                delta: { content: text, ...(s.reasoning === undefined ? {} : { reasoning: s.reasoning }) },
                ...(s.finish === undefined ? {} : { finish_reason: s.finish }),
              },
            ],
          }),
        );
        const streamed = classify(payloads);
        const alone = payloads.map((p) => classify([p]));
        expect(streamed.eventMs.length).toBe(alone.reduce((n, c) => n + c.eventMs.length, 0));
        expect(streamed.flags.toArray().sort()).toEqual(
          [...new Set(alone.flatMap((c) => c.flags.toArray()))].sort(),
        );
        expect(streamed.firstChannel).toBe(alone.find((c) => c.firstChannel !== undefined)?.firstChannel);
      }),
      { numRuns: 400 },
    );
  });

  it('a payload that only looks like the template (an injected quote) falls back to the full parse', () => {
    // prefix + `b","x":"y` + suffix is valid JSON: content "b" plus an extra key x
    const tricky = delta('b').replace('"b"', '"b","x":"y"');
    expect(JSON.parse(tricky).choices[0].delta).toEqual({ content: 'b', x: 'y' });
    const c = classify([delta('a'), tricky, delta('c')]);
    expect(c.eventMs.length).toBe(3);
    expect(c.flags.toArray()).toEqual([]);
    const broken = classify([delta('a'), delta('b').replace('"b"', '"b\\"')]);
    expect(broken.flags.toArray()).toEqual(['malformed_stream']);
  });
});
